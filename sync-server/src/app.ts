// The HTTP API as a Hono app built from its dependencies: health, login, token refresh, the current user.
import { Hono, type Context } from 'hono';
import type { Storage, UserRow } from './storage/storage';
import type { Logger } from './log';
import { hashRefreshToken, newRefreshToken, type Principal, type TokenIssuer } from './auth/tokens';
import { defaultCost, hashPassword, needsRehash, verifyPassword, type ScryptCost } from './auth/passwords';
import { Role, UnitKind, passwordProblem, patterns, vietnamDate, type DocMeta } from '@telehealth/domain';
import { compress } from 'hono/compress';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Gate, GateFull, TokenBuckets, type BucketRule } from './auth/limits';
import { setupCodeMatches, type SetupCode } from './auth/setup';
import { createCatalogs, mountCatalogAdmin, mountPublicCatalogs } from './catalogs';
import { mountAudit } from './audit-api';
import { mountAccounts } from './accounts-api';
import { mountUnitReports } from './unit-reports-api';
import { mountBulletins } from './bulletins-api';
import { mountSignatures } from './signatures-api';
import { mountFhir } from './fhir-api';
import { mountReminders } from './reminders/api';
import type { ReminderDispatcher } from './reminders/dispatcher';
import type { UpdateResult, UpdateWrite } from './sync/write';
import type { CreateDecision } from './sync/access';
import { mountCalendars } from './calendars-api';
import { mountRemoteSigning, type RemoteProvider } from './signing/remote-api';
import type { SigningProvider } from './signing/providers';
import { mountReports } from './projections/reports-api';
import type { OutboxRow } from './national-rx/outbox';
import { mountCalls, type CallsDeps } from './calls/calls-api';
import { mountGuestJoin, mountInvites, type InviteDeps } from './calls/invites';
import type { InviteTokens } from './calls/tickets';
import type { Sql } from './storage/postgres-client';

export type AppDeps = {
  storage: Storage;
  /** The database, for the admin reports over the projections (projections/reports-api.ts); none without it. */
  reportsSql?: Sql;
  tokens: TokenIssuer;
  log: Logger;
  refreshTokenTtlSeconds: number;
  now?: () => number;
  /** Password hashing cost for new accounts (tests lower it). */
  scryptCost?: ScryptCost;
  /** The one-time code that lets the first admin be created on an empty database (see `auth/setup.ts`). */
  setup?: SetupCode;
  /** Behind a reverse proxy: the client's address is the last one in X-Forwarded-For, not the TCP peer's. */
  trustProxy?: boolean;
  /** The client's network address (tests inject it); by default the TCP peer's, or the proxy's header. */
  addressOf?: (c: Context) => string;
  /** Limits on login, registration, setup and logout (tests lower them). */
  authLimits?: Partial<AuthLimits>;
  /** An administrator disabled this account (4403) or ended its sessions (4401): close its sync sockets on this node now; returns how many. */
  closeAccount?: (userId: string, kind: 'disabled' | 'ended') => number;
  /** An administrator revoked this device: close its sync sockets on this node now (4410); returns how many. */
  closeDevice?: (userId: string, deviceId: string) => number;
  /** Calls (calls/): the ticket signer, the configured ICE servers and who is in a call; no calls API without it. */
  calls?: Pick<CallsDeps, 'tickets' | 'iceServers' | 'present' | 'sfu' | 'sfuPresent' | 'recordingsDir'> & { invites: InviteTokens; revokedInvite?: (inviteId: string) => void };
  /** The remote signing services configured (signing/providers.ts), by name; none: signers use their own PKCS#12 file. */
  signingProviders?: Partial<Record<RemoteProvider, SigningProvider>>;
  /** A unit's issued prescriptions and where each stands with the national system (national-rx/outbox.ts). */
  prescriptionOutbox?: (unitId: string) => Promise<OutboxRow[]>;
  /** The sync server's write path (the hub's, sync/write.ts): a FHIR import writes its records through it. */
  writeUpdate?: (u: UpdateWrite) => Promise<UpdateResult>;
  /** The sync server's decision on creating a document (the hub's): a FHIR import checks its new charts with it first. */
  decideCreate?: (p: Principal, docId: string, meta: DocMeta) => Promise<CreateDecision>;
  /** Reminders pushed and texted to patients (reminders/): push subscriptions and deliveries; none without it. */
  reminders?: { dispatcher: ReminderDispatcher; endpointOrigins: readonly string[] };
};

