import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ageInYears, checkConsent, consentRule, triageOutcome, visitType, vitalAlerts } from './clinical';
import { actOnAppointment, allowedActions, appointmentEvents, type AppointmentState } from './appointments';
import { mainRecord, readFields, writeFields } from './documents';

describe('consent and identity', () => {
  it('asks a parent or carer for a child under 6 and an identified adult for a minor', () => {
    expect(ageInYears('2020-11-23', '2026-11-22')).toBe(5);
    expect(consentRule('2020-11-23', '2026-11-22')).toBe('parent_or_carer');
    expect(consentRule('2020-11-22', '2026-11-22')).toBe('identified_adult');
    expect(consentRule('2008-11-22', '2026-11-22')).toBe('self');
    expect(consentRule('2008-11-23', '2026-11-22')).toBe('identified_adult');
  });
  it('refuses to go on without identity check and consent, and names what is missing', () => {
    expect(checkConsent({}, 'self')).toEqual({ ok: false, missing: ['identityVerified', 'consent'] });
    expect(checkConsent({ identityVerified: true, consent: true }, 'self')).toEqual({ ok: true });
    expect(checkConsent({ identityVerified: true, consent: true, companionName: 'Hầu A Páo', companionRelation: 'sibling' }, 'parent_or_carer')).toEqual({
      ok: false,
      missing: ['companionRelation']
    });
    expect(checkConsent({ identityVerified: true, consent: true, companionName: 'Hầu A Páo', companionPersonalId: '12345' }, 'identified_adult')).toEqual({
      ok: false,
      missing: ['companionPersonalId']
    });
    expect(checkConsent({ identityVerified: true, consent: true, companionName: 'Hầu A Páo', companionPersonalId: '001234567890' }, 'identified_adult').ok).toBe(true);
  });
});

describe('vital signs', () => {
  it('flags an adult fever and high blood pressure, and leaves normal values alone', () => {
    const alerts = vitalAlerts({ pulse: 80, temperatureC: 39.2, bpSystolic: 165, bpDiastolic: 80, respiratoryRate: 16 }, '1980-01-01', '2026-11-22');
    expect(alerts.map((a) => [a.field, a.level])).toEqual([
      ['temperatureC', 'high'],
      ['bpSystolic', 'high']
    ]);
  });
  it('judges breathing by age: 45 a minute is fast for a 3-year-old and normal for a 6-month-old', () => {
    expect(vitalAlerts({ respiratoryRate: 45 }, '2023-06-01', '2026-11-22')).toHaveLength(1);
    expect(vitalAlerts({ respiratoryRate: 45 }, '2026-05-01', '2026-11-22')).toHaveLength(0);
  });
});

describe('triage and visit type', () => {
  it('sends any danger sign to referral now', () => {
    expect(triageOutcome([])).toBe('no_emergency');
    expect(triageOutcome(['convulsing'])).toBe('refer_now');
  });
  it('is a first visit when this worker never saw the patient, saw them over 6 months ago, or for another problem', () => {
    const past = [{ createdBy: 'w1', createdAt: '2026-09-01T02:00:00.000Z', mainIcd: 'J06.9' }];
    expect(visitType([], 'w1', '2026-11-22T00:00:00.000Z')).toBe('first');
    expect(visitType(past, 'w2', '2026-11-22T00:00:00.000Z')).toBe('first');
    expect(visitType(past, 'w1', '2026-11-22T00:00:00.000Z', 'J06.0')).toBe('follow_up');
    expect(visitType(past, 'w1', '2026-11-22T00:00:00.000Z', 'I10')).toBe('first');
    expect(visitType(past, 'w1', '2027-04-01T00:00:00.000Z')).toBe('first');
  });
});

