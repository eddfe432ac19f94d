// One device's WebSocket: hello and authentication, its updates into the log, and the log out to it
// (catch-up from its cursor, then live), with at most two unacknowledged chunks in flight.
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Role, parseDocId } from '@telehealth/domain';
import {
  CloseCode,
  ErrorCode,
  MessageType,
  PROTOCOL_VERSION,
  SyncStep,
  cursorAfter,
  decodeClientMessage,
  encodeServerMessage,
  limits,
  type ChunkEntry,
  type ClientMessage,
  type Cursor,
  type ServerMessage
} from '@telehealth/protocol';
import type { Principal, TokenIssuer } from '../auth/tokens';
import type { LogEvent } from './log-writer';
import { readerOf } from './access';
import { createTokenBucket } from './rate-limit';
import type { Logger } from '../log';
import type { AuditEntry, DocRow, Storage } from '../storage/storage';
import type { UpdateResult, UpdateWrite } from './write';

const window = 2;
const maxLiveBufferBytes = 1_000_000;
const maxPresenceBufferBytes = 64 * 1024;
const devicePattern = /^[A-Za-z0-9_-]{8,64}$/;

/** What a connection needs from the hub that owns it. */
export type ConnectionHost = {
  log: Logger;
  writeUpdate(w: UpdateWrite): Promise<UpdateResult>;
  storage: Storage;
  tokens: TokenIssuer;
  nodeId: string;
  logIdentity: { id: string; restoredSeq: number };
  now: () => number;
  limits: { messagesPerSecond: number; messageBurst: number; bytesPerSecond: number; byteBurst: number };
  admit(conn: Connection): boolean;
  helloTimeoutMs: number;
  /** Apps writing an older record schema than this are told to update (close 4427). */
  minAppSchemaVersion: number;
  docs: {
    get(docId: string): Promise<DocRow | undefined>;
    access(docId: string): Promise<Map<string, { visSeq: number; canWrite: boolean }>>;
  };
  register(conn: Connection): void;
  unregister(conn: Connection): void;
  relayAwareness(from: Connection, docId: string, data: Uint8Array): void;
};

export type LiveItem = { kind: 'event'; event: LogEvent } | { kind: 'grant'; docId: string; visSeq: number };

export class Connection {
  principal: Principal | undefined;
  reader: string | undefined;
  device = '';
  /** What the device will have once it has stored every chunk sent so far. */
  private sent: Cursor = { e: 0, s: 0 };
  /** The cursor of the last chunk sent (or the hello's): `sent` may run ahead of it past the device's own updates. */
  private told: Cursor = { e: 0, s: 0 };
  private inflight = 0;
  private mode: 'catchup' | 'live' = 'catchup';
  private horizon = 0;
  private live: LiveItem[] = [];
  private liveBytes = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private inbound: Promise<void> = Promise.resolve();
  private tokenExpiresAtMs = 0;
  /** The protocol revision the app announced in its hello (0: none); errors carry their docId from revision 1. */
  private revision = 0;
  private readonly bucket;
  private readonly byteBucket;
  private readonly helloTimer: ReturnType<typeof setTimeout>;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Documents this connection's reader lost access to (a withdrawn request took back the chart) and not regained since. */
  private readonly revoked = new Set<string>();
  /** Documents this device has announced presence in, with the awareness clocks of the client ids it used there. */
  readonly presence = new Map<string, Map<number, number>>();

