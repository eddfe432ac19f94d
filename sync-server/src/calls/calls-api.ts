// The calls' HTTP API (mounted after the app's authentication): a call ticket for a consultation's call, and a
// short, bounded probe of the link to the server for the pre-call check.
import type { Context, Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { Role, docId, patterns } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { IceServer } from '../config';
import type { Logger } from '../log';
import type { Storage } from '../storage/storage';
import type { CallTickets } from './tickets';
import type { Presence } from './signalling';
import { SIGNALLING_PATH } from './signalling';

type Vars = { Variables: { principal: Principal } };
type Refuse = (c: Context, status: 400 | 403 | 404, error: string, message: string) => Response;

export type CallsDeps = {
  storage: Storage;
  tickets: CallTickets;
  iceServers: IceServer[];
  /** Who is in a request's call now (the signalling knows); none in tests of the API alone. */
  present?: (requestId: string) => Presence[];
  log: Logger;
  now: () => number;
  refuse: Refuse;
};

export const probeLimits = {
  /** The largest probe answer: enough to measure a 2G-to-3G link in a few seconds, not enough to load the server. */
  maxBytes: 256 * 1024,
  defaultBytes: 16 * 1024
} as const;

/** Random bytes (incompressible) reused for every probe: the answer measures the link, not the server's CPU. */
const probeBody = randomBytes(probeLimits.maxBytes);

export function mountCalls(app: Hono<Vars>, deps: CallsDeps) {
  const { storage, tickets, log, now, refuse } = deps;

  // Only the staff of the two units of the request: the station that wrote it and the upper unit it went to.
  app.post('/api/calls/ticket', async (c) => {
    const p = c.get('principal');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    const requestId = (body as { requestId?: unknown } | undefined)?.requestId;
    if (typeof requestId !== 'string' || !patterns.id.test(requestId)) return refuse(c, 400, 'bad_request', 'expected JSON {"requestId": string}');
    if ((p.role !== Role.stationWorker && p.role !== Role.doctor) || !p.unitId) return refuse(c, 403, 'forbidden', 'calls are for the staff of the units of a consultation');
    const request = await storage.log.getDoc(docId('request', requestId));
    if (!request) return refuse(c, 404, 'not_found', `no request ${requestId}`);
    if (p.unitId !== request.unitId && p.unitId !== request.peerUnitId) return refuse(c, 403, 'forbidden', 'only the staff of the requesting station and of the upper unit join its call');
    const issued = tickets.issue({ requestId, userId: p.userId, unitId: p.unitId }, now());
    const user = await storage.findUserById(p.userId);
    const otherUnitId = p.unitId === request.unitId ? request.peerUnitId : request.unitId;
    log.info('calls.ticket', { userId: p.userId, requestId });
    c.header('Cache-Control', 'no-store');
    return c.json({
      ticket: issued.ticket,
      peerId: issued.peerId,
      expiresAt: issued.expiresAt,
      path: SIGNALLING_PATH,
      iceServers: deps.iceServers,
      self: { peerId: issued.peerId, userId: p.userId, unitId: p.unitId, displayName: user?.displayName ?? p.userId },
      otherUnitId,
      present: (deps.present?.(requestId) ?? []).filter((x) => x.peerId !== issued.peerId)
    });
  });

  // `bytes=0` measures the round trip; a few tens of KB the throughput. Bounded, never cached, never compressed.
  app.get('/api/calls/probe', (c) => {
    const raw = c.req.query('bytes');
    const bytes = raw === undefined ? probeLimits.defaultBytes : /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(bytes) || bytes > probeLimits.maxBytes) return refuse(c, 400, 'bad_request', `bytes must be an integer from 0 to ${probeLimits.maxBytes}`);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'application/octet-stream');
    return c.body(probeBody.subarray(0, bytes));
  });
}
