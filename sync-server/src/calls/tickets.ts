// Call tickets: short-lived, signed permissions to join the signalling of one consultation's call as one peer id.
// `POST /api/calls/ticket` issues them to the staff of the request's two units (calls-api.ts); the PeerJS upgrade
// is refused without one, or with one for another peer id (signalling.ts).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TicketClaims = {
  /** The consultation request the call is about. */
  requestId: string;
  userId: string;
  unitId: string;
  /** The only PeerJS id this ticket may connect as. */
  peerId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** A guest's ticket: the invitation it came from (calls/invites.ts); `userId` is then `guest-<id>`, not an account. */
  guest?: string;
};

export type CallTickets = {
  issue(claims: Omit<TicketClaims, 'exp' | 'peerId'>, nowMs: number): { ticket: string; peerId: string; expiresAt: number };
  verify(ticket: string, nowMs: number): TicketClaims | undefined;
};

export const ticketTtlSeconds = 5 * 60;

/** An id this server made with randomUUID (a recording's, an invitation's): what a path or a token may name. */
export const serverUuid = /^[0-9a-f-]{36}$/;

/** A guest's user id in tickets, presence and the audit: the invitation it came from, never an account's id. */
export const guestUserId = (inviteId: string) => `guest-${inviteId}`;

/** The invitation behind a guest's user id, or undefined for an account. */
export const inviteIdOfGuest = (userId: string): string | undefined => (userId.startsWith('guest-') ? userId.slice('guest-'.length) : undefined);

const short = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/** The call a request holds: every peer id of its call starts with this (PeerJS ids are letters, digits and '-'). */
export const callPrefix = (requestId: string) => `c-${short(`request:${requestId}`)}-`;

/** The peer id of an account in the call of a request: the same on every device of the account. */
export const peerIdOf = (requestId: string, userId: string) => `${callPrefix(requestId)}${short(`user:${userId}`)}`;

/** Tickets signed with a key derived from the server's token secret (never the access-token key itself). */
export function createCallTickets(secret: string, ttlSeconds = ticketTtlSeconds): CallTickets {
  const key = createHmac('sha256', secret).update('telehealth call tickets v1').digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    issue(claims, nowMs) {
      const full: TicketClaims = { ...claims, peerId: peerIdOf(claims.requestId, claims.userId), exp: Math.floor(nowMs / 1000) + ttlSeconds };
      const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
      return { ticket: `${payload}.${sign(payload)}`, peerId: full.peerId, expiresAt: full.exp * 1000 };
    },
    verify(ticket, nowMs) {
      const [payload, signature, extra] = ticket.split('.');
      if (!payload || !signature || extra !== undefined || ticket.length > 2_000) return undefined;
      const expected = Buffer.from(sign(payload));
      const actual = Buffer.from(signature);
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const c = claims as Partial<TicketClaims> | null;
      if (!c || typeof c.requestId !== 'string' || typeof c.userId !== 'string' || typeof c.unitId !== 'string' || typeof c.peerId !== 'string' || typeof c.exp !== 'number') return undefined;
      if (c.exp * 1000 <= nowMs) return undefined;
      if (c.guest !== undefined && (typeof c.guest !== 'string' || c.userId !== guestUserId(c.guest))) return undefined;
      return c as TicketClaims;
    }
  };
}

/** Invitation links: `<id>.<HMAC>`, with a key of their own derived from the server's secret. */
export function createInviteTokens(secret: string) {
  const key = createHmac('sha256', secret).update('telehealth call invitations v1').digest();
  const sign = (id: string) => createHmac('sha256', key).update(id).digest('base64url').slice(0, 32);
  return {
    token: (id: string) => `${id}.${sign(id)}`,
    /** The invitation id a token names, if the token is one this server made. */
    idOf(token: string): string | undefined {
      const [id, mac, extra] = token.split('.');
      if (!id || !mac || extra !== undefined || !serverUuid.test(id) || !/^[A-Za-z0-9_-]{32}$/.test(mac)) return undefined;
      const expected = Buffer.from(sign(id));
      const actual = Buffer.from(mac);
      return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : undefined;
    }
  };
}
export type InviteTokens = ReturnType<typeof createInviteTokens>;
