// Administration over HTTP (M12, criteria 44–47): the accounts of the people who work in the units, and the units.
//
// Who administers what: an administrator without a unit (the deployment's, created by the first-start setup) runs
// every account and every unit; an administrator of a unit (the Department of Health's, a centre's IT focal point)
// runs their unit and every unit below it (a department its province, a centre its stations): their accounts,
// administrators included, and the units themselves (new units hang below one of theirs; their own stays where it is).
//
// - GET  /api/admin/accounts                  the accounts one may administer (never a password hash)
// - POST /api/admin/accounts                  {username, displayName, role, unitId, password}: a new staff account
// - POST /api/admin/accounts/:id              {displayName?, role?, unitId?, profile…}: a change of role or unit ends
//   its sessions; the profile is gender, qualification, jobTitle, practiceCertificate, practiceScope (a consultant's)
// - POST /api/admin/accounts/:id/password     {password}: a new password; its sessions end
// - POST /api/admin/accounts/:id/disable|enable  {reason?}: it can no longer log in, refresh or sync (its refresh
//   tokens are deleted and every open sync socket of it, on every node, closes with 4403), or it can again
// - GET  /api/admin/devices                   the devices of those accounts that synced (first, last seen, versions)
// - POST /api/admin/devices/revoke            {userId, deviceId}: a lost device is refused from now on (4410) and
//   the app on it removes the account's data
// - POST /api/admin/units                     {id, kind, name, provinceCode, communeCode?, parentId?, facilityCode?,
//   phone?, address?, licence?, links?}: creates or changes a unit and the units its requests go to
//
// - POST /api/accounts/citizen                {phone, fullName, password, patientId?}: a station's health worker creates
//   a citizen's (patient) account at the station, for one of its charts or a new one
//
// Every change is logged and kept in the audit trail (`account:<id>`, `unit:<id>`). Sessions that end close with
// 4401: the device tries its refresh token, which is gone, and asks the person to sign in again.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { findCommune, findProvince } from '@telehealth/catalogs';
import { Role, UnitKind, isOneLine, isRole, passwordProblem, patterns, unitKinds } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { AccountChange, AuditAction, StaffProfile, Storage, UnitRow, UserRow } from './storage/storage';

type Vars = { Variables: { principal: Principal } };

/** The app's refusal: `{error, message, request}`, logged (see app.ts). */
export type Refuse = (c: Context, status: 400 | 403 | 404 | 409 | 413 | 415, error: string, message: string, extra?: Record<string, unknown>) => Response;

const userIdPattern = /^[A-Za-z0-9_.@-]{1,80}$/;
/** Staff usernames: as the first-start setup takes them. */
const usernamePattern = /^[a-z0-9._-]{3,40}$/;
const unitPhone = /^0\d{9,10}$/;
const maxReason = 200;
const maxName = 100;
/** The most accounts one list returns (a province's staff); more would need a search. */
export const maxListedAccounts = 5_000;
const maxLinks = 20;

export type AccountsDeps = {
  storage: Storage;
  log: Logger;
  now: () => number;
  refuse: Refuse;
  /** A password hash through the server's hashing gate (at most so many at once), or the app's 503 refusal. */
  hash: (c: Context, password: string) => Promise<string | Response>;
  /**
   * Closes the account's sync sockets on this node at once: 4403 when disabled, 4401 when its sessions ended; returns
   * how many (other nodes hear of it through the database).
   */
  closeAccount?: (userId: string, kind: 'disabled' | 'ended') => number;
  /** Closes a revoked device's sync sockets on this node at once (4410); returns how many. */
  closeDevice?: (userId: string, deviceId: string) => number;
};

/** The devices one list returns, most recently seen first. */
export const maxListedDevices = 5_000;
const devicePattern = /^[A-Za-z0-9_-]{8,64}$/;

export const accountView = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  disabled: Boolean(u.disabledAt),
  disabledAt: u.disabledAt ? u.disabledAt.toISOString() : null,
  gender: u.gender ?? null,
  qualification: u.qualification ?? null,
  jobTitle: u.jobTitle ?? null,
  practiceCertificate: u.practiceCertificate ?? null,
  practiceScope: u.practiceScope ?? null,
  createdBy: u.createdBy ?? null
});

