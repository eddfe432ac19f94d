// The seeded convergence scenario: three devices of one station edit the same charts at random, go offline, lose
// connections and see the server restart; at the end every device holds what the server holds and no
// acknowledged edit is lost. It replays a seed exactly: the network between devices and server is simulated
// (frames wait in queues until the seeded random stream delivers them), the clients' clock and backoff timers are
// virtual, and after each delivery the scenario waits until the server has nothing left to do (no storage call
// in flight) instead of sleeping. Used by convergence.fuzz.test.ts and by `npm run fuzz -- --seed N`.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { CloseCode } from '@telehealth/protocol';
import { MemoryDeviceStore, SyncClient, SyncState, type SocketLike } from '@telehealth/sync-client';
import { docId, mainRecord, seededRandom, writeFields, writeForm } from '@telehealth/domain';
import { Connection } from '../src/sync/connection';
import { login, startTestSystem, type TestSystem } from './harness';

export type ScenarioOptions = {
  seed: number;
  steps: number;
  /** A real PostgreSQL database; undefined = embedded PGlite in a fresh folder. */
  databaseUrl?: string;
  /** Progress and, on a mismatch, the documents' states. */
  debug?: (line: string) => void;
};

export type ScenarioResult = {
  /** sha-256 over the created documents' ids and canonical contents, sorted by id. */
  digest: string;
  acked: number;
  restarts: number;
  deliveries: number;
  logHead: number;
};

/** JSON with object keys sorted: a map's iteration order differs between replicas, its content must not. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
  );
}

/** A chart's content; root types appear in toJSON() only once asked for, so both are asked for. */
const contentOf = (doc: Y.Doc) => canonical({ patient: mainRecord(doc, 'patient').toJSON(), forms: doc.getMap('forms').toJSON() });

/** The state vector an update brings, as client id → highest clock + 1. */
function stateVectorOf(update: Uint8Array): Map<number, number> {
  const dec = decoding.createDecoder(Y.encodeStateVectorFromUpdateV2(update));
  const sv = new Map<number, number>();
  const n = decoding.readVarUint(dec);
  for (let i = 0; i < n; i++) sv.set(decoding.readVarUint(dec), decoding.readVarUint(dec));
  return sv;
}

/** Timers that fire only when the scenario moves time forward. */
class VirtualClock {
  now = 0;
  private timers: { id: number; at: number; run: () => void }[] = [];
  private nextId = 1;
  set(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.now + ms, run });
    return id;
  }
  clear(handle: unknown) {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  private next() {
    return this.timers.reduce<(typeof this.timers)[number] | undefined>((a, t) => (!a || t.at < a.at || (t.at === a.at && t.id < a.id) ? t : a), undefined);
  }
  /** Moves time forward by `ms`, running the timers that fall due, in order. */
  advance(ms: number) {
    const until = this.now + ms;
    for (let t = this.next(); t && t.at <= until; t = this.next()) {
      this.clear(t.id);
      this.now = t.at;
      t.run();
    }
    this.now = until;
  }
  /** Moves time to the next timer and runs it; false when none is set. */
  advanceToNext(): boolean {
    const t = this.next();
    if (!t) return false;
    this.advance(t.at - this.now);
    return true;
  }
}

type ToClient = { kind: 'open' } | { kind: 'frame'; data: Uint8Array } | { kind: 'close'; code: number; reason: string };

/** One simulated WebSocket: frames in each direction wait until the scenario delivers them. */
class Link {
  readonly toServer: Uint8Array[] = [];
  readonly toClient: ToClient[] = [];
  /** Closed by either side: nothing more is queued. */
  closed = false;
  server: (EventEmitter & { send(data: Uint8Array, cb?: (err?: Error) => void): void; close(code?: number, reason?: string): void }) | undefined;
  conn: Connection | undefined;
  readonly client: SocketLike & { readyState: number };

