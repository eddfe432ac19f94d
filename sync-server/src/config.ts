// The sync server's configuration: the only reader of process.env; fails fast naming the bad variable.
import path from 'node:path';

export type Config = {
  host: string;
  port: number;
  /** A real PostgreSQL server; when absent an embedded PGlite is started in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Secret for signing access tokens; generated and kept in dataDir when absent. */
  authSecret: string | undefined;
  /** SvelteKit adapter-node output served on the same origin, when present. */
  appBuildDir: string;
  seedDemo: boolean;
  /** scrypt's N for new password hashes (a hash keeps its own parameters, so changing it never locks anyone out). */
  passwordHashN: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: LogLevel;
  /** Names this node in logs and to clients. */
  nodeId: string;
  /** How nodes learn of each other's updates: `notify` (PostgreSQL LISTEN/NOTIFY) or `local` (one node). */
  syncBus: 'local' | 'notify';
  /** How often the log is compacted; 0 turns compaction off. */
  compactionIntervalMs: number;
  /** How long a new connection may take to say hello. */
  helloTimeoutMs: number;
  /** Apps that write an older record schema are told to update (close 4427); 1 accepts every app. */
  minAppSchemaVersion: number;
  /** Sync connections one account may hold open at once. */
  connectionsPerAccount: number;
  /** Sync connections from one network address at once (raise it behind a reverse proxy, which is one address). */
  connectionsPerAddress: number;
  /** Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry (login limits). */
  trustProxy: boolean;
  /**
   * Whether this node steps the query tables (projections/projector.ts). With several nodes on one database one
   * node is enough (they take turns through an advisory lock anyway); off on the nodes that take the sync load.
   */
  projections: boolean;
  /**
   * ICE servers for calls (`ICE_SERVERS`, JSON: `[{"urls": "turn:turn.example.vn:3478", "username": "…", "credential": "…"}]`):
   * the unit's own STUN/TURN (coturn, README "Calls"). None by default: peers use their host candidates, which is
   * enough on one LAN or between public addresses. Never a public default (Google, peerjs.com).
   */
  iceServers: IceServer[];
  /** The SFU for multi-party calls (Janus, sfu/): see `SfuConfig`. */
  sfu: SfuConfig;
  /** Where issued prescriptions are sent (national-rx/): see `NationalRxConfig`. */
  nationalRx: NationalRxConfig;
  /** The remote signing services a signer may use besides their own PKCS#12 file (signing/): see `SigningConfig`. */
  signing: SigningConfig;
  /** Reminders to patients sent from the server (reminders/): see `RemindersConfig`. */
  reminders: RemindersConfig;
};

export type RemindersConfig = {
  /** `REMINDERS` (true by default): the server pushes and texts reminders as they come due. */
  enabled: boolean;
  intervalMs: number;
  /** `VAPID_PUBLIC_KEY`, `VAPID_PRIVATE_KEY` (both or neither; else made once in DATA_DIR/vapid.json) and `VAPID_SUBJECT` (mailto: or https:). */
  vapid: { publicKey?: string; privateKey?: string; subject?: string };
  /**
   * `PUSH_ENDPOINT_ORIGINS`: the push services phones may subscribe with (comma-separated origins, `*.` for any
   * subdomain); by default the browsers' own (Google, Mozilla, Apple, Microsoft).
   */
  endpointOrigins: string[];
  /** `SMS_GATEWAY`: off (default), `file` (DATA_DIR/sms-outbox.jsonl: tests, demos), or the gateway's http(s) URL; `SMS_GATEWAY_TOKEN` its bearer token. */
  sms: { kind: 'off' } | { kind: 'file' } | { kind: 'http'; url: string; token?: string };
};

export const defaultPushOrigins = ['https://fcm.googleapis.com', 'https://updates.push.services.mozilla.com', 'https://web.push.apple.com', 'https://*.notify.windows.com'];

