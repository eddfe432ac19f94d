// Vitest global setup: the real PostgreSQL the tests run against. `npm test` passes one in TEST_DATABASE_URL;
// a lone `npx vitest run some.test.ts` gets a throwaway server started here.
import type { TestProject } from 'vitest/node';
import './provided-context';
import { startThrowawayPostgres } from './lib/postgres.mjs';

export default async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  let stop: (() => void) | undefined;
  if (!url) {
    const pg = (await startThrowawayPostgres()) as { url: string; stop(): void };
    url = pg.url;
    stop = pg.stop;
  }
  project.provide('databaseUrl', url);
  return () => stop?.();
}
