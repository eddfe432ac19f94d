// The sync endpoint: accepts WebSocket connections, routes committed log entries to the devices that may see
// them, relays presence, and compacts the log in the background.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CloseCode, SYNC_PATH, limits } from '@telehealth/protocol';
import type { DocMeta } from '@telehealth/domain';
import type { Logger } from '../log';
import type { Principal, TokenIssuer } from '../auth/tokens';
import type { AccessRow, DocRow, Storage } from '../storage/storage';
import { decideCreate, type CreateDecision } from './access';
import { DocStates } from './content-policy';
import { Connection, type ConnectionHost } from './connection';
import { createLogWriter, type LogEvent } from './log-writer';
import { writeUpdate, type UpdateResult, type UpdateWrite } from './write';

export type HubLimits = {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
  /** Open connections of one account (its tabs share one; a person has a few devices). */
  connectionsPerAccount: number;
  /** Open connections from one network address (a station behind NAT; patients behind a carrier's NAT). */
  connectionsPerAddress: number;
};

export type HubOptions = {
  storage: Storage;
  tokens: TokenIssuer;
  log: Logger;
  nodeId: string;
  now?: () => number;
  /** `notify`: several nodes share the database and learn of each other's appends through LISTEN/NOTIFY. */
  bus: 'local' | 'notify';
  helloTimeoutMs?: number;
  /** The oldest record schema version an app may write in (MIN_APP_SCHEMA_VERSION); 1 accepts every app. */
  minAppSchemaVersion?: number;
  limits?: Partial<HubLimits>;
  compaction?: { intervalMs: number; minRows: number; maxBytes: number };
  /**
   * zlib window bits for permessage-deflate. 15 (32 KiB) compresses catch-up chunks far better than 13 (measured:
   * 2.0 MB against 2.8 MB for the reference commune).
   */
  deflateWindowBits?: number;
  /** Called after committed entries (from this node or, with `notify`, another) were routed: the projections follow. */
  onDispatched?: () => void;
};

const defaultLimits: HubLimits = {
  messagesPerSecond: 200,
  messageBurst: 1_000,
  bytesPerSecond: 1_000_000,
  byteBurst: 4_000_000,
  connectionsPerAccount: 16,
  connectionsPerAddress: 512
};

type AccessInfo = { visSeq: number; canWrite: boolean };

/** Document metadata and access lists, cached: metadata never changes; access follows the log's grants and revocations. */
class DocCache {
  private readonly meta = new Map<string, DocRow>();
  private readonly readers = new Map<string, Map<string, AccessInfo>>();
  /** Counts grants and revocations routed, so that a read racing one is not cached. */
  private changes = 0;
  constructor(private readonly storage: Storage, private readonly max = 50_000) {}

  private remember<K, V>(map: Map<K, V>, key: K, value: V) {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.max) map.delete(map.keys().next().value as K);
  }

  async get(docId: string): Promise<DocRow | undefined> {
    const hit = this.meta.get(docId);
    if (hit) return hit;
    const row = await this.storage.log.getDoc(docId);
    if (row) this.remember(this.meta, docId, row);
    return row;
  }

  async access(docId: string): Promise<Map<string, AccessInfo>> {
    const hit = this.readers.get(docId);
    if (hit) return hit;
    const changes = this.changes;
    const rows = await this.storage.log.docAccess(docId);
    const map = new Map(rows.map((r) => [r.reader, { visSeq: r.visSeq, canWrite: r.canWrite }]));
    // Access changed while the rows were read (they may predate a grant or a revocation): use them once, keep none.
    if (changes === this.changes) this.remember(this.readers, docId, map);
    return map;
  }

  addAccess(row: AccessRow) {
    this.changes++;
    this.readers.get(row.docId)?.set(row.reader, { visSeq: row.visSeq, canWrite: row.canWrite });
  }

  removeAccess(reader: string, docId: string) {
    this.changes++;
    this.readers.get(docId)?.delete(reader);
  }
}

export class Hub implements ConnectionHost {
  readonly log: Logger;
  readonly storage: Storage;
  readonly tokens: TokenIssuer;
  readonly nodeId: string;
  /** The log's identity and restore point, read at start (a restore happens with the server stopped). */
  logIdentity = { id: '', restoredSeq: 0 };
  readonly now: () => number;
  readonly limits: HubLimits;
  readonly helloTimeoutMs: number;
  readonly minAppSchemaVersion: number;
  readonly docs: DocCache;
  readonly states: DocStates;
  readonly writer;
  private readonly wss: WebSocketServer;
  private readonly byReader = new Map<string, Set<Connection>>();
  private readonly connections = new Set<Connection>();
  private readonly perAccount = new Map<string, number>();
  /** Admitted connections of each account, to close them all when it is disabled. */
  private readonly byAccount = new Map<string, Set<Connection>>();
  private readonly perAddress = new Map<string, number>();
  private readonly counted = new WeakSet<Connection>();
  private dispatching: Promise<void> = Promise.resolve();
  private compactionTimer: ReturnType<typeof setInterval> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private unlistenAccounts: (() => Promise<void>) | undefined;
  private closing = false;