describe('appointments', () => {
  const booked = () => {
    const doc = new Y.Doc();
    writeFields(mainRecord(doc, 'appointment'), { id: 'a1', status: 'new', purpose: 'station', wishedAt: '2026-11-25T01:00:00.000Z' });
    return doc;
  };
  it('lets the station accept a new booking and the patient only cancel it', () => {
    const doc = booked();
    expect(allowedActions({ status: 'new' }, 'patient')).toEqual(['cancel']);
    expect(actOnAppointment(doc, 'p', 'patient', { type: 'accept', at: '2026-11-25T01:00:00.000Z' }, '2026-11-22T00:00:00.000Z')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(actOnAppointment(doc, 's', 'station', { type: 'accept', at: '2026-11-25T01:00:00.000Z' }, '2026-11-22T00:00:00.000Z').ok).toBe(true);
    expect(readFields(mainRecord(doc, 'appointment')).status).toBe('waiting');
    expect(appointmentEvents(doc).toArray().map((e) => [e.side, e.action, e.status])).toEqual([['station', 'accept', 'waiting']]);
  });
  it('moves to a proposed time only when the patient accepts it; a decline keeps the booking open', () => {
    const doc = booked();
    const now = '2026-11-22T00:00:00.000Z';
    expect(actOnAppointment(doc, 's', 'station', { type: 'propose', at: '2026-11-20T01:00:00.000Z' }, now)).toEqual({ ok: false, reason: 'time_in_past' });
    actOnAppointment(doc, 's', 'station', { type: 'propose', at: '2026-11-26T02:00:00.000Z' }, now);
    expect(allowedActions(readFields(mainRecord(doc, 'appointment')) as never, 'station')).not.toContain('accept');
    actOnAppointment(doc, 'p', 'patient', { type: 'answer', accepted: false }, now);
    expect(readFields(mainRecord(doc, 'appointment')).status).toBe('new');
    actOnAppointment(doc, 's', 'station', { type: 'propose', at: '2026-11-27T02:00:00.000Z' }, now);
    actOnAppointment(doc, 'p', 'patient', { type: 'answer', accepted: true }, now);
    const a = readFields(mainRecord(doc, 'appointment'));
    expect([a.status, a.scheduledAt]).toEqual(['waiting', '2026-11-27T02:00:00.000Z']);
  });
  it('needs a reason to cancel, and a cancelled booking takes no more actions', () => {
    const doc = booked();
    const now = '2026-11-22T00:00:00.000Z';
    expect(actOnAppointment(doc, 's', 'station', { type: 'cancel', reason: ' ' }, now)).toEqual({ ok: false, reason: 'reason_required' });
    expect(actOnAppointment(doc, 's', 'station', { type: 'cancel', reason: 'Trạm nghỉ tiêm chủng' }, now).ok).toBe(true);
    expect(allowedActions(readFields(mainRecord(doc, 'appointment')) as never, 'station')).toEqual([]);
  });
});

describe('what a patient may change in an appointment', () => {
  const state = (record: Record<string, unknown>, events: unknown[] = []) => ({ record, events, otherTypes: [] }) as unknown as AppointmentState;
  it('lets a patient book "new" without station fields, and nothing else', async () => {
    const { checkPatientChange } = await import('./appointments');
    expect(checkPatientChange(undefined, state({ status: 'new', patientName: 'A' }), 'u')).toEqual({ ok: true });
    expect(checkPatientChange(undefined, state({ status: 'waiting' }), 'u').ok).toBe(false);
    expect(checkPatientChange(undefined, state({ status: 'new', formId: 'f' }), 'u').ok).toBe(false);
    expect(checkPatientChange(undefined, { record: { status: 'new' }, events: [], otherTypes: ['attachments'] }, 'u').ok).toBe(false);
  });
  it('accepts an answer or a cancellation exactly as the action defines it, in the patient\'s own name', async () => {
    const { checkPatientChange } = await import('./appointments');
    const before = state({ status: 'new', proposedAt: '2026-12-01T01:00:00.000Z' });
    const answer = { at: '2026-11-22T00:00:00.000Z', by: 'u', side: 'patient', action: 'answer', status: 'waiting', detail: 'true' };
    const accepted = { status: 'waiting', proposedAt: '2026-12-01T01:00:00.000Z', scheduledAt: '2026-12-01T01:00:00.000Z', proposalAnswer: 'accepted', updatedAt: 'x' };
    expect(checkPatientChange(before, state(accepted, [answer]), 'u')).toEqual({ ok: true });
    expect(checkPatientChange(before, state({ ...accepted, scheduledAt: '2026-12-09T01:00:00.000Z' }, [answer]), 'u').ok).toBe(false);
    expect(checkPatientChange(before, state(accepted, [{ ...answer, by: 'other' }]), 'u').ok).toBe(false);
    expect(checkPatientChange(before, state({ ...before.record, note: 'x' }), 'u').ok).toBe(false);
    const cancel = { at: 'x', by: 'u', side: 'patient', action: 'cancel', status: 'cancelled', detail: 'Bận việc' };
    expect(checkPatientChange(before, state({ ...before.record, status: 'cancelled', cancelReason: 'Bận việc' }, [cancel]), 'u')).toEqual({ ok: true });
  });
});
