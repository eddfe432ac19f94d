// Test harness: whole sync systems on port 0 (on the test run's PostgreSQL server by default, embedded PGlite when
// asked), and simulated devices that speak the protocol through the real client over real WebSockets.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import WebSocket from 'ws';
import '../../scripts/provided-context';
import { MemoryDeviceStore, SyncClient, SyncState, type SocketLike } from '@telehealth/sync-client';
import { SYNC_PATH } from '@telehealth/protocol';
import { SCHEMA_VERSION } from '@telehealth/domain';
import { loadConfig, type Config } from '../src/config';
import { createLogger } from '../src/log';
import { startSystem, type RunningSystem } from '../src/system';
import { demoLogins } from '../src/demo-seed';

export type TestSystem = RunningSystem & { config: Config; logs: string[] };

/**
 * A database on the test run's PostgreSQL server for a data folder: the same folder, the same database (a restart
 * finds its data, as it would in the folder's embedded PGlite). PGlite itself is tested by the storage and log
 * contracts and the embedded-database tests; the scenarios run on the real server, which costs a fraction of the CPU.
 */
async function serverDatabaseFor(dataDir: string): Promise<string> {
  const adminUrl = inject('databaseUrl');
  const name = `h_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts a system: on `databaseUrl` if given; else `embedded: true` runs embedded PGlite in the data folder, and by
 * default a database of the run's PostgreSQL server stands for the folder (serverDatabaseFor).
 */
export async function startTestSystem(options: { databaseUrl?: string; embedded?: boolean; dataDir?: string; port?: number; env?: Record<string, string> } = {}): Promise<TestSystem> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'telehealth-sync-'));
  const databaseUrl = options.databaseUrl ?? (options.embedded ? undefined : await serverDatabaseFor(dataDir));
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    DATA_DIR: dataDir,
    APP_BUILD_DIR: path.join(dataDir, 'no-app'),
    SEED_DEMO: 'true',
    // Hundreds of sign-ins: cheap hashes on this loopback server (the production cost is tested in auth tests).
    PASSWORD_HASH_N: '1024',
    COMPACTION_INTERVAL_MS: '0',
    // Tests open many devices of one demo account; the cap itself is tested in hostile.test.ts.
    SYNC_MAX_CONNECTIONS_PER_ACCOUNT: '1000',
    // Janus is started only by the tests of the SFU (sfu.test.ts sets SFU=required).
    SFU: 'off',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    // A database the harness chose stands for one node's embedded one: the local bus, as PGlite would have (with the
    // notify bus a node also hears its own account closures, and what it counts becomes a race). A test that wants
    // several nodes passes its database and SYNC_BUS=notify.
    ...(options.databaseUrl ? {} : { SYNC_BUS: 'local' }),
    ...options.env
  });
  const logs: string[] = [];
  const system = await startSystem(config, createLogger('debug', (line) => logs.push(line)));
  return { ...system, config, logs };
}

export async function login(baseUrl: string, username: string, password?: string): Promise<{ accessToken: string; user: { id: string; unitId: string | null; patientId: string | null } }> {
  const login = demoLogins.find((l) => l.username === username);
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: password ?? login?.password ?? 'x' })
  });
  if (!res.ok) throw new Error(`login ${username} failed: ${res.status}`);
  return (await res.json()) as { accessToken: string; user: { id: string; unitId: string | null; patientId: string | null } };
}

export const wsUrl = (baseUrl: string) => baseUrl.replace(/^http/, 'ws') + SYNC_PATH;

let nextClientId = 1_000;

export type Device = {
  name: string;
  store: MemoryDeviceStore;
  client: SyncClient;
  token: string;
  synced(timeoutMs?: number): Promise<void>;
};

/** A device of a demo account, connected to `baseUrl` (or to a URL given by `url()`, for restarts). */
export async function device(baseUrl: string, username: string, options: { start?: boolean; name?: string; schemaVersion?: number } = {}): Promise<Device> {
  const session = await login(baseUrl, username);
  const store = new MemoryDeviceStore(nextClientId++);
  const deviceId = `dev-${username.replace(/[^a-z0-9]/gi, '')}-${nextClientId}`.padEnd(8, '0');
  const client = new SyncClient({
    url: wsUrl(baseUrl),
    deviceId,
    schemaVersion: 'schemaVersion' in options ? options.schemaVersion : SCHEMA_VERSION,
    getToken: async () => session.accessToken,
    store,
    connect: (url) => new WebSocket(url, { perMessageDeflate: true }) as unknown as SocketLike,
    backoff: { minMs: 20, maxMs: 200 }
  });
  if (options.start !== false) client.start();
  return {
    name: options.name ?? username,
    store,
    client,
    token: session.accessToken,
    synced: (timeoutMs = 10_000) => waitFor(() => client.currentStatus.state === SyncState.synced && client.currentStatus.pending === 0, timeoutMs, `${username} synced`)
  };
}

/** Waits until `check` holds (it may ask the server or the database: an async check is awaited each time). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the system's projections have read the whole log (what was written is in the report tables). */
export function projectionsCaughtUp(system: Pick<TestSystem, 'projections'>): Promise<void> {
  return waitFor(
    async () => {
      const st = await system.projections.status();
      return st.position === st.head;
    },
    20_000,
    'the projections to catch up'
  );
}