/** The profile fields an administrator may set, with their longest length. */
const profileFields = { qualification: 100, jobTitle: 100, practiceCertificate: 50, practiceScope: 300 } as const;

/** The profile in a body (absent fields stay absent; "" or null clears one), or what is wrong with it. */
function readProfile(body: Record<string, unknown>): StaffProfile | string {
  const profile: StaffProfile = {};
  if (body.gender !== undefined) {
    if (body.gender !== null && body.gender !== 'male' && body.gender !== 'female') return 'gender: "male", "female" or null';
    profile.gender = body.gender;
  }
  for (const [key, max] of Object.entries(profileFields) as [keyof typeof profileFields, number][]) {
    const v = body[key];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'string' || v.trim().length > max)) return `${key}: up to ${max} characters, or null`;
    profile[key] = typeof v === 'string' && v.trim() ? v.trim() : null;
  }
  return profile;
}
const profileKeys = ['gender', ...Object.keys(profileFields)];

/**
 * The units an administrator runs: every unit (an administrator without a unit), or their unit and every unit below
 * it. Account administration and the audit trail (audit-api.ts) both ask this.
 */
export async function adminScope(storage: Storage, p: Principal): Promise<((unitId: string | null) => boolean) | 'all'> {
  if (!p.unitId) return 'all';
  const units = await storage.listUnits();
  const mine = new Set([p.unitId]);
  // Parents before children is not guaranteed: repeat until nothing is added (a unit tree is a few levels deep).
  for (let added = true; added; ) {
    added = false;
    for (const u of units) {
      if (!u.parentId || !mine.has(u.parentId) || mine.has(u.id)) continue;
      mine.add(u.id);
      added = true;
    }
  }
  return (unitId) => unitId !== null && mine.has(unitId);
}

/** A JSON object with only the allowed keys, or a description of what is wrong with it. */
async function readObject(c: Context, allowed: readonly string[]): Promise<Record<string, unknown> | string> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return 'the body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) return `unknown field ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; allowed: ${allowed.join(', ')}`;
  return body as Record<string, unknown>;
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim().length > 0 && v.trim().length <= max ? v.trim() : undefined);

