// The sync engine of the signed-in account, and its status as rune state for the interface.
import { SyncState } from '@telehealth/sync-client';
import { session } from '../auth/session.svelte';
import { SyncEngine } from './engine';
import { ChangeFeeds } from './change-feed';
import { deviceIdFor } from './device';
import { flushOpenings, recordOpening } from './openings';
import { clearAccountData } from './clear';

class Sync {
  state = $state<string>(SyncState.offline);
  /** Records (documents) with changes waiting for the server. */
  pending = $state(0);
  /** Changes (edits) waiting for the server, across those records. */
  queued = $state(0);
  refused = $state(0);
  /** A change made here could not be stored on the device (and was undone): the layout says so. */
  notStored = $state(false);
  lastSyncAt = $state<number | undefined>(undefined);
  /** Bumped whenever documents change, so lists re-read their indexes. */
  changes = $state(0);
  /** Which documents changed, for each list that keeps rows in memory (`feeds.create()`). */
  readonly feeds = new ChangeFeeds();
  /** Called when a document was rebuilt from the server's state (after a refusal): open copies are replaced. */
  readonly replacedListeners: ((docId: string) => void)[] = [];
  engine = $state.raw<SyncEngine | undefined>(undefined);
  /** The signed-in account's engine has started: screens open documents (through app/lib/records) once it has. */
  get ready(): boolean {
    return this.engine !== undefined;
  }
  #userId: string | undefined;
  #flushing = false;
  #online = () => this.engine?.online();
  #offline = () => this.engine?.offline();

  /** After an online login: the connection may start again (it stops when it needs a login). */
  resume() {
    this.engine?.client?.start();
  }

  /**
   * An administrator revoked this device (lost or stolen): the account's data is removed from it and the session
   * ends; the login page says why. What it had not sent is lost with it: that is what revoking a device means.
   */
  async #revoked(userId: string) {
    await session.logout();
    await this.follow(undefined);
    await clearAccountData(userId);
    location.replace('/login?revoked=1');
  }

  /** Starts the engine for the signed-in account, or stops it after logout. */
  async follow(userId: string | undefined) {
    if (userId === this.#userId) return;
    // One listener for the app's life: the browser says the network is back, so try now.
    removeEventListener('online', this.#online);
    addEventListener('online', this.#online);
    removeEventListener('offline', this.#offline);
    addEventListener('offline', this.#offline);
    await this.engine?.stop();
    this.engine = undefined;
    this.#userId = userId;
    // The last sync time kept on this device (undefined: it never finished a sync; lists say so, not "none").
    const kept = userId ? Number(localStorage.getItem(`telehealth.lastSync.${userId}`)) : 0;
    this.lastSyncAt = kept > 0 ? kept : undefined;
    if (!userId) return;
    const engine = new SyncEngine({
      namespace: userId,
      origin: location.origin,
      getToken: () => session.accessToken(),
      onStatus: (s) => {
        this.state = s.state;
        this.pending = s.pending;
        this.queued = s.changes ?? this.queued;
        this.refused = s.refused;
        this.lastSyncAt = s.lastSyncAt ?? this.lastSyncAt;
        if (s.state === SyncState.synced) void this.flushOpenings();
        if (s.state === SyncState.deviceRevoked) void this.#revoked(userId);
      },
      onNotStored: () => (this.notStored = true),
      onReplaced: (docId) => {
        for (const listener of this.replacedListeners) listener(docId);
      },
      onChange: (docIds) => {
        this.feeds.push(docIds);
        this.changes++;
      }
    });
    await engine.start();
    if (this.yielding) engine.setYield(true);
    this.engine = engine;
    this.changes++;
  }

  /** Sync yields to a call on a thin link: bulk catch-up pauses, this device's edits (the minutes) still go. */
  yielding = $state(false);

  /**
   * The call screen turns this on while a call runs on a thin link (a rung below HD video, say) and off when the
   * call ends or the link recovers; catch-up then resumes where it stopped (SyncClient.setYield).
   */
  yieldForCall(on: boolean) {
    this.yielding = on;
    this.engine?.setYield(on);
  }

  /**
   * A chart of another unit was opened on this device (a referral read by the upper unit): recorded at once in
   * the audit queue, offline too, and sent to the server when online (app/lib/sync/openings.ts).
   */
  recordOpening(docId: string, chartUnitId: unknown) {
    const user = session.user;
    if (!user || user.role === 'patient' || !this.#userId || typeof chartUnitId !== 'string' || chartUnitId === user.unitId) return;
    recordOpening(localStorage, `telehealth.openings.${this.#userId}`, { docId, at: new Date().toISOString() });
    if (this.state === SyncState.synced) void this.flushOpenings();
  }

  async flushOpenings() {
    const userId = this.#userId;
    if (!userId || this.#flushing) return;
    this.#flushing = true;
    try {
      const device = deviceIdFor(userId);
      await flushOpenings(localStorage, `telehealth.openings.${userId}`, async (entries) => {
        const token = await session.accessToken();
        if (!token) return false;
        const res = await fetch('/api/audit/opened', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ device, entries })
        }).catch(() => undefined);
        return Boolean(res?.ok);
      });
    } finally {
      this.#flushing = false;
    }
  }
}

export const sync = new Sync();
