// Backing up and restoring the server's database with PostgreSQL's own tools (`npm run db:backup -- FILE`,
// `npm run db:restore -- FILE`), and what a restore must do so that devices catch up without being provisioned
// again (ARCHITECTURE.md, "Restoring the server database").
//
// With DATABASE_URL: pg_dump's custom format, restored by pg_restore in one transaction. With the embedded database
// (PGlite in DATA_DIR/pglite): its data folder as one gzipped file (PGlite's dumpDataDir), with the server stopped.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Log positions skipped by a restore. Devices may hold cursors beyond the backup's last position (they synced after
 * it was made); new entries are numbered past any such cursor, so that every device receives them.
 */
export const restoreGap = 2 ** 40;

/** Runs one SQL text and returns its rows (the `postgres` client's `unsafe`, or PGlite's `query`). */
export type RunSql = (text: string) => Promise<Record<string, unknown>[]>;

/**
 * After the restored data is in place: renews the log's identity, records the restore point (the last log position
 * the backup holds), and moves the log's sequence past any position a device may have seen.
 */
export async function finishRestore(run: RunSql): Promise<{ id: string; restoredSeq: number }> {
  const [max] = await run(`select greatest(coalesce((select max(seq) from updates), 0), (select last_value from log_seq)) as seq`);
  const restoredSeq = Number(max?.seq ?? 0);
  await run(`select setval('log_seq', ${restoredSeq + restoreGap})`);
  const [row] = await run(
    `update log_identity set id = md5(random()::text || clock_timestamp()::text), restored_seq = ${restoredSeq}, restored_at = now() returning id`
  );
  return { id: String(row?.id), restoredSeq };
}

/** The PostgreSQL client tools of the newest installed version (Debian's layout), else whatever is on the PATH. */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', name))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin', name);
  }
  return name;
}

const run = promisify(execFile);

export async function backupPostgres(databaseUrl: string, file: string): Promise<void> {
  await run(pgTool('pg_dump'), ['--format=custom', '--no-owner', `--file=${file}`, databaseUrl]);
}

export async function restorePostgres(databaseUrl: string, file: string): Promise<{ id: string; restoredSeq: number }> {
  await run(pgTool('pg_restore'), ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${databaseUrl}`, file]);
  const { default: postgres } = await import('postgres');
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    return await finishRestore((text) => sql.unsafe(text));
  } finally {
    await sql.end();
  }
}

export async function backupEmbedded(dataDir: string, file: string): Promise<void> {
  if (!existsSync(path.join(dataDir, 'pglite'))) throw new Error(`No embedded database in ${dataDir} (DATA_DIR): nothing to back up.`);
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pglite') });
  try {
    const dump = await db.dumpDataDir('gzip');
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()), { mode: 0o600 });
  } finally {
    await db.close();
  }
}

/** Restores the embedded database from a backup file; the current one is kept beside it, renamed. */
export async function restoreEmbedded(dataDir: string, file: string, nowMs = Date.now()): Promise<{ id: string; restoredSeq: number; kept?: string }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const target = path.join(dataDir, 'pglite');
  let kept: string | undefined;
  if (existsSync(target)) {
    kept = `${target}.before-restore-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, kept);
  }
  const db = await PGlite.create({ dataDir: target, loadDataDir: new Blob([readFileSync(file)]) });
  try {
    return { ...(await finishRestore(async (text) => (await db.query<Record<string, unknown>>(text)).rows)), kept };
  } finally {
    await db.close();
  }
}

async function serverAnswers(host: string, port: number): Promise<boolean> {
  const address = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  try {
    await fetch(`http://${address}:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

async function main(argv: string[]) {
  const [command, file] = argv;
  if ((command !== 'backup' && command !== 'restore') || !file) {
    console.error('usage: npm run db:backup -- FILE | npm run db:restore -- FILE (the server must be stopped for a restore)');
    process.exit(2);
  }
  const { loadConfig } = await import('./config');
  const config = loadConfig(process.env);
  const target = path.resolve(file);
  // The embedded database has one user at a time, and a restore replaces what a running server holds open.
  if ((command === 'restore' || !config.databaseUrl) && (await serverAnswers(config.host, config.port))) {
    console.error(`The server answers on port ${config.port}: stop it first (the ${command} needs the database to itself).`);
    process.exit(2);
  }
  if (command === 'backup') {
    if (config.databaseUrl) await backupPostgres(config.databaseUrl, target);
    else await backupEmbedded(config.dataDir, target);
    console.log(`Backed up to ${target}. Keep the token secret (AUTH_SECRET or DATA_DIR/auth-secret) with it.`);
    return;
  }
  if (!existsSync(target)) {
    console.error(`No such backup file: ${target}`);
    process.exit(2);
  }
  const result = config.databaseUrl ? await restorePostgres(config.databaseUrl, target) : await restoreEmbedded(config.dataDir, target);
  console.log(`Restored from ${target}: the log's new identity is ${result.id}, its restore point ${result.restoredSeq}.`);
  if ('kept' in result && result.kept) console.log(`The database it replaced is kept in ${result.kept}.`);
  console.log('Start the server: devices send again what they wrote after the backup, and keep what they have.');
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
