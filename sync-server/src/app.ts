// The HTTP API as a Hono app built from its dependencies: health, login, token refresh, the current user.
import { Hono, type Context } from 'hono';
import type { Storage, UserRow } from './storage/storage';
import type { Logger } from './log';
import { hashRefreshToken, newRefreshToken, type Principal, type TokenIssuer } from './auth/tokens';
import { hashPassword, verifyPassword, type ScryptCost } from './auth/passwords';
import { Role, UnitKind, patterns } from '@telehealth/domain';
import { compress } from 'hono/compress';
import { icd10Publication } from './catalogs';

export type AppDeps = {
  storage: Storage;
  tokens: TokenIssuer;
  log: Logger;
  refreshTokenTtlSeconds: number;
  now?: () => number;
  /** Password hashing cost for new accounts (tests lower it). */
  scryptCost?: ScryptCost;
};

/** Error codes the client maps to i18n messages; the `message` is for logs and developers. */
export const ApiError = {
  badRequest: 'bad_request',
  invalidCredentials: 'invalid_credentials',
  phoneTaken: 'phone_taken',
  weakPassword: 'weak_password',
  unauthorized: 'unauthorized',
  notFound: 'not_found',
  internal: 'internal'
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

  const fail = (c: Context, status: 400 | 401 | 404 | 409 | 500, error: ApiError, message: string) =>
    c.json({ error, message }, status);

  async function issueSession(user: UserRow) {
    const access = tokens.issueAccess(principalOf(user), now());
    const refresh = newRefreshToken();
    await storage.saveRefreshToken(refresh.hash, user.id, new Date(now() + deps.refreshTokenTtlSeconds * 1000));
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
    const user = await storage.findUserByUsername(username.trim().toLowerCase());
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      log.warn('login.failed', { username });
      return fail(c, 401, ApiError.invalidCredentials, 'wrong username or password');
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
    return c.json(await issueSession(user));
  });

  // The unit directory: names, kinds and the links a station may send requests along. Public (it is on every
  // unit's signboard) so that a patient can choose a station before having an account.
  app.get('/api/units', async (c) => {
    const units = await storage.listUnits();
    const withLinks = await Promise.all(units.map(async (u) => ({ ...u, links: await storage.linkedUnits(u.id) })));
    return c.json({ units: withLinks });
  });

  // Catalogs for devices: versioned (a digest), compressed, answered with 304 when the device has this version.
  const icd10 = icd10Publication();
  app.use('/api/catalogs/*', compress());
  app.get('/api/catalogs', (c) => c.json({ catalogs: [{ name: 'icd10', version: icd10.version, source: icd10.source, count: icd10.entries.length }] }));
  app.get('/api/catalogs/icd10', (c) => {
    const etag = `"${icd10.version}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    // Compression makes the tag weak (W/"…"): either form names this version.
    if (c.req.header('if-none-match')?.replace(/^W\//, '') === etag) return c.body(null, 304);
    return c.json(icd10);
  });

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
    if (password.length < 8) return fail(c, 400, ApiError.weakPassword, 'the password needs at least 8 characters');
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
      passwordHash: await hashPassword(password, deps.scryptCost)
    };
    if ((await storage.createUser(user)) === 'username-taken') {
      log.warn('register.phone_taken');
      return fail(c, 409, ApiError.phoneTaken, 'an account with this phone number exists');
    }
    log.info('register.ok', { userId: user.id, unitId });
    return c.json(await issueSession(user));
  });

  app.use('/api/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const verified = match?.[1] ? tokens.verifyAccess(match[1], now()) : undefined;
    if (!verified?.ok) {
      log.warn('auth.rejected', { path: c.req.path, reason: verified ? verified.reason : 'missing' });
      return fail(c, 401, ApiError.unauthorized, 'missing or invalid access token');
    }
    c.set('principal', verified.claims);
    await next();
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