export type AuthLimits = {
  /** Attempts from one network address (login, registration, setup together). */
  perAddress: BucketRule;
  /** Login attempts for one account, from anywhere. */
  perAccount: BucketRule;
  /** Password hashes (32 MiB of memory each) running at once; more wait in a queue of `hashQueue`, then 503. */
  hashConcurrency: number;
  hashQueue: number;
  /** Largest request body on /api/auth/* and /api/setup. */
  maxBodyBytes: number;
};

export const defaultAuthLimits: AuthLimits = {
  perAddress: { capacity: 30, refillMs: 10_000 },
  perAccount: { capacity: 10, refillMs: 60_000 },
  hashConcurrency: 2,
  hashQueue: 32,
  maxBodyBytes: 16 * 1024
};

/** Error codes the client maps to i18n messages; the `message` is for logs and developers. */
export const ApiError = {
  badRequest: 'bad_request',
  invalidCredentials: 'invalid_credentials',
  phoneTaken: 'phone_taken',
  weakPassword: 'weak_password',
  unauthorized: 'unauthorized',
  notFound: 'not_found',
  internal: 'internal',
  /** Too many attempts from this address or for this account: wait `retryAfterSeconds`. */
  rateLimited: 'rate_limited',
  /** Too many password checks waiting: try again in a moment. */
  busy: 'busy',
  /** Only `application/json` bodies (a cross-site form cannot send one without asking first). */
  unsupportedMediaType: 'unsupported_media_type',
  payloadTooLarge: 'payload_too_large',
  /** The first admin exists already. */
  setupDone: 'setup_done',
  badSetupCode: 'bad_setup_code',
  /** An administrator disabled this account: no login, refresh or API call until it is enabled again. */
  accountDisabled: 'account_disabled',
  /** The account may not do this (e.g. account administration is for administrators). */
  forbidden: 'forbidden',
  /** An administrator does not disable their own account. */
  cannotDisableSelf: 'cannot_disable_self',
  /** An administrator does not take away their own administrator role. */
  cannotDemoteSelf: 'cannot_demote_self',
  /** A staff account with this username exists. */
  usernameTaken: 'username_taken',
  /** The chart already has a patient account. */
  patientHasAccount: 'patient_has_account',
  /** A catalog import with rejected rows (or none accepted): nothing changed; the answer carries the report. */
  catalogRejected: 'catalog_rejected',
  /** Multi-party video needs the SFU, which this server does not run (Janus not installed, or SFU=off). */
  sfuUnavailable: 'sfu_unavailable',
  /** A call for a consultation request that was never sent, was withdrawn or was declined. */
  consultationClosed: 'consultation_closed',
  /** A bulletin withdrawn before. */
  alreadyWithdrawn: 'already_withdrawn'
} as const;
export type ApiError = (typeof ApiError)[keyof typeof ApiError];

type Vars = { Variables: { principal: Principal } };

const maxField = 200;

function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' && v.length > 0 && v.length <= maxField ? v : undefined;
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

const principalOf = (u: UserRow): Principal => ({ userId: u.id, role: u.role, unitId: u.unitId, patientId: u.patientId });

const publicUser = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  patientId: u.patientId
});

