// The zero-setup database: PGlite (PostgreSQL in WebAssembly) served over the PostgreSQL wire protocol,
// so the server talks to it with the same `postgres` client code as to a real PostgreSQL server.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type EmbeddedPostgres = { url: string; stop(): Promise<void> };

/** Opens (or creates) the database in `dir` (in memory when undefined) and listens on a free loopback port. */
export async function startEmbeddedPostgres(dir: string | undefined): Promise<EmbeddedPostgres> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir ? { dataDir: dir } : {});
  // One connection: PGlite runs one query at a time, and interleaved extended-protocol messages from two
  // connections break each other's portals (measured). Clients use a pool of one.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const port = listeningPort(server);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    }
  };
}

function listeningPort(server: PGLiteSocketServer): number {
  // PGLiteSocketServer keeps its net.Server private; with port 0 the real port is only on the socket.
  const net = (server as unknown as { server: { address(): AddressInfo | string | null } | null }).server;
  const address = net?.address();
  if (!address || typeof address === 'string') throw new Error('embedded PostgreSQL did not report a TCP port');
  return address.port;
}
