// The zero-setup database: PGlite (PostgreSQL in WebAssembly) served over the PostgreSQL wire protocol,
// so the server talks to it with the same `postgres` client code as to a real PostgreSQL server.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type EmbeddedPostgres = { url: string; stop(): Promise<void> };

/**
 * Opens (or creates) the database in `dir` (in memory when undefined) and serves it on a Unix socket in a
 * folder only this user may enter (mode 700), so no other local user or process can reach it without this
 * account's rights (a loopback TCP port would let any local process in, with no password).
 */
export async function startEmbeddedPostgres(dir: string | undefined): Promise<EmbeddedPostgres> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir ? { dataDir: dir } : {});
  // A short path: Unix socket paths are limited to about 100 bytes, and DATA_DIR may be long.
  const socketDir = mkdtempSync(path.join(tmpdir(), 'telehealth-pg-'));
  chmodSync(socketDir, 0o700);
  const port = 5432;
  // One connection: PGlite runs one query at a time, and interleaved extended-protocol messages from two
  // connections break each other's portals (measured). Clients use a pool of one.
  const server = new PGLiteSocketServer({ db, path: path.join(socketDir, `.s.PGSQL.${port}`), maxConnections: 1 });
  await server.start();
  return {
    url: `postgres://postgres@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    }
  };
}
