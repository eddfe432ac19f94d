// The call log's record as the call screen starts it (pure): who called whom from this unit's side, the patient and
// request it is about, and who else reads it (the other unit of the request).
import { describe, expect, it } from 'vitest';
import { callRules, validateRecord, callLogSchema } from '@telehealth/domain';
import { callLogRecord } from './call-log';

const by = { userId: 'user-tram', unitId: 'tyt-yty' };
const request = { fromUnitId: 'tyt-yty', toUnitId: 'ttyt', patientId: 'p1' };
const now = '2026-12-01T02:00:00.000Z';

describe('callLogRecord', () => {
  it('logs an outgoing call about a request: the upper unit of the request reads it', () => {
    const { meta, fields } = callLogRecord({ requestId: 'r1', calleeUnitId: 'ttyt', direction: 'outgoing', purpose: 'consultation', channel: 'webrtc' }, by, request, 'c1', now);
    expect(meta).toEqual({ kind: 'call', unitId: 'tyt-yty', patientId: 'p1', peerUnitId: 'ttyt' });
    expect(fields).toMatchObject({ callerUnitId: 'tyt-yty', calleeUnitId: 'ttyt', requestId: 'r1', patientId: 'p1', startedAt: now, createdBy: 'user-tram' });
    expect(validateRecord(callLogSchema, JSON.parse(JSON.stringify(fields))).ok).toBe(true);
    expect(callRules({}, fields)).toEqual([]);
  });

  it('logs an incoming call with the calling unit, given or taken from the request', () => {
    const doctor = { userId: 'user-bs', unitId: 'ttyt' };
    for (const calleeUnitId of ['tyt-yty', 'ttyt']) {
      const { meta, fields } = callLogRecord({ requestId: 'r1', calleeUnitId, direction: 'incoming', purpose: 'consultation', channel: 'webrtc' }, doctor, request, 'c2', now);
      expect(fields).toMatchObject({ direction: 'incoming', callerUnitId: 'tyt-yty', calleeUnitId: 'ttyt' });
      expect(meta.peerUnitId).toBe('tyt-yty');
      expect(callRules({}, fields)).toEqual([]);
    }
  });

  it('logs a phone call about no patient for this unit only, naming itself as its patient', () => {
    const { meta, fields } = callLogRecord({ calleeUnitId: 'ttyt', direction: 'outgoing', purpose: 'briefing', channel: 'phone' }, by, undefined, 'c3', now);
    expect(meta).toEqual({ kind: 'call', unitId: 'tyt-yty', patientId: 'c3' });
    expect(fields.patientId).toBeUndefined();
    expect(() => callLogRecord({ calleeUnitId: 'tyt-yty', direction: 'incoming', purpose: 'other', channel: 'phone' }, by, undefined, 'c4', now)).toThrow();
  });
});
