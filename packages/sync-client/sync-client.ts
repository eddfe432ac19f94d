// The device side of the sync protocol: connect, say hello with the stored cursor, store chunks and acknowledge
// them, send the outbox (merged per document) and clear it on acknowledgement, reconnect with backoff.
import * as Y from 'yjs';
import {
  CloseCode,
  MessageType,
  PROTOCOL_REVISION,
  PROTOCOL_VERSION,
  SyncStep,
  decodeServerMessage,
  encodeClientMessage,
  limits,
  type ClientMessage,
  type Cursor,
  type ServerMessage
} from '@telehealth/protocol';
import type { DeviceStore } from './device-store';

/** The subset of the WebSocket API the client uses (browser WebSocket or the `ws` package). */
export type SocketLike = {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
};
export type SocketFactory = (url: string) => SocketLike;

export const SyncState = {
  /** Not connected (no network, or waiting to retry). */
  offline: 'offline',
  connecting: 'connecting',
  /** Connected, receiving or sending. */
  syncing: 'syncing',
  /**
   * Connected, caught up, nothing queued or in flight, and the stored cursor has reached the highest log position
   * the server has reported to this device (the caught-up chunk's cursor, every `updateAck` seq): the device holds
   * everything the server had committed for it when it last said so. Not a claim about changes committed since.
   */
  synced: 'synced',
  /** The server speaks another protocol version: the app must be updated. */
  updateRequired: 'update_required',
  /** The server refused the login: the user must log in again. */
  loginRequired: 'login_required',
  /** An administrator disabled the account (close 4403): no reconnecting; the outbox stays on the device. */
  accountDisabled: 'account_disabled',
  /** An administrator revoked this device (close 4410): no reconnecting; the app removes the account's data from it. */
  deviceRevoked: 'device_revoked'
} as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];

/** `pending`: how many records (documents) have changes waiting for the server's acknowledgement, not how many edits. */
export type SyncStatus = {
  state: SyncState;
  pending: number;
  lastSyncAt: number | undefined;
  refused: number;
  /** Queued changes (edits), however many records they touch. */
  changes?: number;
  /** Sync yields to a call (`SyncClient.setYield`): bulk catch-up waits, the device's own edits still go. */
  yielding?: boolean;
};

/** Documents with queued changes: what a person counts as "records waiting", however many edits each holds. */
export const pendingDocs = (outbox: readonly { docId: string }[]) => new Set(outbox.map((e) => e.docId)).size;

export type SyncClientOptions = {
  url: string;
  deviceId: string;
  /** The record schema version this app writes (SCHEMA_VERSION of @telehealth/domain), said in the hello. */
  schemaVersion?: number;
  /** A fresh access token, or undefined when the user must log in again. */
  getToken(): Promise<string | undefined>;
  store: DeviceStore;
  connect: SocketFactory;
  now?: () => number;
  random?: () => number;
  /** Timers for the reconnect backoff (default setTimeout/clearTimeout; a test may drive them from a virtual clock). */
  timers?: { set(run: () => void, ms: number): unknown; clear(handle: unknown): void };
  backoff?: { minMs: number; maxMs: number };
  onStatus?: (status: SyncStatus) => void;
  /** Documents changed by a stored chunk (to refresh lists and open views). */
  onRemoteChange?: (docIds: string[]) => void;
  onLog?: (event: string, fields?: Record<string, unknown>) => void;
  /** While yielding to a call, a live chunk over this many bytes of updates counts as bulk and waits (default 16 KiB). */
  yieldChunkBytes?: number;
  /** Another device's presence in a document this device announced presence in (a y-protocols awareness update). */
  onAwareness?: (docId: string, update: Uint8Array) => void;
};

type Sent = { docId: string; localId: number };

export class SyncClient {
  private socket: SocketLike | undefined;
  private running = false;
  private attempt = 0;
  private retryTimer: unknown;
  private incoming: Promise<void> = Promise.resolve();
  private caughtUp = false;
  private welcomed = false;
  /** The stored cursor's position `e`, as of the last chunk stored (or the hello). */
  private cursorE = 0;
  /** The highest log position the server has reported to this device: caught-up cursors and acknowledged seqs. */
  private head = 0;
  /** Outbox entries sent on this connection and not yet acknowledged, by message localId. */
  private inFlight = new Map<number, Sent>();
  /** While a call runs on a thin link (`setYield`): bulk chunks are stored but not acknowledged, so the server pauses. */
  private yielding = false;
  /** Acknowledgements held back while yielding, in order, for the socket they belong to. */
  private heldAcks: { socket: SocketLike; cursor: Cursor }[] = [];
  private sending = false;
  private resend = false;
  private status: SyncStatus = { state: SyncState.offline, pending: 0, lastSyncAt: undefined, refused: 0 };
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timers: { set(run: () => void, ms: number): unknown; clear(handle: unknown): void };
  /** Bytes sent and received on the current and past connections (payload, before compression). */
  readonly traffic = { up: 0, down: 0 };
  /** Presence this device announces, per document: its current awareness update, announced again on every connection. */
  private readonly presence = new Map<string, () => Uint8Array>();