function remindersConfig(env: Env): RemindersConfig {
  const pub = env.VAPID_PUBLIC_KEY || undefined;
  const priv = env.VAPID_PRIVATE_KEY || undefined;
  if (!!pub !== !!priv) throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together (or neither: keys are made once in DATA_DIR)');
  const subject = env.VAPID_SUBJECT || undefined;
  if (subject !== undefined && !/^(mailto:[^\s]+|https:\/\/[^\s]+)$/.test(subject)) throw new ConfigError(`VAPID_SUBJECT must be a mailto: or https: URL, got "${subject}"`);
  const origins = env.PUSH_ENDPOINT_ORIGINS ? env.PUSH_ENDPOINT_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : defaultPushOrigins;
  for (const o of origins) if (!/^https?:\/\/(\*\.)?[^/*\s]+$/.test(o)) throw new ConfigError(`PUSH_ENDPOINT_ORIGINS: "${o}" is not an origin (https://host[:port], *.host for subdomains)`);
  const gateway = env.SMS_GATEWAY || 'off';
  let sms: RemindersConfig['sms'];
  if (gateway === 'off') sms = { kind: 'off' };
  else if (gateway === 'file') sms = { kind: 'file' };
  else if (/^https?:\/\/[^\s]+$/.test(gateway)) sms = { kind: 'http', url: gateway, ...(env.SMS_GATEWAY_TOKEN ? { token: env.SMS_GATEWAY_TOKEN } : {}) };
  else throw new ConfigError(`SMS_GATEWAY must be off, file or an http(s) URL, got "${gateway}"`);
  return {
    enabled: bool(env, 'REMINDERS', true),
    intervalMs: int(env, 'REMINDERS_INTERVAL_MS', 60_000, 100, 3_600_000),
    vapid: { ...(pub ? { publicKey: pub, privateKey: priv } : {}), ...(subject ? { subject } : {}) },
    endpointOrigins: origins,
    sms
  };
}

export type SigningConfig = {
  /** `SIGNING_CSC_URL` (the CSC API's base, up to its version: https://…/csc/v1) and `SIGNING_CSC_TOKEN` (its bearer token). */
  csc?: { url: string; token: string };
  /** `SIGNING_SMARTCA_URL`, `SIGNING_SMARTCA_SP_ID`, `SIGNING_SMARTCA_SP_PASSWORD`: a confirm-on-phone service (VNPT SmartCA's shape). */
  smartca?: { url: string; spId: string; spPassword: string };
};

export type NationalRxConfig = {
  /**
   * `NATIONAL_RX_URL`: the national prescription system's base URL (its connection guide's API). Absent: the local
   * stand-in (national-rx/stand-in.ts) receives them, as in the quick start and the tests.
   */
  url: string | undefined;
  /**
   * `NATIONAL_RX_PASSWORDS`: each facility's interconnection password, `code:password,code:password` (the facility code
   * is the unit's 5-character code). With the stand-in every facility's password is `stand-in`.
   */
  passwords: ReadonlyMap<string, string>;
  /** `NATIONAL_RX=off`: keep issued prescriptions in the outbox without sending them (a node that must not send). */
  enabled: boolean;
  /** `NATIONAL_RX_RETRY_MS`: the first wait after a failed send (default 15 s), doubling up to an hour. */
  retryBaseMs: number;
};

export type SfuConfig = {
  /**
   * `SFU`: `auto` (default) starts Janus when it is installed and goes on without multi-party video when it is not;
   * `required` refuses to start without it; `off` never starts it.
   */
  mode: 'auto' | 'required' | 'off';
  /** `SFU_ICE_INTERFACE`: the interfaces (or address prefixes) Janus offers media on, comma-separated, e.g. `eth0`. */
  iceInterface: string | undefined;
  /** `SFU_PUBLIC_IP`: the public IPv4 address when the server is behind a 1:1 NAT (Janus's nat_1_1_mapping). */
  publicIp: string | undefined;
  /** `SFU_RTP_PORTS`: the UDP ports for media, `low-high` (default 20000-40000): open them in the firewall. */
  rtpPorts: readonly [number, number];
};

export type IceServer = { urls: string | string[]; username?: string; credential?: string };

export const LogLevel = { debug: 'debug', info: 'info', warn: 'warn', error: 'error', silent: 'silent' } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const authSecret = env.AUTH_SECRET || undefined;
  if (authSecret !== undefined && authSecret.length < 32) {
    throw new ConfigError(`AUTH_SECRET must be at least 32 characters, got ${authSecret.length}`);
  }
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!Object.values(LogLevel).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${Object.values(LogLevel).join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const syncBus = env.SYNC_BUS || (databaseUrl ? 'notify' : 'local');
  if (syncBus !== 'local' && syncBus !== 'notify') throw new ConfigError(`SYNC_BUS must be local or notify, got "${syncBus}"`);
  if (syncBus === 'notify' && !databaseUrl) throw new ConfigError('SYNC_BUS=notify needs DATABASE_URL (a PostgreSQL server shared by the nodes)');
  const nodeId = env.NODE_ID || `node-${process.pid}`;
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(nodeId)) throw new ConfigError(`NODE_ID must be 1-40 letters, digits, '.', '_' or '-', got "${nodeId}"`);
  const host = env.HOST || '127.0.0.1';
  // Demo accounts have published passwords: only on a server that nothing else on the network can reach.
  const seedDemo = bool(env, 'SEED_DEMO', false);
  if (seedDemo && !isLoopback(host)) throw new ConfigError(`SEED_DEMO=true is only allowed on a loopback HOST (127.0.0.1, ::1, localhost), got "${host}"`);
  // Cheaper password hashes only for the test runs (they sign in hundreds of times): a demo server nothing else reaches.
  const passwordHashN = int(env, 'PASSWORD_HASH_N', 2 ** 15, 2 ** 10, 2 ** 20);
  if ((passwordHashN & (passwordHashN - 1)) !== 0) throw new ConfigError(`PASSWORD_HASH_N must be a power of two, got ${passwordHashN}`);
  if (passwordHashN < 2 ** 15 && (!seedDemo || !isLoopback(host) || bool(env, 'TRUST_PROXY', false))) {
    throw new ConfigError(`PASSWORD_HASH_N below 32768 is only allowed with SEED_DEMO=true on a loopback HOST and no TRUST_PROXY (the test runs), got ${passwordHashN}`);
  }
  return {
    host,
    port: int(env, 'PORT', 3000, 0, 65_535),
    databaseUrl,
    dataDir: path.resolve(cwd, env.DATA_DIR || 'data'),
    authSecret,
    appBuildDir: path.resolve(cwd, env.APP_BUILD_DIR || 'build'),
    seedDemo,
    passwordHashN,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    logLevel,
    nodeId,
    syncBus,
    compactionIntervalMs: int(env, 'COMPACTION_INTERVAL_MS', 60_000, 0, 86_400_000),
    helloTimeoutMs: int(env, 'SYNC_HELLO_TIMEOUT_MS', 10_000, 100, 600_000),
    minAppSchemaVersion: int(env, 'MIN_APP_SCHEMA_VERSION', 1, 1, 10_000),
    connectionsPerAccount: int(env, 'SYNC_MAX_CONNECTIONS_PER_ACCOUNT', 16, 1, 10_000),
    connectionsPerAddress: int(env, 'SYNC_MAX_CONNECTIONS_PER_ADDRESS', 512, 1, 1_000_000),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    projections: bool(env, 'PROJECTIONS', true),
    iceServers: iceServers(env.ICE_SERVERS),
    sfu: sfuConfig(env),
    nationalRx: nationalRxConfig(env),
    signing: signingConfig(env),
    reminders: remindersConfig(env)
  };
}

function signingConfig(env: Env): SigningConfig {
  const url = (name: string) => {
    const value = env[name] || undefined;
    if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value)) throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
    return value?.replace(/\/+$/, '');
  };
  const needs = (name: string, what: string) => {
    const value = env[name];
    if (!value) throw new ConfigError(`${name} is required with ${what}`);
    return value;
  };
  const csc = url('SIGNING_CSC_URL');
  const smartca = url('SIGNING_SMARTCA_URL');
  return {
    ...(csc ? { csc: { url: csc, token: needs('SIGNING_CSC_TOKEN', 'SIGNING_CSC_URL') } } : {}),
    ...(smartca ? { smartca: { url: smartca, spId: needs('SIGNING_SMARTCA_SP_ID', 'SIGNING_SMARTCA_URL'), spPassword: needs('SIGNING_SMARTCA_SP_PASSWORD', 'SIGNING_SMARTCA_URL') } } : {})
  };
}