  constructor(
    private readonly ws: WebSocket,
    private readonly hub: ConnectionHost
  ) {
    this.bucket = createTokenBucket(hub.limits.messagesPerSecond, hub.limits.messageBurst, hub.now);
    this.byteBucket = createTokenBucket(hub.limits.bytesPerSecond, hub.limits.byteBurst, hub.now);
    this.helloTimer = setTimeout(() => this.close(CloseCode.helloTimeout), hub.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
    ws.on('close', () => this.onClosed());
    ws.on('error', (err) => hub.log.warn('sync.socket_error', { device: this.device, error: err.message }));
  }

  private send(m: ServerMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.ws.send(encodeServerMessage(m), () => resolve());
    });
  }

  close(code: CloseCode) {
    if (this.closed) return;
    this.hub.log.info('sync.close', { device: this.device, code: code.code, reason: code.reason });
    this.ws.close(code.code, code.reason);
    this.onClosed();
  }

  private onClosed() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.helloTimer);
    clearTimeout(this.expiryTimer);
    this.wake?.();
    this.hub.unregister(this);
  }

  private onFrame(data: Buffer, isBinary: boolean) {
    if (this.closed) return;
    if (!this.bucket.take() || !this.byteBucket.take(data.length)) {
      this.hub.log.warn('sync.rate_limited', { device: this.device });
      return this.close(CloseCode.rateLimited);
    }
    const decoded = isBinary ? decodeClientMessage(new Uint8Array(data)) : { ok: false as const, reason: 'text frame' };
    if (!decoded.ok) {
      this.hub.log.warn('sync.malformed', { device: this.device, reason: decoded.reason, bytes: data.length });
      return this.close(CloseCode.malformed);
    }
    // Messages of one connection are handled in order: a document's creation before its next update.
    this.inbound = this.inbound
      .then(() => this.handle(decoded.message))
      .catch((err: unknown) => {
        this.hub.log.error('sync.handler_failed', { device: this.device, error: String(err) });
        this.close(CloseCode.internal);
      });
  }

  private async handle(m: ClientMessage) {
    if (this.closed) return;
    if (!this.principal && m.type !== MessageType.hello) {
      this.hub.log.warn('sync.before_hello', { type: m.type });
      return this.close(CloseCode.unauthorized);
    }
    switch (m.type) {
      case MessageType.hello:
        return this.onHello(m);
      case MessageType.update:
        return this.onUpdate(m);
      case MessageType.ack:
        if (cursorAfter(m.cursor, this.sent)) {
          this.hub.log.warn('sync.ack_ahead', { device: this.device });
          return this.close(CloseCode.malformed);
        }
        this.inflight = Math.max(0, this.inflight - 1);
        this.wake?.();
        return;
      case MessageType.docSync:
        return this.onDocSync(m);
      case MessageType.awareness:
        return this.onAwareness(m);
    }
  }

  private async onHello(m: Extract<ClientMessage, { type: typeof MessageType.hello }>) {
    if (this.principal) return this.close(CloseCode.malformed);
    clearTimeout(this.helloTimer);
    if (m.version !== PROTOCOL_VERSION) return this.close(CloseCode.versionMismatch);
    if ((m.schemaVersion ?? 1) < this.hub.minAppSchemaVersion) {
      this.hub.log.warn('sync.app_too_old', { schemaVersion: m.schemaVersion ?? 1, min: this.hub.minAppSchemaVersion });
      return this.close(CloseCode.appTooOld);
    }
    const verified = this.hub.tokens.verifyAccess(m.token, this.hub.now());
    if (!verified.ok) {
      this.hub.log.warn('sync.auth_rejected', { reason: verified.reason });
      return this.close(CloseCode.unauthorized);
    }
    if (!devicePattern.test(m.deviceId)) {
      this.hub.log.warn('sync.bad_device_id');
      return this.close(CloseCode.malformed);
    }
    const { exp, ...principal } = verified.claims;
    this.principal = principal;
    this.tokenExpiresAtMs = exp * 1000;
    // The session ends with its token: the device refreshes it and reconnects, so an expired session stops reading.
    this.expiryTimer = setTimeout(() => this.close(CloseCode.unauthorized), Math.max(0, this.tokenExpiresAtMs - this.hub.now()));
    this.reader = readerOf(principal);
    this.device = m.deviceId;
    this.revision = m.revision ?? 0;
    if (!this.hub.admit(this)) return this.close(CloseCode.tooManyConnections);
    // Admitted first, then checked: an account disabled from now on finds this connection among its own and closes it.
    const account = await this.hub.storage.findUserById(principal.userId);
    if (this.closed) return;
    if (!account || account.disabledAt) {
      this.hub.log.warn('sync.account_disabled', { userId: principal.userId, device: this.device });
      return this.close(account ? CloseCode.accountDisabled : CloseCode.unauthorized);
    }
    // The devices that sync, for administrators; one an administrator revoked (lost, stolen) is refused.
    const seen = await this.hub.storage.deviceSeen({ userId: principal.userId, deviceId: this.device, at: new Date(this.hub.now()), schemaVersion: m.schemaVersion ?? 1, revision: this.revision });
    if (this.closed) return;
    if (seen.revoked) {
      this.hub.log.warn('sync.device_revoked', { userId: principal.userId, device: this.device });
      return this.close(CloseCode.deviceRevoked);
    }
    this.sent = m.cursor;
    this.told = m.cursor;
    await this.send({
      type: MessageType.welcome,
      version: PROTOCOL_VERSION,
      nodeId: this.hub.nodeId,
      serverTimeMs: this.hub.now(),
      ...(this.revision >= 2 ? { log: this.hub.logIdentity } : {})
    });
    // Subscribe before reading the horizon: every update after it arrives live, every update up to it by catch-up.
    this.hub.register(this);
    this.horizon = await this.hub.storage.log.maxSeq();
    this.hub.log.info('sync.hello', { device: this.device, userId: principal.userId, cursor: m.cursor, horizon: this.horizon });
    void this.deliver();
  }

  /** Refuses one message, naming it: the update's localId (0 for other messages) and, to apps of revision 1 on, the docId it named. */
  private async refuse(m: Extract<ClientMessage, { docId: string }>, code: ErrorCode, message: string) {
    const localId = m.type === MessageType.update ? m.localId : 0;
    this.hub.log.warn('sync.update_refused', { device: this.device, userId: this.principal?.userId, type: m.type, localId, code, message });
    await this.send({ type: MessageType.error, code, localId, message, ...(this.revision >= 1 ? { docId: m.docId } : {}) });
  }

  private async onUpdate(m: Extract<ClientMessage, { type: typeof MessageType.update }>) {
    const principal = this.principal!;
    if (this.hub.now() >= this.tokenExpiresAtMs) return this.close(CloseCode.unauthorized);
    if (m.sync.step === SyncStep.step1) return this.refuse(m, ErrorCode.badUpdate, 'an update carries SyncStep2 or Update, not SyncStep1');

    const result = await this.hub.writeUpdate({ principal, reader: this.reader, origin: this.device, docId: m.docId, meta: m.meta, data: m.sync.data });
    if (!result.ok) return this.refuse(m, result.code, result.message);
    await this.send({ type: MessageType.updateAck, localId: m.localId, seq: result.seq });
  }

  private async onDocSync(m: Extract<ClientMessage, { type: typeof MessageType.docSync }>) {
    if (m.sync.step !== SyncStep.step1) return this.refuse(m, ErrorCode.badUpdate, 'docSync from a client carries SyncStep1');
    const access = parseDocId(m.docId) && (await this.hub.docs.get(m.docId)) ? await this.hub.docs.access(m.docId) : undefined;
    if (!access || !this.reader || !access.has(this.reader)) return this.refuse(m, ErrorCode.forbidden, `may not read ${m.docId}`);
    const rows = await this.hub.storage.log.docHistory(m.docId, Number.MAX_SAFE_INTEGER);
    let diff: Uint8Array;
    try {
      diff = Y.diffUpdateV2(Y.mergeUpdatesV2(rows.map((r) => r.data)), m.sync.data);
    } catch {
      return this.refuse(m, ErrorCode.badUpdate, 'not a state vector');
    }
    await this.send({ type: MessageType.docSync, docId: m.docId, sync: { step: SyncStep.step2, data: diff } });
  }

  private async onAwareness(m: Extract<ClientMessage, { type: typeof MessageType.awareness }>) {
    const access = parseDocId(m.docId) && (await this.hub.docs.get(m.docId)) ? await this.hub.docs.access(m.docId) : undefined;
    if (!access || !this.reader || !access.has(this.reader)) return this.refuse(m, ErrorCode.forbidden, `may not join ${m.docId}`);
    const clocks = awarenessClocks(m.data);
    if (!clocks) return this.refuse(m, ErrorCode.badUpdate, 'not an awareness update');
    const known = this.presence.get(m.docId) ?? new Map<number, number>();
    for (const [id, clock] of clocks) known.set(id, clock);
    this.presence.set(m.docId, known);
    this.hub.relayAwareness(this, m.docId, m.data);
  }

  /** Called by the hub, in log order. */
  enqueue(item: LiveItem) {
    if (this.closed) return;
    if (item.kind === 'grant') this.revoked.delete(item.docId);
    if (item.kind === 'event' && this.mode === 'catchup' && item.event.seq <= this.horizon) return;
    this.live.push(item);
    this.liveBytes += item.kind === 'event' ? item.event.data.length : 64;
    if (this.liveBytes > maxLiveBufferBytes) {
      // A slow device: drop the buffer and read the same updates from the log later, in order.
      const last = this.live.at(-1)!;
      this.horizon = last.kind === 'event' ? last.event.seq : last.visSeq;
      this.live = [];
      this.liveBytes = 0;
      this.mode = 'catchup';
    }
    this.wake?.();
  }

  /**
   * Called by the hub, in log order: this connection's reader may no longer read `docId`. Nothing more of it is sent:
   * what is queued is dropped, a history being sent stops, and catch-up no longer finds it in the log.
   */
  revoke(docId: string) {
    if (this.closed) return;
    this.revoked.add(docId);
    this.live = this.live.filter((i) => {
      if ((i.kind === 'event' ? i.event.docId : i.docId) !== docId) return true;
      this.liveBytes -= i.kind === 'event' ? i.event.data.length : 64;
      return false;
    });
    this.hub.log.info('sync.access_revoked', { device: this.device, userId: this.principal?.userId, docId });
  }

  sendAwareness(docId: string, data: Uint8Array) {
    // Presence is ephemeral: a device that does not read its socket gets none rather than an ever-growing queue.
    if (this.ws.bufferedAmount > maxPresenceBufferBytes) return;
    void this.send({ type: MessageType.awareness, docId, data });
  }

  private waitForWake() {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private async sendChunk(entries: ChunkEntry[], cursor: Cursor, caughtUp: boolean) {
    this.sent = cursor;
    this.told = cursor;
    this.inflight++;
    if (entries.length) void this.recordDeliveries(entries, cursor);
    await this.send({ type: MessageType.chunk, entries, cursor, caughtUp });
  }

  /** Charts delivered to an account outside their own unit (a referral) go into the audit trail: who, which device, when, up to which seq. */
  private async recordDeliveries(entries: ChunkEntry[], cursor: Cursor) {
    const p = this.principal;
    if (!p || p.role === Role.patient) return;
    try {
      const charts = [...new Set(entries.map((e) => e.docId).filter((id) => id.startsWith('patient:')))];
      const rows: AuditEntry[] = [];
      for (const docId of charts) {
        const doc = await this.hub.docs.get(docId);
        if (doc && doc.unitId !== p.unitId) rows.push({ atMs: this.hub.now(), action: 'deliver', docId, userId: p.userId, device: this.device, seq: cursor.s });
      }
      await this.hub.storage.log.audit(rows);
    } catch (err) {
      this.hub.log.error('audit.delivery_failed', { device: this.device, error: String(err) });
    }
  }

  private async deliver() {
    const reader = this.reader;
    while (!this.closed) {
      if (this.inflight >= window) {
        await this.waitForWake();
        continue;
      }
      if (this.mode === 'catchup') {
        const page = reader
          ? await this.hub.storage.log.readLog({ reader, device: this.device, after: this.sent, horizon: this.horizon, maxBytes: limits.maxChunkBytes })
          : { entries: [], complete: true };
        if (this.closed) return;
        // A page read just before a revocation committed: what it may no longer read is left out.
        const entries = page.entries.filter((e) => !this.revoked.has(e.docId)).map(toEntry);
        if (page.complete) {
          this.mode = 'live';
          const horizonCursor = { e: this.horizon, s: this.horizon };
          const cursor = cursorAfter(horizonCursor, this.sent) ? horizonCursor : this.sent;
          this.live = this.live.filter((i) => i.kind === 'grant' || i.event.seq > this.horizon);
          await this.sendChunk(entries, cursor, true);
        } else {
          const last = page.entries.at(-1)!;
          await this.sendChunk(entries, { e: last.e, s: last.s }, false);
        }
        continue;
      }
      const item = this.live.shift();
      if (!item) {
        // Live entries of the device's own updates are not echoed; before idling, move its cursor past them (one
        // empty chunk), so that it reaches every seq this device was acknowledged (what "synced" waits for).
        if (cursorAfter(this.sent, this.told)) await this.sendChunk([], this.sent, true);
        else await this.waitForWake();
        continue;
      }
      if (item.kind === 'grant') {
        this.liveBytes -= 64;
        await this.sendGrant(item.docId, item.visSeq);
        continue;
      }
      // Consecutive live events travel in one chunk.
      const events = [item.event];
      let size = item.event.data.length;
      while (size <= limits.maxChunkBytes / 2 && this.live[0]?.kind === 'event') {
        const next = (this.live.shift() as { event: LogEvent }).event;
        events.push(next);
        size += next.data.length;
      }
      this.liveBytes -= size;
      const entries = events.filter((ev) => ev.origin !== this.device && !this.revoked.has(ev.docId)).map((ev) => ({ docId: ev.docId, update: ev.data }));
      const last = events.at(-1)!;
      const cursor = { e: last.seq, s: last.seq };
      if (entries.length) await this.sendChunk(entries, cursor, true);
      else this.sent = cursorAfter(cursor, this.sent) ? cursor : this.sent;
    }
  }

  /** A document became visible: its whole history, positioned at the grant. */
  private async sendGrant(docId: string, visSeq: number) {
    if (!cursorAfter({ e: visSeq, s: Number.MAX_SAFE_INTEGER }, this.sent)) return;
    const rows = await this.hub.storage.log.docHistory(docId, visSeq);
    let batch: ChunkEntry[] = [];
    let size = 0;
    for (const [i, row] of rows.entries()) {
      batch.push({ docId, update: row.data });
      size += row.data.length;
      const lastRow = i === rows.length - 1;
      if (size > limits.maxChunkBytes / 2 || lastRow) {
        while (this.inflight >= window && !this.closed) await this.waitForWake();
        // Taken back while its history was on the way: the rest is not sent.
        if (this.revoked.has(docId)) return;
        await this.sendChunk(batch, { e: visSeq, s: row.seq }, true);
        batch = [];
        size = 0;
      }
    }
  }
}

const toEntry = (e: { docId: string; data: Uint8Array }): ChunkEntry => ({ docId: e.docId, update: e.data });

/** The awareness client ids an awareness update speaks for, with their clocks; undefined when it does not decode. */
function awarenessClocks(data: Uint8Array): [number, number][] | undefined {
  try {
    const dec = decoding.createDecoder(data);
    const count = decoding.readVarUint(dec);
    if (count > 64) return undefined;
    const clocks: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      clocks.push([decoding.readVarUint(dec), decoding.readVarUint(dec)]);
      JSON.parse(decoding.readVarString(dec));
    }
    return decoding.hasContent(dec) ? undefined : clocks;
  } catch {
    return undefined;
  }
}

