// `npm run projections:rebuild`: empties the projection tables and replays the whole log into them, in pages.
// Reads the same environment as the server (DATABASE_URL, or the embedded database in DATA_DIR: stop the server
// first there, since one process owns the PGlite folder). With a real PostgreSQL server the nodes may keep
// running: the rebuild holds the projections' advisory lock while it empties the tables, and running nodes
// drop their cached documents when they see the position move back.
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { startEmbeddedPostgres } from '../storage/embedded-postgres';
import { connectPostgres, createPostgresStorage } from '../storage/postgres-storage';
import { Projector } from './projector';

const config = loadConfig();
const log = createLogger(config.logLevel);
const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(path.join(config.dataDir, 'pglite'));
const sql = connectPostgres(config.databaseUrl ?? embedded!.url, embedded ? 1 : 2);
const storage = createPostgresStorage(sql);
try {
  await storage.migrate();
  const projector = new Projector({ sql, log, pollMs: 0 });
  const started = Date.now();
  await projector.rebuild();
  const status = await projector.status();
  process.stdout.write(`projections rebuilt up to log seq ${status.position} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} finally {
  await storage.close();
  await embedded?.stop();
}