function nationalRxConfig(env: Env): NationalRxConfig {
  const url = env.NATIONAL_RX_URL || undefined;
  if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new ConfigError(`NATIONAL_RX_URL must be an http(s) URL, got "${url}"`);
  const passwords = new Map<string, string>();
  for (const pair of (env.NATIONAL_RX_PASSWORDS ?? '').split(',').filter((p) => p.trim())) {
    const m = /^\s*([0-9A-Z]{5}):(.{1,200})$/.exec(pair);
    if (!m) throw new ConfigError('NATIONAL_RX_PASSWORDS must be code:password pairs separated by commas (codes of 5 digits or capitals)');
    passwords.set(m[1]!, m[2]!);
  }
  const mode = env.NATIONAL_RX || 'on';
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`NATIONAL_RX must be on or off, got "${mode}"`);
  return { url, passwords, enabled: mode === 'on', retryBaseMs: int(env, 'NATIONAL_RX_RETRY_MS', 15_000, 100, 3_600_000) };
}

function sfuConfig(env: Env): SfuConfig {
  const mode = env.SFU || 'auto';
  if (mode !== 'auto' && mode !== 'required' && mode !== 'off') throw new ConfigError(`SFU must be auto, required or off, got "${mode}"`);
  const iceInterface = env.SFU_ICE_INTERFACE || undefined;
  if (iceInterface !== undefined && !/^[A-Za-z0-9_.:,-]{1,200}$/.test(iceInterface)) throw new ConfigError(`SFU_ICE_INTERFACE must be interface names or address prefixes separated by commas, got "${iceInterface}"`);
  const publicIp = env.SFU_PUBLIC_IP || undefined;
  if (publicIp !== undefined && !/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(publicIp)) throw new ConfigError(`SFU_PUBLIC_IP must be an IPv4 address, got "${publicIp}"`);
  const ports = /^(\d{4,5})-(\d{4,5})$/.exec(env.SFU_RTP_PORTS || '20000-40000');
  const low = Number(ports?.[1]);
  const high = Number(ports?.[2]);
  if (!ports || low < 1024 || high > 65_535 || low >= high) throw new ConfigError(`SFU_RTP_PORTS must be two UDP ports low-high from 1024 to 65535, got "${env.SFU_RTP_PORTS}"`);
  return { mode, iceInterface, publicIp, rtpPorts: [low, high] };
}

