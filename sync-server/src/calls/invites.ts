// "Mời người tham gia": a participant of a consultation's call invites a named person (a specialist without an
// account here, a relative the patient wants present) into that call only, through a link that expires.
//
// The link is `/join?i=<id>.<HMAC>` (tickets.ts `createInviteTokens`): only this server makes one, and the row
// (call_invites) says for whom, into which consultation, until when, and whether it was revoked. Opening it asks
// `POST /api/invite/about` (who invites whom into what, no patient data) and `POST /api/invite/join` (a call
// ticket for the consultation's SFU rooms, as `guest-<id>`, named "<name> (khách mời)"). Both are open to anyone
// holding the link and are rate-limited by address; an unknown or forged link costs the address an attempt. The
// /sfu proxy checks the invitation again when the guest connects, and a revocation closes the guest's socket.
// Guests join through the SFU only (no account: no 1:1 signalling, no call log, no records).
import type { Context, Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { docId, patterns } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import type { InviteRow, Storage } from '../storage/storage';
import { guestName, inviteProblem, mayJoin } from './access';
import type { SfuRooms } from './sfu';
import { SFU_PATH } from './sfu-proxy';
import { guestUserId, serverUuid, type CallTickets, type InviteTokens } from './tickets';
import type { IceServer } from '../config';

type Vars = { Variables: { principal: Principal } };
type Refuse = (c: Context, status: 400 | 403 | 404 | 409 | 410 | 503, error: string, message: string) => Response;

export const inviteLimits = {
  /** How long an invitation may last, in minutes (the person choosing picks up to this). */
  maxMinutes: 24 * 60,
  defaultMinutes: 120,
  /** Invitations live at once for one consultation. */
  perConsultation: 10,
  maxName: 100
} as const;

export type InviteDeps = {
  storage: Storage;
  tokens: InviteTokens;
  tickets: CallTickets;
  sfu?: Pick<SfuRooms, 'ensureRooms'>;
  iceServers: IceServer[];
  /** Closes the sockets of a revoked invitation's guest. */
  revoked?: (inviteId: string) => void;
  log: Logger;
  now: () => number;
  refuse: Refuse;
};

const view = (i: InviteRow, link: string) => ({ id: i.id, name: i.name, expiresAt: i.expiresAt.toISOString(), link });

/** The invitations of the consultation's participants (after authentication). */
export function mountInvites(app: Hono<Vars>, deps: InviteDeps) {
  const { storage, tokens, log, now, refuse } = deps;
  const linkOf = (id: string) => `/join?i=${tokens.token(id)}`;

  app.post('/api/calls/invites', async (c) => {
    const p = c.get('principal');
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const requestId = typeof body?.requestId === 'string' && patterns.id.test(body.requestId) ? body.requestId : undefined;
    const name = typeof body?.name === 'string' ? body.name.trim().replace(/\s+/g, ' ') : '';
    const minutes = body?.minutes ?? inviteLimits.defaultMinutes;
    const known = Object.keys(body ?? {}).every((k) => ['requestId', 'name', 'minutes'].includes(k));
    if (!requestId || !known || !name || name.length > inviteLimits.maxName || [...name].some((ch) => ch.charCodeAt(0) < 32 || ch === '<' || ch === '>') || !Number.isInteger(minutes) || (minutes as number) < 5 || (minutes as number) > inviteLimits.maxMinutes) {
      return refuse(c, 400, 'bad_request', `expected JSON {"requestId", "name": 1-${inviteLimits.maxName} characters, "minutes": 5-${inviteLimits.maxMinutes}}`);
    }
    const decision = await mayJoin(storage, p, requestId);
    if (!decision.ok) return refuse(c, decision.status, decision.error, decision.message);
    if (!deps.sfu) return refuse(c, 503, 'sfu_unavailable', 'this server runs no SFU: guests cannot join a call');
    const at = new Date(now());
    if ((await storage.liveInvites(requestId, at)).length >= inviteLimits.perConsultation) return refuse(c, 409, 'too_many_invites', `at most ${inviteLimits.perConsultation} invitations at once for one consultation`);
    const invite: InviteRow = { id: randomUUID(), requestId, name, createdBy: p.userId, createdAt: at, expiresAt: new Date(at.getTime() + (minutes as number) * 60_000), revokedAt: null };
    await storage.addInvite(invite);
    await storage.log.audit([{ atMs: now(), action: 'invite_create', docId: docId('request', requestId), userId: p.userId, device: null, seq: null }]);
    log.info('calls.invite_created', { userId: p.userId, requestId, inviteId: invite.id });
    c.header('Cache-Control', 'no-store');
    return c.json(view(invite, linkOf(invite.id)), 201);
  });

  app.get('/api/calls/invites', async (c) => {
    const p = c.get('principal');
    const requestId = c.req.query('requestId') ?? '';
    if (!patterns.id.test(requestId)) return refuse(c, 400, 'bad_request', 'expected ?requestId=');
    const decision = await mayJoin(storage, p, requestId);
    if (!decision.ok) return refuse(c, decision.status, decision.error, decision.message);
    c.header('Cache-Control', 'no-store');
    return c.json({ invites: (await storage.liveInvites(requestId, new Date(now()))).map((i) => view(i, linkOf(i.id))) });
  });

  app.post('/api/calls/invites/:id/revoke', async (c) => {
    const p = c.get('principal');
    const id = c.req.param('id');
    const invite = serverUuid.test(id) ? await storage.getInvite(id) : undefined;
    if (!invite) return refuse(c, 404, 'not_found', 'no such invitation');
    const decision = await mayJoin(storage, p, invite.requestId);
    if (!decision.ok) return refuse(c, decision.status, decision.error, decision.message);
    await storage.revokeInvite(id, new Date(now()));
    await storage.log.audit([{ atMs: now(), action: 'invite_revoke', docId: docId('request', invite.requestId), userId: p.userId, device: null, seq: null }]);
    deps.revoked?.(id);
    log.info('calls.invite_revoked', { userId: p.userId, inviteId: id });
    return c.json({ ok: true });
  });
}

/**
 * The guest's side, open to anyone with the link (mounted before authentication): `limited` refuses an address
 * that has used up its attempts, `spend` counts a failed one.
 */
export function mountGuestJoin(app: Hono, deps: InviteDeps & { limited: (c: Context) => Response | undefined; spend: (c: Context) => void; unitName: (unitId: string | null | undefined) => Promise<string> }) {
  const { storage, tokens, log, now, refuse } = deps;

  /** The invitation a body `{"invite": token}` names and whether it lets its guest in; or the refusal. */
  async function readInvite(c: Context): Promise<{ invite: InviteRow } | { response: Response }> {
    const limited = deps.limited(c);
    if (limited) return { response: limited };
    const body = (await c.req.json().catch(() => undefined)) as { invite?: unknown } | undefined;
    const token = body?.invite;
    const id = typeof token === 'string' ? tokens.idOf(token) : undefined;
    if (!id) {
      deps.spend(c);
      return { response: refuse(c, 404, 'not_found', 'this is not an invitation of this server') };
    }
    const invite = await storage.getInvite(id);
    const problem = await inviteProblem(storage, invite, now());
    if (problem) {
      if (problem.status === 404) deps.spend(c);
      return { response: refuse(c, problem.status, problem.error, problem.message) };
    }
    return { invite: invite! };
  }

  // Who invites whom into what: the two units and the inviter, never the patient.
  app.post('/api/invite/about', async (c) => {
    const read = await readInvite(c);
    if ('response' in read) return read.response;
    const { invite } = read;
    const request = await storage.log.getDoc(docId('request', invite.requestId));
    const inviter = await storage.findUserById(invite.createdBy);
    c.header('Cache-Control', 'no-store');
    return c.json({
      name: invite.name,
      invitedBy: inviter?.displayName ?? '',
      fromUnit: await deps.unitName(request?.unitId),
      toUnit: await deps.unitName(request?.peerUnitId),
      expiresAt: invite.expiresAt.toISOString(),
      sfu: deps.sfu !== undefined
    });
  });

  // A call ticket for the consultation's SFU rooms, as the guest.
  app.post('/api/invite/join', async (c) => {
    const read = await readInvite(c);
    if ('response' in read) return read.response;
    const { invite } = read;
    // Every join spends an attempt of the address: a guest joins a few times, a script holding a link cannot
    // fill the audit log with tickets.
    deps.spend(c);
    if (!deps.sfu) return refuse(c, 503, 'sfu_unavailable', 'this server runs no SFU: guests cannot join a call');
    const rooms = await deps.sfu.ensureRooms(invite.requestId);
    const userId = guestUserId(invite.id);
    const issued = deps.tickets.issue({ requestId: invite.requestId, userId, unitId: '', guest: invite.id }, now());
    await storage.log.audit([{ atMs: now(), action: 'invite_join', docId: docId('request', invite.requestId), userId, device: null, seq: null }]);
    log.info('calls.guest_ticket', { inviteId: invite.id, requestId: invite.requestId });
    c.header('Cache-Control', 'no-store');
    return c.json({ ticket: issued.ticket, expiresAt: issued.expiresAt, path: SFU_PATH, rooms, iceServers: deps.iceServers, displayName: guestName(invite) });
  });
}
