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
import { defaultCost } from './auth/passwords';
import { createSetupCode, type SetupCode } from './auth/setup';
import { listen, type ServerParts } from './server';
import { securityHeaders } from './security-headers';
import { Hub } from './sync/hub';
import { Projector } from './projections/projector';
import { startEmbeddedPostgres } from './storage/embedded-postgres';
import { connectPostgres, createPostgresStorage } from './storage/postgres-storage';
import type { Storage } from './storage/storage';
import { CallSignalling, isSignallingUpgrade } from './calls/signalling';
import { callPrefix, createCallTickets, createInviteTokens } from './calls/tickets';
import { findJanus, startJanus, type RunningJanus } from '@telehealth/sfu';
import { SfuRooms } from './calls/sfu';
import { SfuProxy, isSfuUpgrade } from './calls/sfu-proxy';
import { CallRecordings } from './calls/recording';
import { createNationalRxClient } from './national-rx/client';
import { RxOutbox, outboxTiming } from './national-rx/outbox';
import { createStandIn } from './national-rx/stand-in';
import { cscProvider, smartCaProvider } from './signing/providers';
import { ReminderDispatcher } from './reminders/dispatcher';
import { pushSender, vapidKeys } from './reminders/push';
import { fileSms, httpSms } from './reminders/sms';

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
  /** Issued prescriptions on their way to the national prescription system. */
  rxOutbox: RxOutbox;
  /** Reminders pushed and texted to patients as they come due (reminders/dispatcher.ts). */
  reminders: ReminderDispatcher;
  /** The SFU (Janus) this system started, when it runs one: multi-party video. */
  sfu: { janus: RunningJanus; rooms: SfuRooms; proxy: SfuProxy; recordings: CallRecordings } | undefined;
  stop(): Promise<void>;
};

/**
 * Starts Janus when the configuration asks for it and it is installed. Without it (SFU=auto) the server runs on:
 * 1:1 calls still work and the API says multi-party video is unavailable.
 */