  constructor(private readonly net: Network) {
    const client: SocketLike & { readyState: number } = {
      binaryType: 'arraybuffer',
      readyState: 0,
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
      send: (data: Uint8Array) => {
        if (client.readyState === 1 && !this.closed) this.toServer.push(data.slice());
      },
      close: (code = 1000, reason = '') => {
        if (client.readyState === 3) return;
        client.readyState = 3;
        this.closeFromClient(code, reason);
      }
    };
    this.client = client;
  }

  get pending() {
    return this.toServer.length + this.toClient.length;
  }

  /** The client closed: queued frames are lost, both sides learn of it. */
  private closeFromClient(code: number, reason: string) {
    if (!this.closed) {
      this.closed = true;
      this.toServer.length = 0;
      this.toClient.length = 0;
      const server = this.server;
      if (server) queueMicrotask(() => server.emit('close', code, Buffer.from(reason)));
    }
    queueMicrotask(() => this.client.onclose?.({ code, reason }));
  }

  /** The server closed: frames already queued for the client still arrive, then the close. */
  closeFromServer(code: number, reason: string) {
    if (this.closed) return;
    this.closed = true;
    this.toServer.length = 0;
    this.toClient.push({ kind: 'close', code, reason });
    const server = this.server;
    if (server) queueMicrotask(() => server.emit('close', code, Buffer.from(reason)));
  }

  /** Delivers the oldest frame for the server; the server side of the socket is accepted on the first one. */
  deliverToServer() {
    const data = this.toServer.shift();
    if (!data) return;
    if (!this.server) {
      const server = Object.assign(new EventEmitter(), {
        send: (bytes: Uint8Array, cb?: (err?: Error) => void) => {
          if (!this.closed) this.toClient.push({ kind: 'frame', data: bytes.slice() });
          queueMicrotask(() => cb?.());
        },
        close: (code = 1000, reason = '') => this.closeFromServer(code, reason)
      });
      this.server = server;
      this.conn = new Connection(server as unknown as WebSocket, this.net.hub());
    }
    this.server.emit('message', Buffer.from(data), true);
  }

  deliverToClient() {
    const ev = this.toClient.shift();
    if (!ev) return;
    const c = this.client;
    if (ev.kind === 'open') {
      if (c.readyState !== 0) return;
      c.readyState = 1;
      c.onopen?.({});
    } else if (ev.kind === 'frame') {
      if (c.readyState === 1) c.onmessage?.({ data: ev.data });
    } else if (c.readyState !== 3) {
      c.readyState = 3;
      c.onclose?.({ code: ev.code, reason: ev.reason });
    }
  }
}

/** Every link ever opened, in order; connections are refused while the server is down. */
class Network {
  readonly links: Link[] = [];
  up = true;
  constructor(readonly hub: () => TestSystem['hub']) {}

  connect(): SocketLike {
    const link = new Link(this);
    this.links.push(link);
    if (this.up) link.toClient.push({ kind: 'open' });
    else link.closeFromServer(1006, 'connection refused');
    return link.client;
  }

  busy(): Link[] {
    return this.links.filter((l) => l.pending > 0);
  }

  /** The server goes away: every open link is closed as the hub closes its connections. */
  closeAll() {
    for (const l of this.links) {
      if (l.conn) l.conn.close(CloseCode.goingAway);
      else l.closeFromServer(CloseCode.goingAway.code, CloseCode.goingAway.reason);
    }
  }
}

/** Counts the storage calls in flight: the server is quiet when none is and a turn of the event loop starts none. */
class Quiescence {
  private readonly busy = new Set<Promise<unknown>>();
  private started = 0;

  track(system: TestSystem) {
    for (const target of [system.storage, system.storage.log] as unknown as Record<string, unknown>[]) {
      for (const [key, value] of Object.entries(target)) {
        if (typeof value !== 'function') continue;
        const fn = value as (...args: unknown[]) => unknown;
        target[key] = (...args: unknown[]) => {
          const result = fn.apply(target, args);
          if (result instanceof Promise) {
            this.started++;
            const done: Promise<unknown> = result.then(
              () => this.busy.delete(done),
              () => this.busy.delete(done)
            );
            this.busy.add(done);
          }
          return result;
        };
      }
    }
  }

