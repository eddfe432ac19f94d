import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ageInYears, bookingDangerSigns, checkConsent, consentRule, emergencyResponse, triageOutcome, visitType, vitalAlerts } from './clinical';
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
      missing: ['companionIdentity']
    });
    expect(checkConsent({ identityVerified: true, consent: true, companionName: 'Hầu A Páo', companionPersonalId: '001234567890' }, 'identified_adult').ok).toBe(true);
  });
  it('takes a minor\'s companion as identified by a CCCD, a health-insurance card or another paper, not by a name alone', () => {
    const base = { identityVerified: true, consent: true, companionName: 'Hầu A Páo' };
    expect(checkConsent({ ...base, companionIdKind: 'personal_id', companionIdNumber: '001234567890' }, 'identified_adult').ok).toBe(true);
    expect(checkConsent({ ...base, companionIdKind: 'insurance_card', companionIdNumber: 'DN4010123456789' }, 'identified_adult').ok).toBe(true);
    expect(checkConsent({ ...base, companionIdKind: 'insurance_card', companionIdNumber: '0123456789' }, 'identified_adult').ok).toBe(true);
    expect(checkConsent({ ...base, companionIdKind: 'other', companionIdNumber: 'Giấy phép lái xe 790123456789' }, 'identified_adult').ok).toBe(true);
    expect(checkConsent({ ...base, companionIdKind: 'insurance_card', companionIdNumber: '12' }, 'identified_adult')).toEqual({ ok: false, missing: ['companionIdentity'] });
    expect(checkConsent({ ...base, companionIdKind: 'other', companionIdNumber: ' ' }, 'identified_adult')).toEqual({ ok: false, missing: ['companionIdentity'] });
    expect(checkConsent(base, 'identified_adult')).toEqual({ ok: false, missing: ['companionIdentity'] });
  });
  it('does not take a chart without a date of birth for an adult\'s: the age must be confirmed first', () => {
    expect(consentRule(undefined, '2026-11-22')).toBe('age_unknown');
    expect(consentRule('', '2026-11-22')).toBe('age_unknown');
    expect(checkConsent({ identityVerified: true, consent: true }, consentRule(undefined, '2026-11-22'))).toEqual({ ok: false, missing: ['dateOfBirth'] });
  });
  it('counts age on Vietnam\'s calendar day: at 06:00 on a 17-year-old\'s 18th birthday in Vietnam they are an adult', () => {
    // 2026-11-22 06:00 in Vietnam is 2026-11-21 23:00 UTC.
    expect(consentRule('2008-11-22', '2026-11-21T23:00:00.000Z')).toBe('self');
    expect(ageInYears('2008-11-22', '2026-11-21T16:59:00.000Z')).toBe(17);
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
  it('answers any danger sign with first-aid advice (remote advice included), an urgent call and referral when appropriate', () => {
    expect(triageOutcome([])).toBe('no_emergency');
    expect(triageOutcome(['convulsing'])).toBe('first_aid_and_refer');
    expect(emergencyResponse([])).toEqual([]);
    expect(emergencyResponse(['convulsing'])).toEqual(['explain', 'first_aid_advice', 'urgent_call', 'refer_when_appropriate']);
  });
  it('finds the danger signs a patient ticked when booking: "Đau ngực khó thở" is one, a runny nose is not', () => {
    expect(bookingDangerSigns(['runny_nose', 'chest_pain'])).toEqual(['chest_pain']);
    expect(bookingDangerSigns(['runny_nose', 'dry_cough'])).toEqual([]);
    expect(bookingDangerSigns(undefined)).toEqual([]);
  });
  it('is a first visit when this worker never saw the patient, saw them over 6 months ago, or for another problem', () => {
    const past = [{ createdBy: 'w1', createdAt: '2026-09-01T02:00:00.000Z', mainIcd: 'J06.9' }];
    expect(visitType([], 'w1', '2026-11-22')).toBe('first');
    expect(visitType(past, 'w2', '2026-11-22')).toBe('first');
    expect(visitType(past, 'w1', '2026-11-22', 'J06.0')).toBe('follow_up');
    expect(visitType(past, 'w1', '2026-11-22', 'I10')).toBe('first');
    expect(visitType(past, 'w1', '2027-04-01')).toBe('first');
  });
  it('is a follow-up for the same problem within 6 months whatever visits came between (diabetes, a cold, diabetes)', () => {
    const past = [
      { createdBy: 'w1', createdAt: '2026-01-10T02:00:00.000Z', completedAt: '2026-01-10T03:00:00.000Z', mainIcd: 'E11.9' },
      { createdBy: 'w1', createdAt: '2026-02-14T02:00:00.000Z', completedAt: '2026-02-14T03:00:00.000Z', mainIcd: 'J00' }
    ];
    expect(visitType(past, 'w1', '2026-03-20', 'E11.6')).toBe('follow_up');
    expect(visitType(past, 'w1', '2026-03-20', 'J00')).toBe('follow_up');
    expect(visitType(past, 'w1', '2026-03-20', 'I10')).toBe('first');
    // Another worker's diabetes visit does not make it a follow-up for this one.
    expect(visitType(past, 'w2', '2026-03-20', 'E11.9')).toBe('first');
  });
  it('counts the 6 months in calendar months on Vietnam\'s days: 10 January to 10 July is within, 11 July is over', () => {
    const past = [{ createdBy: 'w1', createdAt: '2026-01-09T20:00:00.000Z', mainIcd: 'E11.9' }]; // 10 January 03:00 in Vietnam
    expect(visitType(past, 'w1', '2026-07-10', 'E11.9')).toBe('follow_up');
    expect(visitType(past, 'w1', '2026-07-11', 'E11.9')).toBe('first');
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
    expect(checkPatientChange(undefined, state({ status: 'new', patientName: 'A', consent: true }), 'u')).toEqual({ ok: true });
    expect(checkPatientChange(undefined, state({ status: 'waiting', consent: true }), 'u').ok).toBe(false);
    expect(checkPatientChange(undefined, state({ status: 'new', consent: true, formId: 'f' }), 'u').ok).toBe(false);
    expect(checkPatientChange(undefined, { record: { status: 'new', consent: true }, events: [], otherTypes: ['attachments'] }, 'u').ok).toBe(false);
  });
  it('refuses a booking without the consent declaration, whatever the screen did', async () => {
    const { checkPatientChange } = await import('./appointments');
    expect(checkPatientChange(undefined, state({ status: 'new', patientName: 'A' }), 'u')).toEqual({ ok: false, reason: 'a booking needs the consent declaration' });
    expect(checkPatientChange(undefined, state({ status: 'new', patientName: 'A', consent: false }), 'u').ok).toBe(false);
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
