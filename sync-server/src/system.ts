// Wires the whole system from a Config: database (embedded or real), storage, HTTP API, sync endpoint and app.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from './config';
import type { Logger } from './log';
import { createApp } from './app';
import { createTokenIssuer } from './auth/tokens';
import { seedDemo } from './demo-seed';
import { createSetupCode, type SetupCode } from './auth/setup';
import { listen, type ServerParts } from './server';
import { securityHeaders } from './security-headers';
import { Hub } from './sync/hub';
import { Projector } from './projections/projector';
import { startEmbeddedPostgres } from './storage/embedded-postgres';
import { connectPostgres, createPostgresStorage } from './storage/postgres-storage';
import type { Storage } from './storage/storage';
import { CallSignalling, isSignallingUpgrade } from './calls/signalling';
import { callPrefix, createCallTickets } from './calls/tickets';

export type RunningSystem = {
  url: string;
  port: number;
  storage: Storage;
  /** True when this start seeded the demo. */
  seededDemo: boolean;
  /** The database has no account and no demo: the one-time code for creating the first admin at /setup. */
  setup: SetupCode | undefined;
  hub: Hub;
  /** The query tables kept from the log (projections/projector.ts). */
  projections: Projector;
  stop(): Promise<void>;
};

/** The token secret: from config, or generated once and kept (mode 600) in the data folder. */
function authSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  const file = path.join(config.dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

async function loadAppHandler(buildDir: string): Promise<ServerParts['appHandler']> {
  const file = path.join(buildDir, 'handler.js');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { handler: ServerParts['appHandler'] };
  return mod.handler;
}

export async function startSystem(config: Config, log: Logger): Promise<RunningSystem> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(path.join(config.dataDir, 'pglite'));
  const url = config.databaseUrl ?? embedded!.url;
  const sql = connectPostgres(url, embedded ? 1 : 10);
  const storage = createPostgresStorage(sql, { notify: config.syncBus === 'notify' });
  try {
    await storage.migrate();
    const seededDemo = config.seedDemo ? await seedDemo(storage) : false;
    let setup: SetupCode | undefined;
    if ((await storage.countUsers()) === 0) setup = createSetupCode(config.dataDir);
    else rmSync(path.join(config.dataDir, 'setup-code'), { force: true });
    const secret = authSecret(config);
    const tokens = createTokenIssuer(secret, config.accessTokenTtlSeconds);
    const callTickets = createCallTickets(secret);
    const signalling = new CallSignalling({ tickets: callTickets, storage, log, now: Date.now, prefixOf: callPrefix });
    const app = createApp({
      storage,
      reportsSql: sql,
      tokens,
      log,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      setup,
      trustProxy: config.trustProxy,
      // The API answers only once the hub below exists (the server listens after it).
      accountDisabled: (userId) => hub.closeAccount(userId),
      calls: { tickets: callTickets, iceServers: config.iceServers, present: (requestId) => signalling.present(requestId) }
    });
    const projections = new Projector({ sql, log });
    const hub = new Hub({
      storage,
      tokens,
      log,
      nodeId: config.nodeId,
      bus: config.syncBus,
      helloTimeoutMs: config.helloTimeoutMs,
      minAppSchemaVersion: config.minAppSchemaVersion,
      limits: { connectionsPerAccount: config.connectionsPerAccount, connectionsPerAddress: config.connectionsPerAddress },
      compaction: config.compactionIntervalMs ? { intervalMs: config.compactionIntervalMs, minRows: 10, maxBytes: 64 * 1024 } : undefined,
      onDispatched: config.projections ? () => projections.poke() : undefined
    });
    await hub.start();
    const appHandler = await loadAppHandler(config.appBuildDir);
    if (!appHandler) log.warn('app.not_built', { appBuildDir: config.appBuildDir });
    const server = await listen({ fetch: app.fetch, appHandler, headers: securityHeaders(config.appBuildDir), onUpgrade: (req, socket, head) => (isSignallingUpgrade(req.url) ? signalling.handleUpgrade(req, socket, head) : hub.handleUpgrade(req, socket, head)) }, config.host, config.port);
    if (config.projections) projections.start();
    log.info('server.listening', { url: server.url, database: embedded ? 'embedded-pglite' : 'postgresql' });
    return {
      url: server.url,
      port: server.port,
      storage,
      seededDemo,
      setup,
      hub,
      projections,
      async stop() {
        await server.close(async () => {
          signalling.close();
          await hub.close();
        });
        await projections.stop();
        await storage.close();
        await embedded?.stop();
      }
    };
  } catch (err) {
    await storage.close();
    await embedded?.stop();
    throw err;
  }
}