  constructor(private readonly options: SyncClientOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  }

  /** This device's id, as it says in its hello. */
  get deviceId(): string {
    return this.options.deviceId;
  }

  get currentStatus(): SyncStatus {
    return this.status;
  }

  private setStatus(patch: Partial<SyncStatus>) {
    this.status = { ...this.status, ...patch };
    this.options.onStatus?.(this.status);
  }

  private log(event: string, fields?: Record<string, unknown>) {
    this.options.onLog?.(event, fields);
  }

  start() {
    if (this.running) return;
    this.running = true;
    void this.refreshPending();
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop() {
    this.running = false;
    this.timers.clear(this.retryTimer);
    this.socket?.close(1000, 'client stopping');
    this.socket = undefined;
    // The close event of that socket is ignored (it is no longer current): forget the session here.
    this.welcomed = false;
    this.inFlight.clear();
    this.setStatus({ state: SyncState.offline });
  }

  /** Drops the connection as a bad link would, and reconnects after the backoff (tests and the benchmark). */
  dropConnection() {
    this.socket?.close(4000, 'dropped');
  }

  /** Connect now, without waiting for the backoff (e.g. the browser reports it is online again). */
  reconnectNow() {
    if (!this.running || this.socket) return;
    this.timers.clear(this.retryTimer);
    this.attempt = 0;
    this.connect();
  }

  /**
   * Sync yields to a call: while on, the device stops acknowledging bulk chunks (catch-up pages, and live chunks
   * over `yieldChunkBytes`: a granted chart's history, a burst). It stores each chunk it receives, as always, but
   * holds its `ack`; the server sends at most two unacknowledged chunks, so catch-up pauses after them with no
   * protocol change. Small live chunks (the other side's edits of the minutes) are acknowledged while nothing is held,
   * and the outbox (this device's edits) flows and is acknowledged as usual. Off: the held acknowledgements go, in
   * order, and catch-up resumes exactly where it stopped. A connection that breaks meanwhile resumes from the stored
   * cursor, yielding again after two chunks if still on.
   */
  setYield(on: boolean) {
    if (this.yielding === on) return;
    this.yielding = on;
    this.log('sync.yield', { on });
    this.setStatus({ yielding: on });
    if (on) return;
    const held = this.heldAcks;
    this.heldAcks = [];
    for (const h of held) this.sendMessage({ type: MessageType.ack, cursor: h.cursor }, h.socket);
  }

  /** Acknowledgements held back by `setYield` on this connection. */
  get heldAckCount(): number {
    return this.heldAcks.filter((h) => h.socket === this.socket).length;
  }

  /** The outbox has new entries. */
  async localChange() {
    await this.refreshPending();
    if (this.welcomed) await this.flushOutbox();
  }

  private async refreshPending() {
    const outbox = await this.options.store.outbox();
    const pending = pendingDocs(outbox);
    this.setStatus({ pending, changes: outbox.length, ...(this.welcomed ? { state: this.isSynced(pending) ? SyncState.synced : SyncState.syncing } : {}) });
  }

  /** See SyncState.synced. */
  private isSynced(pending: number): boolean {
    return this.caughtUp && pending === 0 && this.inFlight.size === 0 && this.cursorE >= this.head;
  }

  private async connect() {
    if (!this.running) return;
    this.setStatus({ state: SyncState.connecting });
    const token = await this.options.getToken();
    if (!this.running) return;
    if (!token) {
      this.setStatus({ state: SyncState.loginRequired });
      this.running = false;
      return;
    }
    const cursor = await this.options.store.cursor();
    this.cursorE = cursor.e;
    let socket: SocketLike;
    try {
      socket = this.options.connect(this.options.url);
    } catch (err) {
      this.log('sync.connect_failed', { error: String(err) });
      this.scheduleRetry();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.caughtUp = false;
    this.welcomed = false;
    this.inFlight.clear();
    this.heldAcks = [];
    socket.onopen = () =>
      this.sendMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId: this.options.deviceId, cursor, schemaVersion: this.options.schemaVersion, revision: PROTOCOL_REVISION });
    socket.onmessage = (ev) => {
      const bytes = ev.data instanceof ArrayBuffer ? new Uint8Array(ev.data) : ev.data instanceof Uint8Array ? ev.data : undefined;
      if (!bytes) return;
      this.traffic.down += bytes.length;
      const decoded = decodeServerMessage(bytes);
      if (!decoded.ok) {
        this.log('sync.malformed_from_server', { reason: decoded.reason });
        socket.close(4400, 'malformed');
        return;
      }
      this.incoming = this.incoming.then(() => this.handle(decoded.message, socket)).catch((err: unknown) => {
        this.log('sync.handle_failed', { error: String(err) });
        socket.close(4500, 'client error');
      });
    };
    socket.onerror = () => {};
    socket.onclose = (ev) => this.onClose(socket, ev.code, ev.reason);
  }

