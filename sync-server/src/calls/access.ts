// Who may be in a consultation's call, and read what it leaves: the one place this is decided for the 1:1 call,
// the SFU, recordings and invitations (calls-api.ts, sfu-proxy.ts, invites.ts).
import { ReviewStatus, Role, docId, readFields } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import { readState } from '../sync/content-policy';
import type { DocRow, InviteRow, Storage } from '../storage/storage';

export type JoinDecision = { ok: true; request: DocRow } | { ok: false; status: 403 | 404 | 409; error: 'forbidden' | 'not_found' | 'consultation_closed'; message: string };

/** A record's fields as the log holds them now. */
async function fieldsOf(storage: Storage, kind: 'request' | 'review', id: string): Promise<Record<string, unknown>> {
  const doc = await readState(storage.log, docId(kind, id));
  const fields = readFields(doc.getMap(kind));
  doc.destroy();
  return fields;
}

/**
 * Who may join a consultation's call (1:1 or on the SFU): the staff of the request's two units, the station that
 * wrote it and the upper unit it went to. The one place this is decided (named guests will be added here).
 */
export async function mayJoin(storage: Storage, p: Principal, requestId: string): Promise<JoinDecision> {
  const staff = await consultationStaff(storage, p, requestId);
  if (!staff.ok) return staff;
  const closed = await whyClosed(storage, requestId);
  if (closed) return { ok: false, status: 409, error: 'consultation_closed', message: `no call: ${closed}` };
  return { ok: true, request: staff.request };
}

/** Why a consultation holds no call now, if it does not: a call is held on a request that was sent, not withdrawn, and not declined by the upper unit. */
export async function whyClosed(storage: Storage, requestId: string): Promise<string | undefined> {
  const fields = await fieldsOf(storage, 'request', requestId);
  const review = await fieldsOf(storage, 'review', requestId);
  return fields.sentAt === undefined ? 'the request was never sent' : fields.withdrawnAt !== undefined ? 'the request was withdrawn' : review.status === ReviewStatus.declined ? 'the upper unit declined the request' : undefined;
}

/** Whether the account is staff of one of the consultation's two units (who joins its calls and reads its recordings). */
export async function consultationStaff(storage: Storage, p: Principal, requestId: string): Promise<JoinDecision> {
  if ((p.role !== Role.stationWorker && p.role !== Role.doctor) || !p.unitId) return { ok: false, status: 403, error: 'forbidden', message: 'calls are for the staff of the units of a consultation' };
  const request = await storage.log.getDoc(docId('request', requestId));
  if (!request) return { ok: false, status: 404, error: 'not_found', message: `no request ${requestId}` };
  if (p.unitId !== request.unitId && p.unitId !== request.peerUnitId) return { ok: false, status: 403, error: 'forbidden', message: 'only the staff of the requesting station and of the upper unit join its call' };
  return { ok: true, request };
}

/** A guest's name as shown to the others: what the inviter typed, marked as a guest. */
export const guestName = (invite: Pick<InviteRow, 'name'>) => `${invite.name} (khách mời)`;

/** Whether an invitation lets its guest in now, and if not why (a message for the guest's screen). */
export async function inviteProblem(storage: Storage, invite: InviteRow | undefined, nowMs: number): Promise<{ status: 404 | 409 | 410; error: string; message: string } | undefined> {
  if (!invite) return { status: 404, error: 'not_found', message: 'no such invitation' };
  if (invite.revokedAt) return { status: 410, error: 'invite_revoked', message: 'this invitation was withdrawn' };
  if (invite.expiresAt.getTime() <= nowMs) return { status: 410, error: 'invite_expired', message: 'this invitation has expired' };
  const closed = await whyClosed(storage, invite.requestId);
  if (closed) return { status: 409, error: 'consultation_closed', message: `no call: ${closed}` };
  return undefined;
}