async function startSfu(config: Config, log: Logger): Promise<RunningJanus | undefined> {
  if (config.sfu.mode === 'off') return undefined;
  const install = findJanus();
  if (!install) {
    const message = 'Janus is not installed (Debian: apt-get install janus): multi-party video is unavailable';
    if (config.sfu.mode === 'required') throw new Error(`SFU=required but ${message}`);
    log.warn('sfu.unavailable', { reason: message });
    return undefined;
  }
  try {
    return await startJanus({ install, dataDir: path.join(config.dataDir, 'sfu'), rtpPorts: config.sfu.rtpPorts, iceEnforceList: config.sfu.iceInterface, publicIp: config.sfu.publicIp, log });
  } catch (err) {
    if (config.sfu.mode === 'required') throw err;
    log.warn('sfu.unavailable', { reason: String(err) });
    return undefined;
  }
}

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
  let janus: RunningJanus | undefined;
  try {
    await storage.migrate();
    const scryptCost = { ...defaultCost, N: config.passwordHashN };
    const seededDemo = config.seedDemo ? await seedDemo(storage, scryptCost) : false;
    let setup: SetupCode | undefined;
    if ((await storage.countUsers()) === 0) setup = createSetupCode(config.dataDir);
    else rmSync(path.join(config.dataDir, 'setup-code'), { force: true });
    const secret = authSecret(config);
    const tokens = createTokenIssuer(secret, config.accessTokenTtlSeconds);
    const callTickets = createCallTickets(secret);
    const signalling = new CallSignalling({ tickets: callTickets, storage, log, now: Date.now, prefixOf: callPrefix });
    janus = await startSfu(config, log);
    const sfuRooms = janus ? new SfuRooms({ url: janus.url, secrets: janus.secrets, log }) : undefined;
    const sfuProxy = janus && sfuRooms ? new SfuProxy({ tickets: callTickets, storage, rooms: sfuRooms, janusUrl: janus.url, apiSecret: janus.secrets.apiSecret, log, now: Date.now }) : undefined;
    const recordingsDir = path.join(config.dataDir, 'recordings');
    const recordings =
      sfuRooms && sfuProxy
        ? new CallRecordings({ rooms: sfuRooms, storage, present: (requestId) => sfuProxy.present(requestId), notify: (requestId) => sfuProxy.notifyRecording(requestId), dir: recordingsDir, log, now: Date.now })
        : undefined;
    if (sfuProxy) sfuProxy.recordings = recordings;
    const remindersConfig = config.reminders;
    if (!remindersConfig.vapid.subject) log.warn('reminders.vapid_subject', { advice: 'set VAPID_SUBJECT (mailto: or https:): some push services (Apple) refuse the default' });
    const reminders = new ReminderDispatcher({
      sql,
      storage,
      log,
      intervalMs: remindersConfig.intervalMs,
      push: pushSender(vapidKeys(config.dataDir, remindersConfig.vapid)),
      ...(remindersConfig.sms.kind === 'file'
        ? { sms: fileSms(path.join(config.dataDir, 'sms-outbox.jsonl')) }
        : remindersConfig.sms.kind === 'http'
          ? { sms: httpSms(remindersConfig.sms.url, remindersConfig.sms.token) }
          : {})
    });
    const app = createApp({
      storage,
      scryptCost,
      reportsSql: sql,
      tokens,
      log,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      setup,
      trustProxy: config.trustProxy,
      // The API answers only once the hub below exists (the server listens after it).
      closeAccount: (userId, kind) => hub.closeAccount(userId, kind),
      closeDevice: (userId, deviceId) => hub.closeDevice(userId, deviceId),
      writeUpdate: (u) => hub.writeUpdate(u),
      decideCreate: (p, id, meta) => hub.decideCreate(p, id, meta),
      reminders: { dispatcher: reminders, endpointOrigins: remindersConfig.endpointOrigins },
      prescriptionOutbox: (unitId) => rxOutbox.list(unitId),
      signingProviders: {
        ...(config.signing.csc ? { csc: cscProvider({ baseUrl: config.signing.csc.url, token: config.signing.csc.token }) } : {}),
        ...(config.signing.smartca ? { smartca: smartCaProvider({ baseUrl: config.signing.smartca.url, spId: config.signing.smartca.spId, spPassword: config.signing.smartca.spPassword }) } : {})
      },
      calls: { tickets: callTickets, iceServers: config.iceServers, present: (requestId) => signalling.present(requestId), sfu: sfuRooms, sfuPresent: (requestId) => sfuProxy?.present(requestId) ?? [], recordingsDir, invites: createInviteTokens(secret), revokedInvite: (id) => sfuProxy?.closeGuest(id) }
    });
    const projections = new Projector({ sql, log });
    // Without a configured national system, the local stand-in receives the prescriptions, in process.
    const standIn = config.nationalRx.url ? undefined : createStandIn();
    const rxClient = createNationalRxClient({
      baseUrl: config.nationalRx.url ?? 'http://stand-in.local',
      passwordOf: (facility) => (standIn ? 'stand-in' : config.nationalRx.passwords.get(facility)),
      fetch: standIn ? async (url, init) => standIn.app.request(url, init) : undefined
    });
    const rxOutbox = new RxOutbox({ sql, storage, client: rxClient, log, retryBaseMs: config.nationalRx.retryBaseMs, intervalMs: Math.min(outboxTiming.intervalMs, config.nationalRx.retryBaseMs) });
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
      onDispatched: () => {
        if (config.projections) projections.poke();
        if (config.nationalRx.enabled) rxOutbox.poke();
      }
    });
    await hub.start();
    const appHandler = await loadAppHandler(config.appBuildDir);
    if (!appHandler) log.warn('app.not_built', { appBuildDir: config.appBuildDir });
    // WebSocket upgrades by path: the PeerJS signalling, the SFU proxy (503 without an SFU), else the sync hub.
    const onUpgrade: ServerParts['onUpgrade'] = (req, socket, head) => {
      if (isSignallingUpgrade(req.url)) signalling.handleUpgrade(req, socket, head);
      else if (!isSfuUpgrade(req.url)) hub.handleUpgrade(req, socket, head);
      else if (sfuProxy) sfuProxy.handleUpgrade(req, socket, head);
      else socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
    };
    const server = await listen({ fetch: app.fetch, appHandler, headers: securityHeaders(config.appBuildDir), onUpgrade }, config.host, config.port);
    if (config.projections) projections.start();
    if (config.nationalRx.enabled) rxOutbox.start();
    // Reminders are sent by the node that steps the projections they read (one node of several: README).
    if (remindersConfig.enabled && config.projections) reminders.start();
    log.info('server.listening', { url: server.url, database: embedded ? 'embedded-pglite' : 'postgresql' });
    return {
      url: server.url,
      port: server.port,
      storage,
      seededDemo,
      setup,
      hub,
      projections,
      rxOutbox,
      reminders,
      sfu: janus && sfuRooms && sfuProxy && recordings ? { janus, rooms: sfuRooms, proxy: sfuProxy, recordings } : undefined,
      async stop() {
        // What is being recorded is saved before Janus goes.
        await recordings?.close().catch((err: unknown) => log.error('calls.recording_close_failed', { error: String(err) }));
        await server.close(async () => {
          signalling.close();
          sfuProxy?.close();
          await hub.close();
        });
        await sfuRooms?.close();
        await janus?.stop();
        await projections.stop();
        await rxOutbox.stop();
        await reminders.stop();
        await storage.close();
        await embedded?.stop();
      }
    };
  } catch (err) {
    await janus?.stop();
    await storage.close();
    await embedded?.stop();
    throw err;
  }
}