  private onClose(socket: SocketLike, code: number, reason: string) {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.welcomed = false;
    this.inFlight.clear();
    this.log('sync.closed', { code, reason });
    // The app must be updated: stop trying; the outbox stays on the device until the updated app sends it.
    if (code === CloseCode.versionMismatch.code || code === CloseCode.appTooOld.code) {
      this.running = false;
      this.setStatus({ state: SyncState.updateRequired });
      return;
    }
    // The account is disabled: reconnecting would be refused the same way until an administrator enables it.
    if (code === CloseCode.accountDisabled.code) {
      this.running = false;
      this.setStatus({ state: SyncState.accountDisabled });
      return;
    }
    // This device was revoked (lost or stolen): it is refused for good.
    if (code === CloseCode.deviceRevoked.code) {
      this.running = false;
      this.setStatus({ state: SyncState.deviceRevoked });
      return;
    }
    this.setStatus({ state: SyncState.offline });
    // unauthorized: getToken() refreshes the token before the next attempt.
    this.scheduleRetry();
  }

  private scheduleRetry() {
    if (!this.running) return;
    const { minMs, maxMs } = this.options.backoff ?? { minMs: 1_000, maxMs: 60_000 };
    const delay = Math.min(maxMs, minMs * 2 ** this.attempt) * (0.5 + this.random() / 2);
    this.attempt++;
    this.retryTimer = this.timers.set(() => void this.connect(), delay);
  }

  /** Sends on the current socket only while it is open; a message for a closed connection is dropped (it is resent after reconnecting). */
  private sendMessage(m: ClientMessage, socket = this.socket) {
    if (!socket || socket !== this.socket || socket.readyState !== 1) return;
    const bytes = encodeClientMessage(m);
    this.traffic.up += bytes.length;
    socket.send(bytes);
  }

  private async handle(m: ServerMessage, socket: SocketLike) {
    if (socket !== this.socket) return;
    switch (m.type) {
      case MessageType.welcome:
        this.attempt = 0;
        this.welcomed = true;
        this.setStatus({ state: SyncState.syncing });
        // The server forgets presence with the connection: announced again on this one.
        for (const [docId, update] of this.presence) this.sendMessage({ type: MessageType.awareness, docId, data: update() });
        // A restored server database: what it lost of this device's changes is queued again first.
        if (m.log) await this.options.store.serverLog?.(m.log);
        await this.flushOutbox();
        return;
      case MessageType.chunk: {
        await this.options.store.applyChunk(m.entries, m.cursor);
        if (socket !== this.socket) return;
        this.cursorE = m.cursor.e;
        // Yielding to a call: a bulk chunk's ack (and every ack after a held one, so that they go in order) waits.
        const bulk = !m.caughtUp || m.entries.reduce((n, e) => n + e.update.length, 0) > (this.options.yieldChunkBytes ?? 16_384);
        if (this.yielding && (bulk || this.heldAcks.length)) this.heldAcks.push({ socket, cursor: m.cursor });
        else this.sendMessage({ type: MessageType.ack, cursor: m.cursor });
        if (m.caughtUp) {
          this.caughtUp = true;
          this.head = Math.max(this.head, m.cursor.e);
        }
        if (m.entries.length) this.options.onRemoteChange?.([...new Set(m.entries.map((e) => e.docId))]);
        await this.afterProgress();
        return;
      }
      case MessageType.updateAck: {
        const sent = this.inFlight.get(m.localId);
        if (!sent) return;
        this.inFlight.delete(m.localId);
        // Committed as `seq`: synced again once the cursor has passed it (the server moves the cursor past the
        // device's own updates too), i.e. once everything committed before it has arrived.
        this.head = Math.max(this.head, m.seq);
        await this.options.store.acknowledged(sent.docId, sent.localId, m.seq);
        await this.afterProgress();
        // Changes held back to keep an update under the limit go now.
        await this.flushOutbox();
        return;
      }
      case MessageType.error: {
        this.log('sync.refused', { code: m.code, localId: m.localId, docId: m.docId, message: m.message });
        const sent = this.inFlight.get(m.localId);
        if (!sent) {
          // Not about a change (a docSync or presence): the error names the document it answers.
          if (m.docId) await this.options.store.docRefused?.(m.docId, m.code);
          return;
        }
        this.inFlight.delete(m.localId);
        await this.options.store.refused(sent.docId, sent.localId, m.code, m.message);
        this.setStatus({ refused: this.status.refused + 1 });
        await this.afterProgress();
        return;
      }
      case MessageType.docSync:
        if (m.sync.step === SyncStep.step2 || m.sync.step === SyncStep.update) await this.options.store.applyDocUpdate(m.docId, m.sync.data);
        return;
      case MessageType.awareness:
        this.options.onAwareness?.(m.docId, m.data);
        return;
    }
  }