/** Routes under /api/admin (mounted after the app's authentication middleware). */
export function mountAccounts(app: Hono<Vars>, deps: AccountsDeps) {
  const { storage, log, now, refuse } = deps;

  for (const prefix of ['/api/admin/accounts', '/api/admin/units', '/api/admin/devices']) {
    for (const path of [prefix, `${prefix}/*`]) {
      app.use(path, async (c, next) => {
        if (c.req.method !== 'POST') return next();
        if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the body as application/json');
        return next();
      });
      app.use(path, bodyLimit({ maxSize: 4096, onError: (c) => refuse(c, 413, 'payload_too_large', 'the body is over 4096 bytes') }));
      // Administrators only, before anything is read.
      app.use(path, async (c, next) => {
        if (c.get('principal').role !== Role.admin) return refuse(c, 403, 'forbidden', 'administration is for administrator accounts');
        return next();
      });
    }
  }

  const audit = (action: AuditAction, docId: string, by: string, atMs = now()) => storage.log.audit([{ atMs, action, docId, userId: by, device: null, seq: null }]);

  const scope = (p: Principal) => adminScope(storage, p);
  const inScope = async (p: Principal, unitId: string | null) => {
    const s = await scope(p);
    return s === 'all' || s(unitId);
  };

  app.get('/api/admin/accounts', async (c) => {
    const p = c.get('principal');
    const s = await scope(p);
    const users = await storage.listUsers(maxListedAccounts);
    const visible = s === 'all' ? users : users.filter((u) => s(u.unitId));
    return c.json({ accounts: visible.map(accountView), truncated: users.length === maxListedAccounts });
  });

  /** What is wrong with a role and unit for a new or changed staff account, from this administrator. */
  async function roleProblem(p: Principal, role: Role, unitId: string | null): Promise<{ status: 400 | 403; message: string } | undefined> {
    const bad = (message: string) => ({ status: 400 as const, message });
    if (role === Role.patient) return bad('patient accounts are created by the patients themselves or by their station');
    if (role === Role.admin && unitId === null) return p.unitId ? { status: 403, message: "only the deployment's administrator creates administrators without a unit" } : undefined;
    if (unitId === null) return bad('a staff account belongs to a unit: give unitId');
    const unit = (await storage.listUnits()).find((u) => u.id === unitId);
    if (!unit) return bad(`no unit ${unitId}`);
    if (role === Role.stationWorker && unit.kind !== UnitKind.station) return bad('a station health worker belongs to a commune health station');
    if (role === Role.doctor && unit.kind === UnitKind.station) return bad('a doctor of the upper level belongs to a centre, a hospital or the department, not a station');
    if (!(await inScope(p, unitId))) return { status: 403, message: `unit ${unitId} is not one you administer` };
    return undefined;
  }

  app.post('/api/admin/accounts', async (c) => {
    const p = c.get('principal');
    const body = await readObject(c, ['username', 'displayName', 'role', 'unitId', 'password', ...profileKeys]);
    if (typeof body === 'string') return refuse(c, 400, 'bad_request', body);
    const profile = readProfile(body);
    if (typeof profile === 'string') return refuse(c, 400, 'bad_request', profile);
    const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
    const displayName = text(body.displayName, maxName);
    const unitId = body.unitId === null || body.unitId === undefined ? null : typeof body.unitId === 'string' && patterns.id.test(body.unitId) ? body.unitId : undefined;
    if (!usernamePattern.test(username) || !displayName || !isRole(body.role) || unitId === undefined || typeof body.password !== 'string') {
      return refuse(c, 400, 'bad_request', 'expected JSON {"username": 3-40 of a-z 0-9 . _ -, "displayName": 1-100 characters, "role", "unitId", "password"}');
    }
    const problem = await roleProblem(p, body.role, unitId);
    if (problem) return refuse(c, problem.status, problem.status === 403 ? 'forbidden' : 'bad_request', problem.message);
    const weak = passwordProblem(body.password, [username, displayName]);
    if (weak) return refuse(c, 400, 'weak_password', `password refused: ${weak}`, { reason: weak });
    const hash = await deps.hash(c, body.password);
    if (hash instanceof Response) return hash;
    const user: UserRow = { id: `user-${crypto.randomUUID()}`, username, displayName, role: body.role, unitId, patientId: null, passwordHash: hash, ...profile, createdBy: p.userId };
    if ((await storage.createUser(user)) === 'username-taken') return refuse(c, 409, 'username_taken', `an account named ${username} exists`);
    await audit('account_create', `account:${user.id}`, p.userId);
    log.info('account.created', { userId: user.id, role: user.role, unitId, by: p.userId });
    return c.json({ account: accountView(user) }, 201);
  });

  /** The account named in the path, if this administrator may run it; otherwise the refusal. */
  async function target(c: Context<Vars>): Promise<UserRow | Response> {
    const id = c.req.param('id') ?? '';
    if (!userIdPattern.test(id)) return refuse(c, 400, 'bad_request', 'not an account id');
    const user = await storage.findUserById(id);
    const p = c.get('principal');
    // An account outside one's scope is reported as absent: a unit's administrator learns nothing of other units.
    if (!user || !(await inScope(p, user.unitId))) return refuse(c, 404, 'not_found', `no account ${id}`);
    return user;
  }

  const ended = (id: string) => deps.closeAccount?.(id, 'ended') ?? 0;

  app.post('/api/admin/accounts/:id', async (c) => {
    const p = c.get('principal');
    const user = await target(c);
    if (user instanceof Response) return user;
    const body = await readObject(c, ['displayName', 'role', 'unitId', ...profileKeys]);
    if (typeof body === 'string') return refuse(c, 400, 'bad_request', body);
    const profile = readProfile(body);
    if (typeof profile === 'string') return refuse(c, 400, 'bad_request', profile);
    const change: AccountChange = { ...profile };
    if (body.displayName !== undefined) {
      const name = text(body.displayName, maxName);
      if (!name) return refuse(c, 400, 'bad_request', 'displayName: 1-100 characters');
      change.displayName = name;
    }
    if (body.role !== undefined || body.unitId !== undefined) {
      if (user.role === Role.patient) return refuse(c, 400, 'bad_request', "a patient account's role and station do not change here");
      const role = body.role === undefined ? user.role : body.role;
      const unitId = body.unitId === undefined ? user.unitId : body.unitId;
      if (!isRole(role) || (unitId !== null && (typeof unitId !== 'string' || !patterns.id.test(unitId)))) return refuse(c, 400, 'bad_request', 'role: a role; unitId: a unit id or null');
      if (user.id === p.userId && role !== Role.admin) return refuse(c, 409, 'cannot_demote_self', 'an administrator does not take away their own administration');
      const problem = await roleProblem(p, role, unitId);
      if (problem) return refuse(c, problem.status, problem.status === 403 ? 'forbidden' : 'bad_request', problem.message);
      change.role = role;
      change.unitId = unitId;
    }
    const updated = await storage.updateUser(user.id, change);
    if (!updated) return refuse(c, 404, 'not_found', `no account ${user.id}`);
    const sessionsEnded = updated.role !== user.role || updated.unitId !== user.unitId;
    const closedConnections = sessionsEnded ? ended(user.id) : 0;
    await audit('account_change', `account:${user.id}`, p.userId);
    log.info('account.changed', { userId: user.id, by: p.userId, role: updated.role, unitId: updated.unitId, sessionsEnded, closedConnections });
    return c.json({ account: accountView(updated), sessionsEnded, closedConnections });
  });

  app.post('/api/admin/accounts/:id/password', async (c) => {
    const p = c.get('principal');
    const user = await target(c);
    if (user instanceof Response) return user;
    const body = await readObject(c, ['password']);
    if (typeof body === 'string' || typeof body.password !== 'string') return refuse(c, 400, 'bad_request', typeof body === 'string' ? body : 'expected JSON {"password"}');
    const weak = passwordProblem(body.password, [user.username, user.displayName]);
    if (weak) return refuse(c, 400, 'weak_password', `password refused: ${weak}`, { reason: weak });
    const hash = await deps.hash(c, body.password);
    if (hash instanceof Response) return hash;
    const updated = await storage.updateUser(user.id, { passwordHash: hash });
    if (!updated) return refuse(c, 404, 'not_found', `no account ${user.id}`);
    const closedConnections = ended(user.id);
    await audit('password_reset', `account:${user.id}`, p.userId);
    log.info('account.password_reset', { userId: user.id, by: p.userId, closedConnections });
    return c.json({ account: accountView(updated), sessionsEnded: true, closedConnections });
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/api/admin/accounts/:id/${action}`, async (c) => {
      const p = c.get('principal');
      const user = await target(c);
      if (user instanceof Response) return user;
      const body = await readObject(c, ['reason']);
      const reason = typeof body === 'string' ? undefined : body.reason;
      if (typeof body === 'string' || (reason !== undefined && (typeof reason !== 'string' || reason.length === 0 || reason.length > maxReason))) {
        return refuse(c, 400, 'bad_request', `expected JSON {} or {"reason": 1-${maxReason} characters}`);
      }
      // An administrator cannot lock themself out (nor the server out of its last administrator this way).
      if (action === 'disable' && user.id === p.userId) return refuse(c, 409, 'cannot_disable_self', 'an administrator does not disable their own account');
      const at = new Date(now());
      const updated = await storage.setUserDisabled(user.id, action === 'disable' ? at : null);
      if (!updated) return refuse(c, 404, 'not_found', `no account ${user.id}`);
      const closedConnections = action === 'disable' ? (deps.closeAccount?.(user.id, 'disabled') ?? 0) : 0;
      await audit(action, `account:${user.id}`, p.userId, at.getTime());
      log.info(`account.${action}d`, { userId: user.id, by: p.userId, closedConnections, ...(reason ? { reason } : {}) });
      return c.json({ account: accountView(updated), closedConnections });
    });
  }

  app.get('/api/admin/devices', async (c) => {
    const s = await scope(c.get('principal'));
    const [devices, users] = await Promise.all([storage.listDevices(maxListedDevices), storage.listUsers(maxListedAccounts)]);
    const byId = new Map(users.map((u) => [u.id, u]));
    const visible = devices.filter((d) => {
      const u = byId.get(d.userId);
      return u && (s === 'all' || s(u.unitId));
    });
    return c.json({
      devices: visible.map((d) => {
        const u = byId.get(d.userId)!;
        return {
          userId: d.userId,
          username: u.username,
          displayName: u.displayName,
          unitId: u.unitId,
          deviceId: d.deviceId,
          firstSeen: d.firstSeen.toISOString(),
          lastSeen: d.lastSeen.toISOString(),
          schemaVersion: d.schemaVersion,
          revision: d.revision,
          revokedAt: d.revokedAt ? d.revokedAt.toISOString() : null
        };
      }),
      truncated: devices.length === maxListedDevices
    });
  });

  // A lost or stolen device: it is refused from now on, its open connections close with 4410, and the app on it
  // removes the account's data (what it had not sent is lost with it).
  app.post('/api/admin/devices/revoke', async (c) => {
    const p = c.get('principal');
    const body = await readObject(c, ['userId', 'deviceId']);
    if (typeof body === 'string' || typeof body.userId !== 'string' || !userIdPattern.test(body.userId) || typeof body.deviceId !== 'string' || !devicePattern.test(body.deviceId)) {
      return refuse(c, 400, 'bad_request', typeof body === 'string' ? body : 'expected JSON {"userId", "deviceId"}');
    }
    const user = await storage.findUserById(body.userId);
    if (!user || !(await inScope(p, user.unitId))) return refuse(c, 404, 'not_found', `no account ${body.userId}`);
    const at = new Date(now());
    if (!(await storage.revokeDevice(user.id, body.deviceId, p.userId, at))) return refuse(c, 404, 'not_found', `no device ${body.deviceId} of ${user.id} has synced`);
    const closedConnections = deps.closeDevice?.(user.id, body.deviceId) ?? 0;
    await audit('device_revoke', `device:${user.id}/${body.deviceId}`, p.userId, at.getTime());
    log.info('device.revoked', { userId: user.id, device: body.deviceId, by: p.userId, closedConnections });
    return c.json({ revoked: true, closedConnections });
  });

  // A health worker creates the account of a citizen seen at the station (one without a smartphone of their own, say,
  // whose family will sign in for them): a patient account at the station, for the chart named or a new one.
  app.use('/api/accounts/citizen', async (c, next) => {
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the body as application/json');
    return next();
  });
  app.use('/api/accounts/citizen', bodyLimit({ maxSize: 4096, onError: (c) => refuse(c, 413, 'payload_too_large', 'the body is over 4096 bytes') }));
  app.post('/api/accounts/citizen', async (c) => {
    const p = c.get('principal');
    if (p.role !== Role.stationWorker || !p.unitId) return refuse(c, 403, 'forbidden', "a station's health workers create citizens' accounts");
    const body = await readObject(c, ['phone', 'fullName', 'password', 'patientId']);
    if (typeof body === 'string') return refuse(c, 400, 'bad_request', body);
    const phone = typeof body.phone === 'string' ? body.phone.trim() : '';
    const fullName = text(body.fullName, maxName);
    if (!patterns.phone.test(phone) || !fullName || typeof body.password !== 'string' || (body.patientId !== undefined && (typeof body.patientId !== 'string' || !patterns.id.test(body.patientId)))) {
      return refuse(c, 400, 'bad_request', 'expected JSON {"phone": 10 digits starting with 0, "fullName": 1-100 characters, "password", "patientId"?: a chart of this station}');
    }
    let patientId = `patient-${crypto.randomUUID()}`;
    if (typeof body.patientId === 'string') {
      const chart = await storage.log.getDoc(`patient:${body.patientId}`);
      if (!chart || chart.unitId !== p.unitId) return refuse(c, 404, 'not_found', `no chart ${body.patientId} of this station on the server (sync it first)`);
      if (await storage.patientAccountUnit(body.patientId)) return refuse(c, 409, 'patient_has_account', 'this chart already has an account');
      patientId = body.patientId;
    }
    const weak = passwordProblem(body.password, [phone]);
    if (weak) return refuse(c, 400, 'weak_password', `password refused: ${weak}`, { reason: weak });
    const hash = await deps.hash(c, body.password);
    if (hash instanceof Response) return hash;
    const user: UserRow = { id: `user-${crypto.randomUUID()}`, username: phone, displayName: fullName, role: Role.patient, unitId: p.unitId, patientId, passwordHash: hash, createdBy: p.userId };
    if ((await storage.createUser(user)) === 'username-taken') return refuse(c, 409, 'phone_taken', 'an account with this phone number exists');
    await audit('account_create', `account:${user.id}`, p.userId);
    log.info('account.citizen_created', { userId: user.id, unitId: p.unitId, by: p.userId, linked: typeof body.patientId === 'string' });
    return c.json({ account: accountView(user) }, 201);
  });

  app.post('/api/admin/units', async (c) => {
    const p = c.get('principal');
    const body = await readObject(c, ['id', 'kind', 'name', 'provinceCode', 'communeCode', 'parentId', 'facilityCode', 'phone', 'address', 'licence', 'links']);
    if (typeof body === 'string') return refuse(c, 400, 'bad_request', body);
    const problems: string[] = [];
    const id = typeof body.id === 'string' && patterns.id.test(body.id) ? body.id : (problems.push('id: 1-64 of A-Z a-z 0-9 _ . -'), '');
    const kind = typeof body.kind === 'string' && (unitKinds as readonly string[]).includes(body.kind) ? (body.kind as UnitKind) : (problems.push(`kind: one of ${unitKinds.join(', ')}`), UnitKind.station);
    const name = text(body.name, 200) ?? (problems.push('name: 1-200 characters'), '');
    const provinceCode = typeof body.provinceCode === 'string' && findProvince(body.provinceCode) ? body.provinceCode : (problems.push('provinceCode: a province of the 2025 catalog'), '');
    const optional = (key: string, ok: (v: string) => boolean, what: string): string | null => {
      const v = body[key];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v === 'string' && ok(v)) return v;
      problems.push(`${key}: ${what}`);
      return null;
    };
    const communeCode = optional('communeCode', (v) => findCommune(v)?.provinceCode === provinceCode, "a commune of the unit's province");
    const parentId = optional('parentId', (v) => patterns.id.test(v) && v !== id, 'the id of another unit');
    const facilityCode = optional('facilityCode', (v) => patterns.facilityCode.test(v), '5 digits or capital letters (mã cơ sở KCB)');
    const phone = optional('phone', (v) => unitPhone.test(v), '0 and 9 or 10 digits');
    // Printed on the official reports: one line, no control characters (PostgreSQL refuses NUL outright).
    const oneLine = (max: number) => (v: string) => v.trim().length <= max && isOneLine(v);
    const address = optional('address', oneLine(300), 'one line of up to 300 characters');
    const licence = optional('licence', oneLine(100), 'one line of up to 100 characters');
    const links = body.links === undefined ? [] : Array.isArray(body.links) && body.links.length <= maxLinks && body.links.every((l) => typeof l === 'string' && patterns.id.test(l) && l !== id) ? (body.links as string[]) : (problems.push(`links: up to ${maxLinks} unit ids`), []);
    if (kind === UnitKind.station && !communeCode && !problems.some((x) => x.startsWith('communeCode'))) problems.push('communeCode: a station is in a commune');
    const units = await storage.listUnits();
    const known = new Set(units.map((u) => u.id));
    if (parentId && !known.has(parentId)) problems.push(`parentId: no unit ${parentId}`);
    for (const l of links) if (!known.has(l)) problems.push(`links: no unit ${l}`);
    if (problems.length) return refuse(c, 400, 'bad_request', problems.join('; '), { problems });
    const existing = units.find((u) => u.id === id);
    // A unit's administrator creates and changes units below their own, and their own but not where it hangs.
    if (p.unitId) {
      const s = await scope(p);
      const mine = (u: string | null) => s === 'all' || s(u);
      if (existing && !mine(existing.id)) return refuse(c, 404, 'not_found', `no unit ${id} you administer`);
      if (existing?.id === p.unitId ? parentId !== existing.parentId : !mine(parentId)) {
        return refuse(c, 403, 'forbidden', 'a unit you create or change hangs below a unit you administer');
      }
    }
    // Address and licence (what the official reports print) stay as they were when the body leaves them out.
    const unit: UnitRow = {
      id,
      kind,
      name,
      provinceCode,
      communeCode,
      parentId,
      telehealthIcd: existing?.telehealthIcd ?? null,
      facilityCode,
      phone,
      address: body.address === undefined ? (existing?.address ?? null) : address?.trim() || null,
      licence: body.licence === undefined ? (existing?.licence ?? null) : licence?.trim() || null
    };
    await storage.upsertUnit(unit);
    for (const l of links) await storage.linkUnits(id, l);
    await audit('unit_change', `unit:${id}`, p.userId);
    log.info(existing ? 'unit.changed' : 'unit.created', { unitId: id, by: p.userId });
    return c.json({ unit: { ...unit, links: await storage.linkedUnits(id) } }, existing ? 200 : 201);
  });
}
