// The calls' HTTP API (mounted after the app's authentication): a call ticket for a consultation's call, and a
// short, bounded probe of the link to the server for the pre-call check.
import type { Context, Hono } from 'hono';
import { createReadStream, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { docId, patterns } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { IceServer } from '../config';
import type { Logger } from '../log';
import type { Storage } from '../storage/storage';
import { inviteIdOfGuest, serverUuid, type CallTickets } from './tickets';
import { recordingFileName } from './recording';
import type { Presence } from './signalling';
import { SIGNALLING_PATH } from './signalling';
import type { SfuRooms } from './sfu';
import { SFU_PATH } from './sfu-proxy';
import { consultationStaff, guestName, mayJoin } from './access';

type Vars = { Variables: { principal: Principal } };
type Refuse = (c: Context, status: 400 | 403 | 404 | 409 | 503, error: string, message: string) => Response;

/** The request id of a JSON body `{"requestId": string}`, or undefined. */
async function requestIdOf(c: Context): Promise<string | undefined> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    body = undefined;
  }
  const requestId = (body as { requestId?: unknown } | undefined)?.requestId;
  return typeof requestId === 'string' && patterns.id.test(requestId) ? requestId : undefined;
}

export type CallsDeps = {
  storage: Storage;
  tickets: CallTickets;
  iceServers: IceServer[];
  /** Who is in a request's call now (the signalling knows); none in tests of the API alone. */
  present?: (requestId: string) => Presence[];
  /** The consultations' rooms on the SFU; absent when this server runs no SFU (multi-party video unavailable). */
  sfu?: Pick<SfuRooms, 'ensureRooms'>;
  /** Who is in a request's SFU rooms now (the /sfu proxy knows): a late joiner follows them there. */
  sfuPresent?: (requestId: string) => { userId: string; displayName: string }[];
  /** Where the recordings' files are (DATA_DIR/recordings). */
  recordingsDir?: string;
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

  // Only the staff of the two units of the request (mayJoin).
  app.post('/api/calls/ticket', async (c) => {
    const p = c.get('principal');
    const requestId = await requestIdOf(c);
    if (!requestId) return refuse(c, 400, 'bad_request', 'expected JSON {"requestId": string}');
    const decision = await mayJoin(storage, p, requestId);
    if (!decision.ok) return refuse(c, decision.status, decision.error, decision.message);
    const request = decision.request;
    const unitId = p.unitId!;
    const issued = tickets.issue({ requestId, userId: p.userId, unitId }, now());
    const user = await storage.findUserById(p.userId);
    const otherUnitId = unitId === request.unitId ? request.peerUnitId : request.unitId;
    log.info('calls.ticket', { userId: p.userId, requestId });
    c.header('Cache-Control', 'no-store');
    return c.json({
      ticket: issued.ticket,
      peerId: issued.peerId,
      expiresAt: issued.expiresAt,
      path: SIGNALLING_PATH,
      iceServers: deps.iceServers,
      self: { peerId: issued.peerId, userId: p.userId, unitId, displayName: user?.displayName ?? p.userId },
      otherUnitId,
      present: (deps.present?.(requestId) ?? []).filter((x) => x.peerId !== issued.peerId),
      sfu: deps.sfu !== undefined,
      sfuPresent: deps.sfuPresent?.(requestId) ?? []
    });
  });

  // What this server offers for calls: multi-party video needs the SFU (Janus), which may not be installed.
  app.get('/api/calls/capabilities', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ oneToOne: true, sfu: deps.sfu !== undefined });
  });

  // A place in the consultation's SFU rooms (created on first use): a ticket for the /sfu proxy, whose joins
  // carry the account's Janus token. The same people as the 1:1 call (mayJoin).
  app.post('/api/calls/sfu/join', async (c) => {
    const p = c.get('principal');
    const requestId = await requestIdOf(c);
    if (!requestId) return refuse(c, 400, 'bad_request', 'expected JSON {"requestId": string}');
    const decision = await mayJoin(storage, p, requestId);
    if (!decision.ok) return refuse(c, decision.status, decision.error, decision.message);
    if (!deps.sfu) return refuse(c, 503, 'sfu_unavailable', 'this server runs no SFU: multi-party video is unavailable, 1:1 calls still work');
    const rooms = await deps.sfu.ensureRooms(requestId);
    const issued = tickets.issue({ requestId, userId: p.userId, unitId: p.unitId! }, now());
    log.info('calls.sfu_ticket', { userId: p.userId, requestId });
    c.header('Cache-Control', 'no-store');
    return c.json({ ticket: issued.ticket, expiresAt: issued.expiresAt, path: SFU_PATH, rooms, iceServers: deps.iceServers });
  });

  // The consultation's recordings (the staff of its two units): what, when, who consented; never the media itself.
  app.get('/api/calls/recordings', async (c) => {
    const p = c.get('principal');
    const requestId = c.req.query('requestId') ?? '';
    if (!patterns.id.test(requestId)) return refuse(c, 400, 'bad_request', 'expected ?requestId=');
    const staff = await consultationStaff(storage, p, requestId);
    if (!staff.ok) return refuse(c, staff.status, staff.error, staff.message);
    const rows = await storage.listRecordings(requestId);
    const names = new Map<string, string>();
    for (const id of new Set(rows.flatMap((r) => [r.startedBy, ...r.consented]))) {
      const inviteId = inviteIdOfGuest(id);
      const invite = inviteId ? await storage.getInvite(inviteId) : undefined;
      names.set(id, invite ? guestName(invite) : ((await storage.findUserById(id))?.displayName ?? id));
    }
    c.header('Cache-Control', 'no-store');
    return c.json({
      recordings: rows.map((r) => ({
        id: r.id,
        startedAt: r.startedAt.toISOString(),
        stoppedAt: r.stoppedAt?.toISOString() ?? null,
        startedBy: names.get(r.startedBy),
        consented: r.consented.map((u) => names.get(u)),
        status: r.status,
        files: r.files
      }))
    });
  });

  // One file of a recording, only when asked (never pushed to a device): audited as a read of the consultation.
  app.get('/api/calls/recordings/:id/:name', async (c) => {
    const p = c.get('principal');
    const { id, name } = c.req.param();
    if (!serverUuid.test(id) || !recordingFileName.test(name)) return refuse(c, 400, 'bad_request', 'no such recording file');
    const row = await storage.getRecording(id);
    const file = row?.files.find((f) => f.name === name);
    if (!row || !file || !deps.recordingsDir) return refuse(c, 404, 'not_found', 'no such recording file');
    const staff = await consultationStaff(storage, p, row.requestId);
    if (!staff.ok) return refuse(c, staff.status, staff.error, staff.message);
    const full = path.join(deps.recordingsDir, id, name);
    let size: number;
    try {
      size = statSync(full).size;
    } catch {
      return refuse(c, 404, 'not_found', 'the recording file is missing on the server');
    }
    await storage.log.audit([{ atMs: now(), action: 'open', docId: docId('request', row.requestId), userId: p.userId, device: null, seq: null }]);
    log.info('calls.recording_read', { userId: p.userId, id, name });
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', file.kind === 'audio' ? 'audio/ogg' : 'video/webm');
    c.header('Content-Length', String(size));
    c.header('Content-Disposition', `attachment; filename="hoi-chan-${row.startedAt.toISOString().slice(0, 10)}-${name}"`);
    return c.body(Readable.toWeb(createReadStream(full)) as ReadableStream);
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
