// The HTTP API as a Hono app built from its dependencies: health, login, token refresh, the current user.
import { Hono, type Context } from 'hono';
import type { Storage, UserRow } from './storage/storage';
import type { Logger } from './log';
import { hashRefreshToken, newRefreshToken, type Principal, type TokenIssuer } from './auth/tokens';
import { verifyPassword } from './auth/passwords';

export type AppDeps = {
  storage: Storage;
  tokens: TokenIssuer;
  log: Logger;
  refreshTokenTtlSeconds: number;
  now?: () => number;
};

/** Error codes the client maps to i18n messages; the `message` is for logs and developers. */
export const ApiError = {
  badRequest: 'bad_request',
  invalidCredentials: 'invalid_credentials',
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

  const fail = (c: Context, status: 400 | 401 | 404 | 500, error: ApiError, message: string) =>
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
