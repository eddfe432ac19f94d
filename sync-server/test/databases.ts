// The two database backends every storage test runs against: embedded PGlite and the real PostgreSQL server.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../src/storage/embedded-postgres';
import '../../scripts/provided-context';

export type TestDatabase = { url: string; maxConnections: number; drop(): Promise<void> };

export type Backend = { name: string; create(): Promise<TestDatabase> };

/** A new empty database on the real server started for the test run. */
async function freshPostgresDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('databaseUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    maxConnections: 10,
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    }
  };
}

async function freshEmbeddedDatabase(): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres(undefined);
  return { url: embedded.url, maxConnections: 1, drop: () => embedded.stop() };
}

export const backends: Backend[] = [
  { name: 'embedded PGlite', create: freshEmbeddedDatabase },
  { name: 'PostgreSQL', create: freshPostgresDatabase }
];