  async settle() {
    for (;;) {
      if (this.busy.size) {
        await Promise.all([...this.busy]);
        continue;
      }
      const before = this.started;
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      if (this.busy.size === 0 && this.started === before) return;
    }
  }
}

type Device = { name: string; deviceId: string; store: MemoryDeviceStore; client: SyncClient };

/** True when `doc` has everything `update` brings (insertions; this scenario never deletes). */
function holds(doc: Y.Doc, update: Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of stateVectorOf(update)) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { seed, steps, databaseUrl, debug } = options;
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const env = { SYNC_BUS: 'local' };
  let system = await startTestSystem({ databaseUrl, env });
  const dataDir = system.config.dataDir;
  const quiet = new Quiescence();
  quiet.track(system);
  const net = new Network(() => system.hub);
  const clock = new VirtualClock();
  const { accessToken } = await login(system.url, 'tram.yty');

  const acked: { docId: string; update: Uint8Array }[] = [];
  const devices: Device[] = [];
  for (let i = 0; i < 3; i++) {
    const store = new MemoryDeviceStore(1_000 + i);
    const client = new SyncClient({
      url: 'sim://sync',
      deviceId: `fuzz-device-${i}`,
      getToken: async () => accessToken,
      store,
      connect: () => net.connect(),
      now: () => clock.now,
      random: seededRandom(seed * 7 + i + 1),
      timers: clock,
      backoff: { minMs: 20, maxMs: 200 }
    });
    const acknowledged = store.acknowledged.bind(store);
    store.acknowledged = async (id, upTo, seq) => {
      for (const e of await store.outbox()) if (e.docId === id && e.localId <= upTo) acked.push({ docId: id, update: e.update });
      await acknowledged(id, upTo, seq);
    };
    devices.push({ name: `device-${i}`, deviceId: `fuzz-device-${i}`, store, client });
    client.start();
  }
  await quiet.settle();

  let deliveries = 0;
  const deliverOne = async (link: Link, toServer: boolean) => {
    if (toServer) link.deliverToServer();
    else link.deliverToClient();
    deliveries++;
    await quiet.settle();
  };

  const created = new Set<string>();
  const offline = new Set<Device>();
  let restarts = 0;

  /**
   * What "synced" promises: a device that says so holds every entry the log had when the server last spoke to it.
   * Its own entries mark such moments (their acknowledgement), so it holds everything up to the last of them.
   */
  const checkSyncedTells = async (when: string) => {
    const rows = (await system.storage.log.readRange(1, await system.storage.log.maxSeq())).rows.filter((r) => created.has(r.docId));
    for (const d of devices) {
      if (d.client.currentStatus.state !== SyncState.synced) continue;
      const own = rows.filter((r) => r.origin === d.deviceId).at(-1)?.seq ?? 0;
      const missing = rows.find((r) => r.seq <= own && !holds(d.store.doc(r.docId), r.data));
      if (missing) throw new Error(`${when}: ${d.name} reports synced, its update ${own} is acknowledged, yet it lacks entry ${missing.seq} of ${missing.docId}`);
    }
  };
  try {
    for (let step = 0; step < steps; step++) {
      const r = rnd();
      const d = pick(devices);
      if (r < 0.45) {
        // A device edits a chart it holds (made by itself or received), or now and then makes a new one.
        const held = [...created].filter((id) => d.store.docs.has(id));
        const fresh = held.length === 0 || rnd() < 0.1;
        const p = fresh ? `p-${step}` : undefined;
        const id = p ? docId('patient', p) : pick(held);
        const meta = p ? { kind: 'patient', unitId: 'tyt-02701', patientId: p } : undefined;
        created.add(id);
        d.store.edit(id, meta, (doc) => {
          if (rnd() < 0.7) writeFields(mainRecord(doc, 'patient'), { [pick(['fullName', 'address', 'occupation', 'initialRegistrationPlace'])]: `${d.name}-${step}` });
          else writeForm(doc, `f${Math.floor(rnd() * 3)}`, { [pick(['symptoms', 'diagnosis', 'advice'])]: `${d.name}-${step}`, pulse: 60 + Math.floor(rnd() * 60) });
        });
        if (!offline.has(d)) await d.client.localChange();
      } else if (r < 0.55) {
        if (offline.has(d)) {
          offline.delete(d);
          d.client.start();
        } else {
          offline.add(d);
          d.client.stop();
        }
      } else if (r < 0.62) {
        d.client.dropConnection();
      } else if (r < 0.635 && restarts < 2) {
        restarts++;
        debug?.(`restart at step ${step}`);
        net.up = false;
        net.closeAll();
        await quiet.settle();
        await system.stop();
        system = await startTestSystem({ databaseUrl, dataDir, env });
        quiet.track(system);
        net.up = true;
      } else if (r < 0.75) {
        clock.advance(Math.floor(rnd() * 80));
      }
      await quiet.settle();
      // The network moves a few frames, in a random order across links and directions.
      for (let k = Math.floor(rnd() * 5); k > 0; k--) {
        const busy = net.busy();
        if (!busy.length) break;
        const link = pick(busy);
        const toServer = link.toServer.length > 0 && (link.toClient.length === 0 || rnd() < 0.5);
        await deliverOne(link, toServer);
      }
      await checkSyncedTells(`step ${step}`);
    }

    // Everyone comes online; the network delivers everything and time runs until nothing is left to do.
    for (const d of offline) d.client.start();
    offline.clear();
    for (const d of devices) await d.client.localChange();
    await quiet.settle();
    for (let guard = 0; ; guard++) {
      if (guard > 200_000) throw new Error('the network never went quiet');
      const link = net.busy()[0];
      if (link) await deliverOne(link, link.toServer.length > 0);
      else if (clock.advanceToNext()) await quiet.settle();
      else break;
    }

    const logHead = await system.storage.log.maxSeq();
    for (const d of devices) {
      const s = d.client.currentStatus;
      if (s.state !== SyncState.synced || s.pending !== 0) throw new Error(`${d.name} reports ${s.state} with ${s.pending} pending after the network went quiet`);
      const cursor = await d.store.cursor();
      if (cursor.e < logHead) throw new Error(`${d.name} reports synced at cursor ${cursor.e} while the log's head is ${logHead}`);
    }
    const lines: string[] = [];
    for (const id of [...created].sort()) {
      const server = new Y.Doc();
      for (const row of await system.storage.log.docHistory(id, Number.MAX_SAFE_INTEGER)) Y.applyUpdateV2(server, row.data);
      const expected = contentOf(server);
      for (const d of devices) {
        const have = contentOf(d.store.doc(id));
        if (have !== expected) {
          debug?.(`${id} server ${expected}`);
          for (const x of devices) debug?.(`${id} ${x.name} ${contentOf(x.store.doc(id))} ${JSON.stringify(x.client.currentStatus)}`);
          throw new Error(`${d.name} holds another state of ${id} than the server`);
        }
      }
      lines.push(`${id}\n${expected}\n`);
    }
    for (const { docId: id, update } of acked) {
      for (const d of devices) if (!holds(d.store.doc(id), update)) throw new Error(`${d.name} lacks an acknowledged edit of ${id}`);
    }
    for (const d of devices) {
      if (d.store.refusedEntries.length) throw new Error(`${d.name} had ${d.store.refusedEntries.length} changes refused (${d.store.refusedEntries[0]!.code})`);
    }
    const digest = createHash('sha256').update(lines.join('')).digest('hex');
    return { digest, acked: acked.length, restarts, deliveries, logHead };
  } catch (err) {
    if (err instanceof Error) err.message = `seed ${seed}: ${err.message} (replay: npm run fuzz -- --seed ${seed})`;
    throw err;
  } finally {
    for (const d of devices) d.client.stop();
    net.closeAll();
    await quiet.settle();
    await system.stop();
  }
}
