// Account administration over HTTP: an administrator disables an account (it can no longer log in, refresh or sync:
// its refresh tokens are deleted and every open sync socket of it, on every node, closes with 4403) or enables it
// again. Admin accounts only; each change is logged and kept in the audit trail.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Role } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Storage, UserRow } from './storage/storage';

type Vars = { Variables: { principal: Principal } };

/** The app's refusal: `{error, message, request}`, logged (see app.ts). */
export type Refuse = (c: Context, status: 400 | 403 | 404 | 409 | 413 | 415, error: string, message: string) => Response;

const userIdPattern = /^[A-Za-z0-9_.@-]{1,80}$/;
const maxReason = 200;

export type AccountsDeps = {
  storage: Storage;
  log: Logger;
  now: () => number;
  refuse: Refuse;
  /** Closes the account's sync sockets on this node at once; returns how many (other nodes hear of it through the database). */
  accountDisabled?: (userId: string) => number;
};

const accountView = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  disabled: Boolean(u.disabledAt),
  disabledAt: u.disabledAt ? u.disabledAt.toISOString() : null
});

/** Routes under /api/admin/accounts (mounted after the app's authentication middleware). */
export function mountAccounts(app: Hono<Vars>, deps: AccountsDeps) {
  const { storage, log, now, refuse } = deps;

  app.use('/api/admin/accounts/*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the body as application/json');
    return next();
  });
  app.use('/api/admin/accounts/*', bodyLimit({ maxSize: 1024, onError: (c) => refuse(c, 413, 'payload_too_large', 'the body is over 1024 bytes') }));

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/api/admin/accounts/:id/${action}`, async (c) => {
      const p = c.get('principal');
      if (p.role !== Role.admin) return refuse(c, 403, 'forbidden', 'only an administrator disables or enables accounts');
      const id = c.req.param('id');
      if (!userIdPattern.test(id)) return refuse(c, 400, 'bad_request', 'not an account id');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        body = undefined;
      }
      const reason = (body as { reason?: unknown } | undefined)?.reason;
      if (
        typeof body !== 'object' ||
        body === null ||
        Array.isArray(body) ||
        Object.keys(body).some((k) => k !== 'reason') ||
        (reason !== undefined && (typeof reason !== 'string' || reason.length === 0 || reason.length > maxReason))
      ) {
        return refuse(c, 400, 'bad_request', `expected JSON {} or {"reason": 1-${maxReason} characters}`);
      }
      // An administrator cannot lock themself out (nor the server out of its last administrator this way).
      if (action === 'disable' && id === p.userId) return refuse(c, 409, 'cannot_disable_self', 'an administrator does not disable their own account');
      const at = new Date(now());
      const user = await storage.setUserDisabled(id, action === 'disable' ? at : null);
      if (!user) return refuse(c, 404, 'not_found', `no account ${id}`);
      const closedConnections = action === 'disable' ? (deps.accountDisabled?.(id) ?? 0) : 0;
      await storage.log.audit([{ atMs: at.getTime(), action, docId: `account:${id}`, userId: p.userId, device: null, seq: null }]);
      log.info(`account.${action}d`, { userId: id, by: p.userId, closedConnections, ...(reason ? { reason } : {}) });
      return c.json({ account: accountView(user), closedConnections });
    });
  }
}
