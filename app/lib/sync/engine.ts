// The sync engine of one account on this device: the local store, and — in the one tab that holds the leader
// lock — the connection to the server. Other tabs hear of changes through a BroadcastChannel.
import * as Y from 'yjs';
import { SCHEMA_VERSION, type DocMeta } from '@telehealth/domain';
import { SYNC_PATH } from '@telehealth/protocol';
import { SyncClient, SyncState, pendingDocs, type SocketLike, type SyncStatus } from '@telehealth/sync-client';
import { clientIdPool, deviceIdFor, leaseClientId, type ClientIdLease } from './device';
import { openLocalDb, type LocalDb } from './local-db';
import { LocalStore } from './local-store';

export type EngineOptions = {
  /** Separates accounts sharing a browser: normally the user id. */
  namespace: string;
  /** The server's origin, e.g. https://yte.example.vn; the sync endpoint is at SYNC_PATH. */
  origin: string;
  getToken(): Promise<string | undefined>;
  onStatus?(status: SyncStatus & { leader: boolean }): void;
  onChange?(docIds: string[]): void;
  /** A document was rebuilt from the server's state: whoever holds it opens it again. */
  onReplaced?(docId: string): void;
  /** A change made here could not be stored on the device (storage full or failing): it was undone. */
  onNotStored?(docId: string): void;
  /** For tests in Node: fake-indexeddb, the `ws` WebSocket, no Web Locks. */
  indexedDB?: IDBFactory;
  connect?: (url: string) => SocketLike;
  locks?: LockManager;
  storage?: Storage;
};

type TabMessage =
  | { type: 'outbox' }
  | { type: 'changed'; docIds: string[] }
  | { type: 'update'; docId: string; update: Uint8Array }
  | { type: 'replaced'; docId: string }
  | { type: 'yield'; on: boolean };

export class SyncEngine {
  readonly db: LocalDb;
  store!: LocalStore;
  client: SyncClient | undefined;
  private lease: ClientIdLease | undefined;
  private channel: BroadcastChannel | undefined;
  private releaseLeader: (() => void) | undefined;
  private stopped = false;
  /** Documents whose local edits this tab already relays to the other tabs. */
  private readonly relayed = new WeakSet<Y.Doc>();
  private status: SyncStatus = { state: SyncState.offline, pending: 0, lastSyncAt: undefined, refused: 0 };
  /** Sync yields to a call (`setYield`), whichever tab holds the connection. */
  private yielding = false;

  constructor(private readonly options: EngineOptions) {
    this.db = openLocalDb(options.namespace, options.indexedDB);
  }

  /** Where the last sync time is kept, so that it is still shown after a reload with no network. */
  private get lastSyncKey() {
    return `telehealth.lastSync.${this.options.namespace}`;
  }