  private async afterProgress() {
    const outbox = await this.options.store.outbox();
    const pending = pendingDocs(outbox);
    const done = this.isSynced(pending);
    this.setStatus({ pending, changes: outbox.length, state: done ? SyncState.synced : SyncState.syncing, ...(done ? { lastSyncAt: this.now() } : {}) });
  }

  /** Sends every outbox entry not yet in flight, merged per document. */
  private async flushOutbox() {
    if (this.sending) {
      this.resend = true;
      return;
    }
    this.sending = true;
    try {
      do {
        this.resend = false;
        const flying = new Set([...this.inFlight.values()].map((s) => `${s.docId}#${s.localId}`));
        const maxFlying = new Map<string, number>();
        for (const s of this.inFlight.values()) maxFlying.set(s.docId, Math.max(maxFlying.get(s.docId) ?? 0, s.localId));
        const entries = (await this.options.store.outbox()).filter((e) => !flying.has(`${e.docId}#${e.localId}`) && e.localId > (maxFlying.get(e.docId) ?? 0));
        const byDoc = new Map<string, typeof entries>();
        for (const e of entries) byDoc.set(e.docId, [...(byDoc.get(e.docId) ?? []), e]);
        for (const [docId, all] of byDoc) {
          if (!this.welcomed) return;
          // Merged changes stay under the server's update limit (a photo is close to it): the rest follows the ack.
          const group = [all[0]!];
          let size = all[0]!.update.length;
          for (const e of all.slice(1)) {
            size += e.update.length;
            if (size > limits.maxUpdateBytes * 0.9) break;
            group.push(e);
          }
          const last = group[group.length - 1]!;
          const update = group.length === 1 ? last.update : Y.mergeUpdatesV2(group.map((g) => g.update));
          this.inFlight.set(last.localId, { docId, localId: last.localId });
          this.sendMessage({ type: MessageType.update, localId: last.localId, docId, meta: group.find((g) => g.meta)?.meta ?? '', sync: { step: SyncStep.update, data: update } });
        }
      } while (this.resend && this.welcomed);
    } finally {
      this.sending = false;
    }
  }

  /**
   * Presence in a document being co-edited (memory only, never stored): `update` is sent now when connected, and
   * `current()` (the device's whole presence there) again on every new connection, until `leave`. The server relays it
   * to the other devices present in the document and removes it when this connection closes.
   */
  announce(docId: string, update: Uint8Array, current: () => Uint8Array) {
    this.presence.set(docId, current);
    if (this.welcomed) this.sendMessage({ type: MessageType.awareness, docId, data: update });
  }

  /** No more presence in `docId`: `removal` (an awareness update removing this device's state) is sent when connected. */
  leave(docId: string, removal: Uint8Array) {
    if (!this.presence.delete(docId)) return;
    if (this.welcomed) this.sendMessage({ type: MessageType.awareness, docId, data: removal });
  }

  /** Asks the server for what a document lacks (SyncStep1 with its state vector). */
  requestDoc(docId: string, stateVector: Uint8Array) {
    if (this.welcomed) this.sendMessage({ type: MessageType.docSync, docId, sync: { step: SyncStep.step1, data: stateVector } });
  }
}