  constructor(private readonly options: HubOptions) {
    this.log = options.log;
    this.storage = options.storage;
    this.tokens = options.tokens;
    this.nodeId = options.nodeId;
    this.now = options.now ?? Date.now;
    this.limits = { ...defaultLimits, ...options.limits };
    this.helloTimeoutMs = options.helloTimeoutMs ?? limits.helloTimeoutMs;
    this.minAppSchemaVersion = options.minAppSchemaVersion ?? 1;
    this.docs = new DocCache(options.storage);
    this.states = new DocStates(
      (docId) => this.storage.log.docHistory(docId, Number.MAX_SAFE_INTEGER),
      500,
      this.now,
      (code, docId) => this.storage.claimPrescriptionCode(code, docId),
      (docId) => this.storage.log.signatures(docId)
    );
    this.writer = createLogWriter(options.storage.log, (events) => options.bus === 'local' && this.dispatch(events), options.log);
    const bits = options.deflateWindowBits ?? 15;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      perMessageDeflate: {
        zlibDeflateOptions: { level: 6, memLevel: 6 },
        serverMaxWindowBits: bits,
        clientMaxWindowBits: bits,
        // The server compresses each message on its own. With context takeover ws compresses every message,
        // however small, and keeps a deflater per connection: about 230 KB of RSS each (measured: 394 MB for
        // 1,000 idle devices, 169 MB without). Without it, messages under the threshold go uncompressed, so an
        // idle device never gets a deflater. Devices keep their context: their many small updates compress
        // far better with it (measured: a day offline uploads 8.7 KB with it, 31.7 KB without).
        serverNoContextTakeover: true,
        threshold: 64
      }
    });
  }

  async start() {
    this.logIdentity = await this.storage.logIdentity();
    if (this.options.bus === 'notify') {
      if (!this.storage.log.listen) throw new Error('the notify bus needs a storage with LISTEN/NOTIFY (a real PostgreSQL server)');
      this.unlisten = await this.storage.log.listen((from, to) => {
        this.dispatching = this.dispatching.then(async () => {
          const { rows, grants, revoked } = await this.storage.log.readRange(from, to);
          const events: LogEvent[] = rows.map((r) => ({ ...r, grants: grants.filter((g) => g.visSeq === r.seq), revoked: revoked.filter((v) => v.seq === r.seq) }));
          await this.dispatchNow(events);
        }).catch((err: unknown) => this.log.error('sync.notify_failed', { error: String(err) }));
      });
      // An account disabled, or whose sessions an administrator ended, through any node: its sockets here close at once.
      this.unlistenAccounts = await this.storage.listenAccounts?.((userId, kind, deviceId) =>
        kind === 'revoked' ? this.closeDevice(userId, deviceId ?? '') : this.closeAccount(userId, kind)
      );
    }
    const c = this.options.compaction;
    if (c) this.compactionTimer = setInterval(() => void this.compactNow(c.minRows, c.maxBytes), c.intervalMs);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    if (this.closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== SYNC_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    const address = req.socket.remoteAddress ?? '?';
    if ((this.perAddress.get(address) ?? 0) >= this.limits.connectionsPerAddress) {
      this.log.warn('sync.too_many_connections', { address });
      socket.end('HTTP/1.1 429 Too Many Requests\r\nconnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
      ws.once('close', () => {
        const n = (this.perAddress.get(address) ?? 1) - 1;
        if (n > 0) this.perAddress.set(address, n);
        else this.perAddress.delete(address);
      });
      this.connections.add(new Connection(ws, this));
    });
  }

  /** One update into the log, checked as a device's would be (write.ts). */
  writeUpdate(u: UpdateWrite): Promise<UpdateResult> {
    return writeUpdate(this, u);
  }

  decideCreate(p: Principal, docId: string, meta: DocMeta): Promise<CreateDecision> {
    return decideCreate(p, docId, meta, {
      linkedUnits: (u) => this.storage.linkedUnits(u),
      getDoc: (id) => this.docs.get(id),
      requestPeers: (patientId) => this.storage.log.requestPeers(patientId),
      patientAccountUnit: (patientId) => this.storage.patientAccountUnit(patientId)
    });
  }

  /** Whether an authenticated connection may stay: each account has a bounded number open at once. */
  admit(conn: Connection): boolean {
    const userId = conn.principal?.userId;
    if (!userId) return false;
    const n = this.perAccount.get(userId) ?? 0;
    if (n >= this.limits.connectionsPerAccount) {
      this.log.warn('sync.too_many_connections', { userId });
      return false;
    }
    this.perAccount.set(userId, n + 1);
    this.counted.add(conn);
    let own = this.byAccount.get(userId);
    if (!own) this.byAccount.set(userId, (own = new Set()));
    own.add(conn);
    return true;
  }

  /** Closes the connections of one device of an account on this node (an administrator revoked it, 4410); returns how many. */
  closeDevice(userId: string, deviceId: string): number {
    const own = [...(this.byAccount.get(userId) ?? [])].filter((c) => c.device === deviceId);
    for (const conn of own) conn.close(CloseCode.deviceRevoked);
    if (own.length) this.log.info('sync.device_closed', { userId, device: deviceId, connections: own.length });
    return own.length;
  }

  /**
   * Closes every connection of an account on this node; returns how many. Disabled: 4403, the device stops. Sessions
   * ended (a new password, role or unit): 4401, the device tries its refresh token, which is gone, and signs in again.
   */
  closeAccount(userId: string, kind: 'disabled' | 'ended' = 'disabled'): number {
    const own = [...(this.byAccount.get(userId) ?? [])];
    for (const conn of own) conn.close(kind === 'disabled' ? CloseCode.accountDisabled : CloseCode.unauthorized);
    if (own.length) this.log.info('sync.account_closed', { userId, kind, connections: own.length });
    return own.length;
  }

  register(conn: Connection) {
    if (!conn.reader) return;
    let set = this.byReader.get(conn.reader);
    if (!set) this.byReader.set(conn.reader, (set = new Set()));
    set.add(conn);
  }

  unregister(conn: Connection) {
    this.connections.delete(conn);
    if (this.counted.delete(conn) && conn.principal) {
      const userId = conn.principal.userId;
      const n = (this.perAccount.get(userId) ?? 1) - 1;
      if (n > 0) this.perAccount.set(userId, n);
      else this.perAccount.delete(userId);
      const own = this.byAccount.get(userId);
      own?.delete(conn);
      if (own?.size === 0) this.byAccount.delete(userId);
    }
    if (conn.reader) this.byReader.get(conn.reader)?.delete(conn);
    for (const [docId, clocks] of conn.presence) this.relayAwareness(conn, docId, awarenessRemoval(clocks));
  }

  get connectionCount() {
    return this.connections.size;
  }

  private dispatch(events: LogEvent[]) {
    this.dispatching = this.dispatching
      .then(() => this.dispatchNow(events))
      .catch((err: unknown) => this.log.error('sync.dispatch_failed', { error: String(err) }));
  }

  /** Routes committed entries, in log order, to every connection whose reader may see them. */
  private async dispatchNow(events: LogEvent[]) {
    for (const event of events) {
      this.states.applyCommitted(event.docId, event.data);
      for (const g of event.grants) {
        this.docs.addAccess({ reader: g.reader, docId: g.docId, visSeq: g.visSeq, canWrite: false });
        for (const conn of this.byReader.get(g.reader) ?? []) conn.enqueue({ kind: 'grant', docId: g.docId, visSeq: g.visSeq });
      }
      const readers = await this.docs.access(event.docId);
      for (const reader of readers.keys()) {
        for (const conn of this.byReader.get(reader) ?? []) conn.enqueue({ kind: 'event', event });
      }
      // Access taken back by this entry: nothing more of that document goes to that reader's devices.
      for (const r of event.revoked) {
        this.docs.removeAccess(r.reader, r.docId);
        for (const conn of this.byReader.get(r.reader) ?? []) {
          conn.revoke(r.docId);
          const clocks = conn.presence.get(r.docId);
          if (clocks) {
            conn.presence.delete(r.docId);
            this.relayAwareness(conn, r.docId, awarenessRemoval(clocks));
          }
        }
      }
    }
    if (events.length) this.options.onDispatched?.();
  }

  relayAwareness(from: Connection, docId: string, data: Uint8Array) {
    for (const conn of this.connections) {
      if (conn !== from && conn.presence.has(docId)) conn.sendAwareness(docId, data);
    }
  }

  /** Merges runs of updates of busy documents; returns how many documents it compacted. */
  async compactNow(minRows = 10, maxBytes = 64 * 1024): Promise<number> {
    const docIds = await this.storage.log.docsToCompact(minRows, 100);
    for (const docId of docIds) {
      const r = await this.storage.log.compactDoc(docId, (parts) => Y.mergeUpdatesV2(parts), maxBytes);
      this.log.debug('sync.compacted', { docId, ...r });
    }
    return docIds.length;
  }

  async close() {
    this.closing = true;
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    for (const conn of [...this.connections]) conn.close(CloseCode.goingAway);
    await this.writer.flush();
    await this.dispatching;
    await this.unlisten?.();
    await this.unlistenAccounts?.();
    this.wss.close();
  }
}

/** An awareness update that removes the given client ids (state null, clock one past the last seen). */
function awarenessRemoval(clocks: Map<number, number>): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, clocks.size);
  for (const [id, clock] of clocks) {
    encoding.writeVarUint(enc, id);
    encoding.writeVarUint(enc, clock + 1);
    encoding.writeVarString(enc, 'null');
  }
  return encoding.toUint8Array(enc);
}

