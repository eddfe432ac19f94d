// Seeded convergence fuzzing (the scenario is in fuzz-scenario.ts): several devices edit the same records at
// random, go offline, drop connections, and the server restarts; in the end every device reports synced, holds what
// the server holds, and no acknowledged edit is lost. A seed replays exactly (`npm run fuzz -- --seed N`); a failing
// seed is printed; keep it below as a named regression test once the bug is fixed.
import { describe, expect, it } from 'vitest';
import { runScenario } from './fuzz-scenario';
import { backends } from './databases';

/** Seeds that once failed, with what they found. The scenario has changed since; they still run as ordinary seeds. */
const regressionSeeds: { seed: number; found: string }[] = [
  { seed: 303, found: 'server stop hung when devices reconnected during shutdown (upgrades are now refused while closing)' },
  { seed: 4, found: 'a device reported synced after its update was acknowledged while an earlier entry was still held back by the server (synced now waits for the cursor to reach the acknowledged seq)' }
];

const extraSeed = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [];
const debug = process.env.FUZZ_DEBUG ? (line: string) => console.error(line) : undefined;
const postgresBackend = backends.find((b) => b.name === 'PostgreSQL')!;

async function onPostgres<T>(run: (url: string) => Promise<T>): Promise<T> {
  const db = await postgresBackend.create();
  try {
    return await run(db.url);
  } finally {
    await db.drop();
  }
}

describe('convergence under random edits, disconnections and restarts', () => {
  it.each([101, 202, 505, ...extraSeed])('converges with no acknowledged edit lost, seed %i (PostgreSQL)', async (seed) => {
    const result = await onPostgres((databaseUrl) => runScenario({ seed, steps: 160, databaseUrl, debug }));
    expect(result.acked).toBeGreaterThan(20);
  }, 120_000);

  it('converges with no acknowledged edit lost, seed 404 (embedded PGlite)', async () => {
    const result = await runScenario({ seed: 404, steps: 100, debug });
    expect(result.acked).toBeGreaterThan(10);
  }, 120_000);

  it.each(regressionSeeds.map((r) => [r.seed, r.found] as const))('regression seed %i: %s', async (seed) => {
    await onPostgres((databaseUrl) => runScenario({ seed, steps: 160, databaseUrl, debug }));
  }, 120_000);

  it('replays a seed exactly: two runs of one seed converge to the same documents', async () => {
    const first = await onPostgres((databaseUrl) => runScenario({ seed: 707, steps: 80, databaseUrl }));
    const second = await onPostgres((databaseUrl) => runScenario({ seed: 707, steps: 80, databaseUrl }));
    expect(second).toEqual(first);
  }, 120_000);
});