  async start() {
    const storage = this.options.storage ?? localStorage;
    const kept = Number(storage.getItem(this.lastSyncKey));
    if (kept > 0) this.status = { ...this.status, lastSyncAt: kept };
    const locks = this.options.locks ?? (typeof navigator !== 'undefined' ? navigator.locks : undefined);
    this.lease = await leaseClientId(this.options.namespace, storage, locks);
    this.channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`telehealth-${this.options.namespace}`);
    this.store = new LocalStore(this.options.namespace, this.lease.clientId, this.db, {
      changed: (docIds) => {
        this.options.onChange?.(docIds);
        this.post({ type: 'changed', docIds });
      },
      outboxChanged: () => {
        if (this.client) void this.client.localChange();
        else this.post({ type: 'outbox' });
        void this.refreshPending();
      },
      refused: (docId, code) => void this.rebase(docId, code),
      notStored: (docId) => this.options.onNotStored?.(docId),
      replaced: (docId) => {
        this.options.onReplaced?.(docId);
        this.post({ type: 'replaced', docId });
      }
    });
    const clientId = this.lease.clientId;
    this.store.ownClientIds = () => [...new Set([clientId, ...clientIdPool(this.options.namespace, storage)])];
    if (this.channel) this.channel.onmessage = (ev: MessageEvent<TabMessage>) => void this.onTabMessage(ev.data);
    const deviceId = deviceIdFor(this.options.namespace, storage);
    const becomeLeader = () => {
      if (this.stopped) return;
      this.client = new SyncClient({
        url: this.options.origin.replace(/^http/, 'ws') + SYNC_PATH,
        deviceId,
        schemaVersion: SCHEMA_VERSION,
        getToken: this.options.getToken,
        store: this.store,
        connect: this.options.connect ?? ((url) => new WebSocket(url) as unknown as SocketLike),
        onStatus: (s) => this.setStatus(s),
        onRemoteChange: (docIds) => this.post({ type: 'changed', docIds }),
        onAwareness: (docId, update) => {
          for (const listen of this.presenceListeners) listen(docId, update);
        }
      });
      if (this.yielding) this.client.setYield(true);
      this.client.start();
    };
    if (locks) {
      // Waits until no other tab leads; the lock is held for as long as this tab runs the connection.
      void locks.request(`telehealth-sync-${this.options.namespace}`, () => {
        becomeLeader();
        return new Promise<void>((release) => (this.releaseLeader = release));
      });
    } else {
      becomeLeader();
    }
    await this.refreshPending();
  }

  private setStatus(s: SyncStatus) {
    // The client starts without a last sync time: the one kept from before stays until it syncs again.
    const lastSyncAt = s.lastSyncAt ?? this.status.lastSyncAt;
    if (lastSyncAt !== undefined && lastSyncAt !== this.status.lastSyncAt) (this.options.storage ?? localStorage).setItem(this.lastSyncKey, String(lastSyncAt));
    this.status = { ...s, lastSyncAt };
    this.options.onStatus?.({ ...this.status, leader: this.client !== undefined });
  }

  private async refreshPending() {
    // One key per queued change: the records they touch are what the bar counts.
    const docIds = await this.store.queuedDocIds();
    const pending = pendingDocs(docIds.map((docId) => ({ docId })));
    if (!this.client) this.setStatus({ ...this.status, pending, changes: docIds.length });
  }

  /**
   * While a call runs on a thin link, sync yields (SyncClient.setYield): bulk catch-up pauses, this device's edits
   * (the minutes) still go. Called from any tab: the tab that holds the connection applies it. Memory only: a reload
   * of that tab ends it.
   */
  setYield(on: boolean) {
    this.yielding = on;
    this.client?.setYield(on);
    if (!this.client) this.post({ type: 'yield', on });
  }

  /** Other devices' presence in documents this tab announced presence in (`announce`). */
  readonly presenceListeners = new Set<(docId: string, update: Uint8Array) => void>();

  /**
   * Presence in a co-edited document (who is in the minutes, in which field): sent through the connection, never
   * stored. Only the tab that holds the connection has presence; in another tab this does nothing.
   */
  announce(docId: string, update: Uint8Array, current: () => Uint8Array) {
    this.client?.announce(docId, update, current);
  }

  leave(docId: string, removal: Uint8Array) {
    this.client?.leave(docId, removal);
  }

  /** Whether this document has changes the server has not acknowledged yet (made here, still in the outbox). */
  async hasPending(docId: string): Promise<boolean> {
    return this.store.hasQueued(docId);
  }

  private post(message: TabMessage) {
    // A write finishing after stop() (logout) has no tab to tell.
    if (!this.stopped) this.channel?.postMessage(message);
  }

  private async onTabMessage(m: TabMessage) {
    if (m.type === 'yield') {
      this.yielding = m.on;
      this.client?.setYield(m.on);
      return;
    }
    if (m.type === 'outbox') {
      if (this.client) await this.client.localChange();
    } else if (m.type === 'changed') {
      this.options.onChange?.(m.docIds);
      await this.refreshPending();
    } else if (m.type === 'update') {
      await this.store.applyFromOtherTab(m.docId, m.update);
    } else if (m.type === 'replaced') {
      await this.store.reload(m.docId);
      this.options.onReplaced?.(m.docId);
    }
  }

  /** Opens a document (creating it with `meta`); local edits are stored, queued and synced. */
  async openDoc(docId: string, meta?: DocMeta): Promise<Y.Doc> {
    const doc = await this.store.openDoc(docId, meta);
    if (!this.relayed.has(doc)) {
      this.relayed.add(doc);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        // Other tabs with the same document open see this tab's typing at once.
        if (LocalStore.isLocal(origin)) this.post({ type: 'update', docId, update });
      });
    }
    return doc;
  }

  closeDoc(docId: string) {
    return this.store.closeDoc(docId);
  }

  private readonly rebasing = new Set<string>();
  /** A refusal that came while its document was being rebuilt: the answer the next rebuild follows. */
  private readonly rebaseAgain = new Map<string, string>();

  /**
   * After a refusal, rebuilds the document from the server's state (leader tab only: it holds the connection).
   * Without write access at all ("forbidden"), the server's version simply wins; otherwise what was typed and is
   * still valid is written again.
   */
  async rebase(docId: string, code: string) {
    const client = this.client;
    if (!client) return;
    // A refusal that comes while this document is being rebuilt is not lost: the rebuild runs again after it, with
    // the stricter of the two answers ("forbidden": the server's version wins).
    if (this.rebasing.has(docId)) {
      const waiting = this.rebaseAgain.get(docId);
      this.rebaseAgain.set(docId, waiting === 'forbidden' ? waiting : code);
      return;
    }
    this.rebasing.add(docId);
    try {
      for (let next: string | undefined = code; next !== undefined; next = this.rebaseAgain.get(docId)) {
        this.rebaseAgain.delete(docId);
        // A document the server never accepted has no state there: start from empty (it is created again).
        const known = (await this.db.docs.get(docId))?.known === 1;
        let state: Uint8Array | undefined = Y.encodeStateAsUpdateV2(new Y.Doc());
        if (known) {
          const answer = this.store.awaitServerState(docId, 30_000);
          client.requestDoc(docId, Y.encodeStateVector(new Y.Doc()));
          state = await answer;
        }
        if (state) await this.store.rebase(docId, state, next !== 'forbidden');
      }
    } finally {
      this.rebasing.delete(docId);
      this.rebaseAgain.delete(docId);
    }
  }

  /** The browser says the network is back: connect now rather than after the backoff. */
  online() {
    this.client?.start();
    this.client?.reconnectNow();
  }

  /** The browser says the network is gone: close at once (a dead socket can look open for minutes) and queue. */
  offline() {
    this.client?.stop();
  }

  async stop() {
    this.stopped = true;
    this.client?.stop();
    this.client = undefined;
    this.releaseLeader?.();
    this.lease?.release();
    this.channel?.close();
    this.db.close();
  }
}
