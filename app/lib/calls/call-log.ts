// The call log (M8): the feature module the call screen writes through. One `call:<id>` document per call and per
// unit that logs it: who called whom, why (report 5D's purposes), on which channel, when it started and ended, and
// the rungs of the ladder it used and why (an append-only list). Written on the device at once, offline too (a call
// on the phone line through a `tel:` link is logged the same way), and synced: linked to a consultation request, the
// other unit of the request reads it; patients never do.
import { CallDirection, checkRung, docId, mainRecord, readFields, writeFields, type CallPurpose, type DocMeta, type Fields } from '@telehealth/domain';
import type { Rung } from '@telehealth/domain/calls';
import { session } from '../auth/session.svelte';
import type { MessageKey } from '../i18n/catalog';
import { nowIso } from '../records/dates';
import { requestRow } from '../records/rows';
import { sync } from '../sync/sync-state.svelte';

export type { CallPurpose } from '@telehealth/domain';
export type { Rung } from '@telehealth/domain/calls';

export type StartCallLog = {
  /** The consultation request the call is about: its other unit then reads the log. */
  requestId?: string;
  /** The patient the call is about (taken from the request when not given). */
  patientId?: string;
  /**
   * The other unit of the call. For an outgoing call, the unit called. For an incoming call, the unit that called
   * (this unit's own id is accepted too: the calling unit is then the request's other unit).
   */
  calleeUnitId: string;
  direction: 'outgoing' | 'incoming';
  purpose: CallPurpose;
  channel: 'webrtc' | 'phone';
};

/** The words of report 5D for each purpose, and of each direction, channel and rung (i18n catalog keys). */
export const purposeLabels: Record<CallPurpose, MessageKey> = {
  consultation: 'callLog.purpose.consultation',
  briefing: 'callLog.purpose.briefing',
  professional: 'callLog.purpose.professional',
  other: 'callLog.purpose.other'
};
export const directionLabels: Record<StartCallLog['direction'], MessageKey> = { outgoing: 'callLog.direction.outgoing', incoming: 'callLog.direction.incoming' };
export const channelLabels: Record<StartCallLog['channel'], MessageKey> = { webrtc: 'callLog.channel.webrtc', phone: 'callLog.channel.phone' };
export const rungLabels: Record<Rung, MessageKey> = { hd: 'callLog.rung.hd', low: 'callLog.rung.low', audio: 'callLog.rung.audio', phone: 'callLog.rung.phone' };

/** The request a call is linked to, as this device's index has it. */
export type LinkedRequest = { fromUnitId?: string; toUnitId?: string; patientId?: string };

/**
 * The metadata and first fields of a call log (pure): who called whom from `ownUnitId`'s side, the patient and the
 * request. The other unit of the request reads it (`peerUnitId`) when this unit is one of the request's two units;
 * a call about no patient names itself as its patient (ARCHITECTURE.md, "Document ids and metadata").
 */
export function callLogRecord(
  input: StartCallLog,
  by: { userId: string; unitId: string },
  request: LinkedRequest | undefined,
  id: string,
  now: string
): { meta: DocMeta; fields: Fields } {
  const own = by.unitId;
  const requestUnits = request ? [request.fromUnitId, request.toUnitId] : [];
  const requestOther = requestUnits.includes(own) ? requestUnits.find((u) => u !== own) : undefined;
  const other = input.calleeUnitId !== own ? input.calleeUnitId : requestOther;
  if (!other) throw new Error('a call log names the other unit of the call');
  const outgoing = input.direction === CallDirection.outgoing;
  const patientId = input.patientId ?? request?.patientId;
  const peerUnitId = input.requestId && requestOther && patientId && request?.patientId === patientId ? requestOther : undefined;
  return {
    meta: { kind: 'call', unitId: own, patientId: patientId ?? id, ...(peerUnitId ? { peerUnitId } : {}) },
    fields: {
      id,
      unitId: own,
      direction: input.direction,
      callerUnitId: outgoing ? own : other,
      calleeUnitId: outgoing ? other : own,
      purpose: input.purpose,
      channel: input.channel,
      requestId: input.requestId,
      patientId,
      startedAt: now,
      createdAt: now,
      createdBy: by.userId
    }
  };
}

const engineOrThrow = () => {
  const engine = sync.engine;
  if (!engine) throw new Error('the sync engine has not started');
  return engine;
};

/** Starts the log of a call (stored and queued at once, offline too); returns the call's id. */
export async function startCallLog(input: StartCallLog): Promise<string> {
  const engine = engineOrThrow();
  const user = session.user;
  if (!user?.unitId || (user.role !== 'station_worker' && user.role !== 'doctor')) throw new Error('only a unit’s staff log calls');
  const row = input.requestId ? await engine.db.records.get(docId('request', input.requestId)) : undefined;
  const request = row ? requestRow(row)?.fields : undefined;
  const id = crypto.randomUUID();
  const { meta, fields } = callLogRecord(input, { userId: user.id, unitId: user.unitId }, request, id, nowIso());
  const callDocId = docId('call', id);
  const doc = await engine.openDoc(callDocId, meta);
  try {
    writeFields(mainRecord(doc, 'call'), fields);
  } finally {
    await engine.closeDoc(callDocId);
  }
  return id;
}

/** Appends a rung the call used and why (e.g. the ladder's reason, or the user forcing it). */
export async function logRung(callId: string, rung: Rung, reason: string): Promise<void> {
  const entry = { at: nowIso(), rung, reason: reason.trim().slice(0, 200) || 'unspecified' };
  const problem = checkRung(entry);
  if (problem) throw new Error(problem);
  const engine = engineOrThrow();
  const callDocId = docId('call', callId);
  const doc = await engine.openDoc(callDocId);
  try {
    doc.getArray('rungs').push([entry]);
  } finally {
    await engine.closeDoc(callDocId);
  }
}

/** The call ended (once: a later call to this changes nothing). */
export async function endCallLog(callId: string): Promise<void> {
  const engine = engineOrThrow();
  const callDocId = docId('call', callId);
  const doc = await engine.openDoc(callDocId);
  try {
    const call = mainRecord(doc, 'call');
    if (readFields(call).endedAt === undefined && call.get('id') !== undefined) {
      const at = nowIso();
      writeFields(call, { endedAt: at, updatedAt: at });
    }
  } finally {
    await engine.closeDoc(callDocId);
  }
}