export function createApp(deps: AppDeps) {
  const { storage, tokens, log } = deps;
  const now = deps.now ?? Date.now;
  const app = new Hono<Vars>();

  // Every refusal names the request it answers, is logged, and carries a code the app maps to its own words.
  const fail = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503, error: ApiError, message: string, extra: Record<string, unknown> = {}) => {
    const request = `${c.req.method} ${c.req.path}`;
    if (status !== 500) log.warn('http.refused', { request, status, error, ...extra });
    return c.json({ error, message, request, ...extra }, status);
  };

  const limits: AuthLimits = { ...defaultAuthLimits, ...deps.authLimits };
  const inviteDeps = (calls: NonNullable<AppDeps['calls']>): InviteDeps => ({
    storage,
    tokens: calls.invites,
    tickets: calls.tickets,
    ...(calls.sfu ? { sfu: calls.sfu } : {}),
    iceServers: calls.iceServers,
    ...(calls.revokedInvite ? { revoked: calls.revokedInvite } : {}),
    log,
    now,
    refuse: (c, status, error, message) => fail(c, status, error as ApiError, message)
  });
  const byAddress = new TokenBuckets(limits.perAddress, now);
  const byAccount = new TokenBuckets(limits.perAccount, now);
  const hashing = new Gate(limits.hashConcurrency, limits.hashQueue);
  // An unknown account costs the same scrypt as a known one: its password is checked against this hash.
  const dummyHash = hashPassword(randomBytes(18).toString('base64url'), deps.scryptCost);
  const addressOf =
    deps.addressOf ??
    ((c: Context) => {
      const forwarded = deps.trustProxy ? c.req.header('x-forwarded-for')?.split(',').pop()?.trim() : undefined;
      return forwarded || ((c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'unknown');
    });

  // Failed attempts use up the buckets (a person who knows their password is never slowed down by their own
  // logins); an empty bucket refuses every attempt, the right password included, until it refills.
  /** A 429 when this address (or account, if given) has no attempt left; undefined to go on. */
  function limited(c: Context, account?: string): Response | undefined {
    const address = addressOf(c);
    const waitMs = Math.max(byAddress.check(`a:${address}`), account ? byAccount.check(`u:${account}`) : 0);
    if (!waitMs) return undefined;
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    c.header('Retry-After', String(retryAfterSeconds));
    return fail(c, 429, ApiError.rateLimited, 'too many attempts, try again later', { retryAfterSeconds, address, ...(account ? { account } : {}) });
  }

  /** Counts a failed attempt (or, for registration, any attempt) against the address and the account. */
  function spend(c: Context, account?: string) {
    byAddress.spend(`a:${addressOf(c)}`);
    if (account) byAccount.spend(`u:${account}`);
  }

  /** Runs a password hash or check within the bound on concurrent hashing; a Response (503) when the queue is full. */
  async function hashed<T>(c: Context, task: () => Promise<T>): Promise<{ value: T } | Response> {
    try {
      return { value: await hashing.run(task) };
    } catch (err) {
      if (!(err instanceof GateFull)) throw err;
      c.header('Retry-After', '2');
      return fail(c, 503, ApiError.busy, 'too many password checks at once, try again in a moment', { retryAfterSeconds: 2 });
    }
  }

  // The endpoints that take passwords or tokens read small JSON bodies only: a cross-site HTML form can send
  // neither that content type nor (without a preflight the server never grants) anything else.
  for (const route of ['/api/auth/*', '/api/setup', '/api/audit/*', '/api/invite/*']) {
    app.use(route, async (c, next) => {
      if (c.req.method !== 'POST') return next();
      if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
        return fail(c, 415, ApiError.unsupportedMediaType, 'send the body as application/json');
      }
      return next();
    });
    app.use(route, bodyLimit({ maxSize: limits.maxBodyBytes, onError: (c) => fail(c, 413, ApiError.payloadTooLarge, `the body is over ${limits.maxBodyBytes} bytes`) }));
  }

  async function issueSession(user: UserRow) {
    const access = tokens.issueAccess(principalOf(user), now());
    const refresh = newRefreshToken();
    await storage.saveRefreshToken(refresh.hash, user.id, new Date(now() + deps.refreshTokenTtlSeconds * 1000));
    // Login, refresh, registration and setup: the account used the software this day (reports count it once a day).
    await storage.recordLogin(user.id, vietnamDate(now()));
    return { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken: refresh.token, user: publicUser(user) };
  }

  app.get('/healthz', async (c) => {
    const reachable = await storage.ping();
    return c.json({ status: reachable ? 'ok' : 'degraded', storage: reachable ? 'ok' : 'unreachable' }, reachable ? 200 : 503);
  });

  app.post('/api/auth/login', async (c) => {
    const body = await readJson(c);
    const username = stringField(body, 'username');
    const password = stringField(body, 'password');
    if (!username || !password) {
      log.warn('login.bad_request');
      return fail(c, 400, ApiError.badRequest, 'expected JSON {"username": string, "password": string}');
    }
    const account = username.trim().toLowerCase();
    const refused = limited(c, account);
    if (refused) return refused;
    const user = await storage.findUserByUsername(account);
    const checked = await hashed(c, async () => (user ? verifyPassword(password, user.passwordHash) : verifyPassword(password, await dummyHash).then(() => false)));
    if (checked instanceof Response) return checked;
    if (!user || !checked.value) {
      spend(c, account);
      log.warn('login.failed', { username });
      return fail(c, 401, ApiError.invalidCredentials, 'wrong username or password');
    }
    // Told only to whoever knows the password: the account exists, and an administrator disabled it.
    if (user.disabledAt) {
      log.warn('login.disabled', { userId: user.id });
      return fail(c, 403, ApiError.accountDisabled, 'this account is disabled');
    }
    // A hash made at another cost (the operator changed PASSWORD_HASH_N) is made again now, with the password just
    // checked: every account's sign-in then costs the same, and timing no longer tells old accounts from unknown names.
    const cost = deps.scryptCost ?? defaultCost;
    if (needsRehash(user.passwordHash, cost)) {
      try {
        await storage.rehashPassword(user.id, user.passwordHash, await hashing.run(() => hashPassword(password, cost)));
        log.info('login.rehashed', { userId: user.id });
      } catch (err) {
        // Too many hashes at once: the next sign-in makes it.
        if (!(err instanceof GateFull)) throw err;
      }
    }
    log.info('login.ok', { userId: user.id, role: user.role });
    return c.json(await issueSession(user));
  });

  app.post('/api/auth/refresh', async (c) => {
    const refreshToken = stringField(await readJson(c), 'refreshToken');
    if (!refreshToken) return fail(c, 400, ApiError.badRequest, 'expected JSON {"refreshToken": string}');
    const taken = await storage.takeRefreshToken(hashRefreshToken(refreshToken), new Date(now()));
    const user = taken && (await storage.findUserById(taken.userId));
    if (!user) {
      log.warn('refresh.rejected');
      return fail(c, 401, ApiError.unauthorized, 'refresh token unknown, used or expired');
    }
    // Disabling deletes the account's refresh tokens; one saved by a login racing the disabling ends here.
    if (user.disabledAt) {
      log.warn('refresh.disabled', { userId: user.id });
      return fail(c, 403, ApiError.accountDisabled, 'this account is disabled');
    }
    return c.json(await issueSession(user));
  });

  // Logging out ends the session on the server too: the refresh token can no longer be used.
  app.post('/api/auth/logout', async (c) => {
    const refreshToken = stringField(await readJson(c), 'refreshToken');
    if (!refreshToken) return fail(c, 400, ApiError.badRequest, 'expected JSON {"refreshToken": string}');
    const revoked = await storage.revokeRefreshToken(hashRefreshToken(refreshToken));
    log.info('logout', { revoked });
    return c.json({ ok: true });
  });

  // First-admin setup: only while no account exists, only with the one-time code the server printed.
  let settingUp: Promise<unknown> = Promise.resolve();
  app.get('/api/setup', async (c) => c.json({ needed: Boolean(deps.setup?.code) && (await storage.countUsers()) === 0 }));
  app.post('/api/setup', async (c) => {
    const refused = limited(c);
    if (refused) return refused;
    const body = await readJson(c);
    const code = stringField(body, 'code');
    const username = stringField(body, 'username')?.trim().toLowerCase();
    const displayName = stringField(body, 'displayName')?.trim();
    const password = stringField(body, 'password');
    if (!code || !username || !/^[a-z0-9._-]{3,40}$/.test(username) || !displayName || displayName.length > 100 || !password) {
      return fail(c, 400, ApiError.badRequest, 'expected JSON {"code", "username": 3-40 of a-z 0-9 . _ -, "displayName", "password"}');
    }
    // One setup at a time, so that two cannot both see an empty database.
    const run = settingUp.then(async (): Promise<Response> => {
      if ((await storage.countUsers()) > 0) return fail(c, 409, ApiError.setupDone, 'the first admin exists already');
      const expected = deps.setup?.code;
      if (!expected || !setupCodeMatches(code, expected)) {
        spend(c);
        return fail(c, 403, ApiError.badSetupCode, 'wrong setup code');
      }
      const problem = passwordProblem(password, [username]);
      if (problem) return fail(c, 400, ApiError.weakPassword, `password refused: ${problem}`, { reason: problem });
      const hash = await hashed(c, () => hashPassword(password, deps.scryptCost));
      if (hash instanceof Response) return hash;
      const user: UserRow = { id: `user-${crypto.randomUUID()}`, username, displayName, role: Role.admin, unitId: null, patientId: null, passwordHash: hash.value };
      if ((await storage.createUser(user)) !== 'created') return fail(c, 409, ApiError.setupDone, 'the first admin exists already');
      deps.setup?.finish();
      log.info('setup.admin_created', { userId: user.id });
      return c.json(await issueSession(user));
    });
    settingUp = run.catch(() => undefined);
    return run;
  });

  // The unit directory: names, kinds and the links a station may send requests along. Public (it is on every
  // unit's signboard) so that a patient can choose a station before having an account.
  app.get('/api/units', async (c) => {
    const units = await storage.listUnits();
    const withLinks = await Promise.all(units.map(async (u) => ({ ...u, links: await storage.linkedUnits(u.id) })));
    return c.json({ units: withLinks });
  });

  // Catalogs for devices: versioned (a digest), compressed, answered with 304 when the device has this version;
  // the shipped list, or the one an administrator imported (catalogs.ts).
  const catalogs = createCatalogs(storage);
  app.use('/api/catalogs/*', compress());
  mountPublicCatalogs(app, catalogs);

  // A patient creates their own account with their phone number, at the station where they are seen.
  app.post('/api/auth/register', async (c) => {
    const body = await readJson(c);
    const phone = stringField(body, 'phone')?.trim();
    const password = stringField(body, 'password');
    const fullName = stringField(body, 'fullName')?.trim();
    const unitId = stringField(body, 'unitId');
    if (!phone || !patterns.phone.test(phone) || !fullName || fullName.length > 100 || !unitId || !password) {
      log.warn('register.bad_request');
      return fail(c, 400, ApiError.badRequest, 'expected JSON {"phone": 10 digits, "password", "fullName", "unitId"}');
    }
    const refused = limited(c);
    if (refused) return refused;
    spend(c);
    const problem = passwordProblem(password, [phone]);
    if (problem) return fail(c, 400, ApiError.weakPassword, `password refused: ${problem}`, { reason: problem });
    const unit = (await storage.listUnits()).find((u) => u.id === unitId);
    if (unit?.kind !== UnitKind.station) return fail(c, 400, ApiError.badRequest, 'unitId must be a commune health station');
    const id = crypto.randomUUID();
    const user: UserRow = {
      id: `user-${id}`,
      username: phone,
      displayName: fullName,
      role: Role.patient,
      unitId,
      patientId: `patient-${id}`,
      passwordHash: ''
    };
    const hash = await hashed(c, () => hashPassword(password, deps.scryptCost));
    if (hash instanceof Response) return hash;
    user.passwordHash = hash.value;
    if ((await storage.createUser(user)) === 'username-taken') {
      log.warn('register.phone_taken');
      return fail(c, 409, ApiError.phoneTaken, 'an account with this phone number exists');
    }
    log.info('register.ok', { userId: user.id, unitId });
    return c.json(await issueSession(user));
  });

  // A guest opening an invitation link (calls/invites.ts): before authentication, limited by address.
  if (deps.calls) {
    mountGuestJoin(app as unknown as Hono, {
      ...inviteDeps(deps.calls),
      limited: (c) => limited(c),
      spend: (c) => spend(c),
      unitName: async (unitId) => (await storage.listUnits()).find((u) => u.id === unitId)?.name ?? ''
    });
  }

  app.use('/api/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const verified = match?.[1] ? tokens.verifyAccess(match[1], now()) : undefined;
    if (!verified?.ok) {
      log.warn('auth.rejected', { path: c.req.path, reason: verified ? verified.reason : 'missing' });
      return fail(c, 401, ApiError.unauthorized, 'missing or invalid access token');
    }
    // An access token outlives the disabling of its account by up to its 15 minutes: the account is read each time.
    const account = await storage.findUserById(verified.claims.userId);
    if (!account) return fail(c, 401, ApiError.unauthorized, 'account no longer exists');
    if (account.disabledAt) return fail(c, 403, ApiError.accountDisabled, 'this account is disabled');
    c.set('principal', verified.claims);
    await next();
  });

  mountAudit(app, { storage, log, now });
  mountAccounts(app, {
    storage,
    log,
    now,
    refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra),
    hash: async (c, password) => {
      const hash = await hashed(c, () => hashPassword(password, deps.scryptCost));
      return hash instanceof Response ? hash : hash.value;
    },
    closeAccount: deps.closeAccount,
    closeDevice: deps.closeDevice
  });
  mountUnitReports(app, {
    storage,
    log,
    now,
    refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra),
    facts: { sfu: deps.calls?.sfu !== undefined },
    sql: deps.reportsSql
  });
  mountBulletins(app, { storage, log, now, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra) });
  mountCalendars(app, { storage, log, now, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra) });
  mountSignatures(app, { storage, log, now, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra) });
  if (deps.reminders) {
    mountReminders(app, { storage, ...deps.reminders, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra) });
  }
  mountFhir(app, { storage, log, now, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra), ...(deps.writeUpdate ? { writeUpdate: deps.writeUpdate } : {}), ...(deps.decideCreate ? { decideCreate: deps.decideCreate } : {}) });
  mountRemoteSigning(app, { providers: deps.signingProviders ?? {}, storage, log, now, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra) });
  mountCatalogAdmin(app, { catalogs, storage, log, now, refuse: (c, status, error, message, extra) => fail(c, status, error as ApiError, message, extra) });
  if (deps.reportsSql) mountReports(app, { sql: deps.reportsSql, log });
  if (deps.calls) {
    mountCalls(app, { ...deps.calls, storage, log, now, refuse: (c, status, error, message) => fail(c, status, error as ApiError, message) });
    mountInvites(app, inviteDeps(deps.calls));
  }

  // The station's list of issued prescriptions and their state with the national prescription system: sent, pending
  // (with the last reason and the next attempt) or rejected (with the system's field errors). Its own unit's only.
  app.get('/api/prescriptions/national', async (c) => {
    const p = c.get('principal');
    if (!deps.prescriptionOutbox || p.role !== Role.stationWorker || !p.unitId) return fail(c, 403, ApiError.forbidden, 'only a station’s staff list its prescriptions');
    return c.json({ prescriptions: await deps.prescriptionOutbox(p.unitId) });
  });

  app.get('/api/me', async (c) => {
    const user = await storage.findUserById(c.get('principal').userId);
    if (!user) return fail(c, 401, ApiError.unauthorized, 'account no longer exists');
    return c.json({ user: publicUser(user) });
  });

  app.notFound((c) => fail(c, 404, ApiError.notFound, `no route for ${c.req.method} ${c.req.path}`));

  app.onError((err, c) => {
    log.error('http.error', { path: c.req.path, error: err.message });
    return fail(c, 500, ApiError.internal, 'internal error');
  });

  return app;
}