const iceUrl = /^(stun|stuns|turn|turns):[^\s]{1,250}$/;

/** `ICE_SERVERS`: a JSON array of RTCIceServer entries, each url stun:, stuns:, turn: or turns:. */
function iceServers(raw: string | undefined): IceServer[] {
  if (raw === undefined || raw.trim() === '') return [];
  const bad = (why: string) => new ConfigError(`ICE_SERVERS must be a JSON array of {"urls", "username"?, "credential"?}: ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw bad('not JSON');
  }
  if (!Array.isArray(value) || value.length > 10) throw bad('not an array of at most 10 servers');
  return value.map((entry, i): IceServer => {
    if (typeof entry !== 'object' || entry === null) throw bad(`entry ${i} is not an object`);
    const { urls, username, credential } = entry as Record<string, unknown>;
    const list = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(list) || list.length === 0 || !list.every((u) => typeof u === 'string' && iceUrl.test(u))) throw bad(`entry ${i}: urls must be stun:, stuns:, turn: or turns: URLs`);
    if (username !== undefined && typeof username !== 'string') throw bad(`entry ${i}: username must be a string`);
    if (credential !== undefined && typeof credential !== 'string') throw bad(`entry ${i}: credential must be a string`);
    const isTurn = (list as string[]).some((u) => u.startsWith('turn'));
    if (isTurn && (!username || !credential)) throw bad(`entry ${i}: a TURN server needs a username and a credential`);
    return { urls: urls as string | string[], ...(username ? { username } : {}), ...(credential ? { credential } : {}) };
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
