// Seeded convergence fuzzing: several devices edit the same records at random, go offline, drop connections,
// and the server restarts; in the end every device holds the same records and no acknowledged edit is lost.
// A failing seed is printed; keep it below as a named regression test once the bug is fixed.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { docId, mainRecord, seededRandom, writeFields, writeForm } from '@telehealth/domain';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from './harness';
import { backends } from './databases';

/** Seeds that once failed, with what they found. */
const regressionSeeds: { seed: number; found: string }[] = [
  { seed: 303, found: 'server stop hung when devices reconnected during shutdown (upgrades are now refused while closing)' }
];

/** JSON with object keys sorted: a map's iteration order differs between replicas, its content must not. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v
  );
}

/** The state vector an update brings, as client id → highest clock + 1. */
function stateVectorOf(update: Uint8Array): Map<number, number> {
  const dec = decoding.createDecoder(Y.encodeStateVectorFromUpdateV2(update));
  const sv = new Map<number, number>();
  const n = decoding.readVarUint(dec);
  for (let i = 0; i < n; i++) sv.set(decoding.readVarUint(dec), decoding.readVarUint(dec));
  return sv;
}

async function runSeed(seed: number, databaseUrl: string | undefined, steps: number) {
  const rnd = seededRandom(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let system: TestSystem = await startTestSystem({ databaseUrl });
  const port = system.port;
  const dataDir = system.config.dataDir;
  const devices: Device[] = [];
  for (let i = 0; i < 3; i++) devices.push(await device(system.url, 'tram.yty', { name: `device-${i}` }));
  const acked: { docId: string; update: Uint8Array }[] = [];
  for (const d of devices) {
    const acknowledged = d.store.acknowledged.bind(d.store);
    d.store.acknowledged = async (id, upTo) => {
      for (const e of await d.store.outbox()) if (e.docId === id && e.localId <= upTo) acked.push({ docId: id, update: e.update });
      await acknowledged(id, upTo);
    };
  }
  const created = new Set<string>();
  const offline = new Set<Device>();
  let restarts = 0;
  try {
    for (let step = 0; step < steps; step++) {
      const r = rnd();
      const d = pick(devices);
      if (r < 0.6) {
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
      } else if (r < 0.75) {
        if (offline.has(d)) {
          offline.delete(d);
          d.client.start();
        } else {
          offline.add(d);
          d.client.stop();
        }
      } else if (r < 0.85) {
        d.client.dropConnection();
      } else if (r < 0.87 && restarts < 2) {
        restarts++;
        if (process.env.FUZZ_DEBUG) console.error('restart', step);
        await system.stop();
        if (process.env.FUZZ_DEBUG) console.error('stopped', step);
        system = await startTestSystem({ databaseUrl, dataDir, port });
        if (process.env.FUZZ_DEBUG) console.error('started', step);
      } else {
        await new Promise((res) => setTimeout(res, Math.floor(rnd() * 30)));
      }
    }
    for (const d of offline) d.client.start();
    for (const d of devices) await d.client.localChange();
    await waitFor(
      () => devices.every((d) => d.client.currentStatus.state === 'synced' && d.client.currentStatus.pending === 0),
      30_000,
      'every device synced'
    );
    // Let the last live chunks land.
    await new Promise((res) => setTimeout(res, 300));
    await waitFor(() => devices.every((d) => d.client.currentStatus.state === 'synced'), 10_000, 'quiet');

    for (const id of created) {
      // Root types appear in toJSON() only once a replica has asked for them: ask for both.
      const states = devices.map((d) => canonical({ patient: mainRecord(d.store.doc(id), 'patient').toJSON(), forms: d.store.doc(id).getMap('forms').toJSON() }));
      if (new Set(states).size !== 1 && process.env.FUZZ_DEBUG) {
        const rows = await system.storage.log.docHistory(id, Number.MAX_SAFE_INTEGER);
        const server = new Y.Doc();
        for (const row of rows) Y.applyUpdateV2(server, row.data);
        console.error(id, 'server', JSON.stringify(server.toJSON()), rows.map((r) => `${r.seq}/${r.origin}`).join(' '));
        devices.forEach((d, i) => console.error(d.name, states[i], d.client.currentStatus, JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(d.store.doc(id)))])));
      }
      expect(new Set(states).size, `${id} converges`).toBe(1);
    }
    for (const { docId: id, update } of acked) {
      for (const d of devices) {
        const have = Y.encodeStateVector(d.store.doc(id));
        const haveMap = stateVectorOf(Y.encodeStateAsUpdateV2(d.store.doc(id)));
        for (const [client, clock] of stateVectorOf(update)) expect(haveMap.get(client) ?? 0, `${d.name} has acknowledged edit of ${id}`).toBeGreaterThanOrEqual(clock);
        expect(have.length).toBeGreaterThan(0);
      }
    }
    expect(devices.every((d) => d.store.refusedEntries.length === 0)).toBe(true);
    return { acked: acked.length, restarts };
  } catch (err) {
    console.error(`convergence fuzz failed with seed ${seed} (FUZZ_SEED=${seed} to replay)`);
    throw err;
  } finally {
    for (const d of devices) d.client.stop();
    await system.stop();
  }
}

const extraSeed = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [];
const postgresBackend = backends.find((b) => b.name === 'PostgreSQL')!;

describe('convergence under random edits, disconnections and restarts', () => {
  it.each([...[101, 202, 505], ...extraSeed])('converges with no acknowledged edit lost, seed %i (PostgreSQL)', async (seed) => {
    const db = await postgresBackend.create();
    try {
      const result = await runSeed(seed, db.url, 160);
      expect(result.acked).toBeGreaterThan(20);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it('converges with no acknowledged edit lost, seed 404 (embedded PGlite)', async () => {
    const result = await runSeed(404, undefined, 100);
    expect(result.acked).toBeGreaterThan(10);
  }, 120_000);

  it.each(regressionSeeds.map((r) => [r.seed, r.found] as const))('regression seed %i: %s', async (seed) => {
    const db = await postgresBackend.create();
    try {
      await runSeed(seed, db.url, 160);
    } finally {
      await db.drop();
    }
  }, 120_000);
});
