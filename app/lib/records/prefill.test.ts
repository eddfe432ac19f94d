// The patient's self-reported measurements never become the station's findings, and the 4A carries every diagnosis.
import { describe, expect, it } from 'vitest';
import { appointmentSchema, consultationMinutesSchema, validatePatch, validateRecord } from '@telehealth/domain';
import { upcomingAppointments } from './inbox';
import { appointmentRow } from './rows';
import { followUpAppointment, formFromBooking, minutesFromRequest, requestFromForm, selfReportedVitals } from './prefill';

const booking = { id: 'a1', symptoms: ['high_fever', 'dry_cough'], otherSymptom: 'Mệt', temperatureC: 38.6, pulse: 104 };

describe('a form started from a booking', () => {
  it('keeps the patient\'s ticks as self-reported and copies none of their measurements into "Tình trạng khi đến khám"', () => {
    const form = formFromBooking(booking);
    expect(form).toEqual({ appointmentId: 'a1', selfReportedSymptoms: ['high_fever', 'dry_cough'] });
    expect(form.temperatureC).toBeUndefined();
    expect(selfReportedVitals(booking)).toEqual([
      { field: 'pulse', value: 104 },
      { field: 'temperatureC', value: 38.6 }
    ]);
  });
});

describe('a consultation request (4A) from a form', () => {
  it('takes the station\'s measurements, the main and the secondary diagnoses', () => {
    const form = { mainIcd: 'J18.9', secondaryIcds: ['E11.9', 'I10'], diagnosis: 'Viêm phổi', pulse: 96, temperatureC: 39.4 };
    const names: Record<string, string> = { 'J18.9': 'Viêm phổi', 'E11.9': 'Đái tháo đường típ 2', I10: 'Tăng huyết áp' };
    const r = requestFromForm({ fullName: 'Hầu Thị Dua' }, form, (c) => names[c]);
    expect(r).toMatchObject({ patientName: 'Hầu Thị Dua', diagnosisIcd: 'J18.9', secondaryIcds: ['E11.9', 'I10'], pulse: 96, temperatureC: 39.4 });
    expect(r.currentDiagnosis).toBe('Viêm phổi — J18.9 Viêm phổi — E11.9 Đái tháo đường típ 2 — I10 Tăng huyết áp');
    expect(r.heightCm).toBeUndefined();
  });
});

describe('the next appointment written in a completed form', () => {
  const now = '2026-11-23T03:00:00.000Z';
  const form = { id: 'f1', consent: true, nextAppointmentAt: '2026-11-24T01:30:00.000Z' };
  const patient = { fullName: 'Giàng Thị Pà', gender: 'female', dateOfBirth: '1992-03-14', phone: '0912345678' };

  it('becomes a valid appointment, already accepted, that the patient is reminded of', () => {
    const made = followUpAppointment({ form, patient, patientId: 'p1', unitId: 'tyt-yty', userId: 'u1' }, now)!;
    expect(validateRecord(appointmentSchema, made.record).ok).toBe(true);
    expect(made.record).toMatchObject({ id: 'followup-f1', patientId: 'p1', status: 'waiting', scheduledAt: form.nextAppointmentAt, patientName: 'Giàng Thị Pà', consent: true });
    expect(made.event).toMatchObject({ side: 'station', action: 'accept', status: 'waiting' });
    const row = appointmentRow({ docId: 'appointment:followup-f1', kind: 'appointment', id: 'followup-f1', patientId: 'p1', fields: made.record, events: [made.event], updatedAt: 0 });
    expect(row?.events).toEqual([made.event]);
    expect(upcomingAppointments(row ? [row] : [], Date.parse(now))).toHaveLength(1);
  });

  it('goes to the booker’s account for a visit booked on someone’s behalf, with the chart of the person seen', () => {
    const booking = { purpose: 'on_behalf', patientId: 'mother', bookerName: 'Hầu Thị Dua' };
    const made = followUpAppointment({ form, patient: { fullName: 'Hầu A Chư' }, patientId: 'child', booking, unitId: 'tyt-yty', userId: 'u1' }, now)!;
    expect(made.record).toMatchObject({ patientId: 'mother', subjectPatientId: 'child', patientName: 'Hầu A Chư', bookerName: 'Hầu Thị Dua' });
  });

  it('makes nothing without a date, or for a date already past', () => {
    expect(followUpAppointment({ form: { id: 'f1' }, patient, patientId: 'p1', unitId: 'u', userId: 'u1' }, now)).toBeUndefined();
    expect(followUpAppointment({ form: { ...form, nextAppointmentAt: '2026-11-01T01:30:00.000Z' }, patient, patientId: 'p1', unitId: 'u', userId: 'u1' }, now)).toBeUndefined();
  });
});

describe('the minutes of a scheduled consultation', () => {
  const request = {
    id: 'r-1',
    patientId: 'p-1',
    fromUnitId: 'tyt-02701',
    toUnitId: 'ttyt-bat-xat',
    requestingDoctorName: 'Lý Thị Mai',
    patientName: 'Giàng Thị Pà',
    patientGender: 'female',
    temperatureC: 39.2,
    history: 'Hen phế quản',
    symptoms: 'Ho, sốt',
    requestContent: 'Xin ý kiến điều trị viêm phổi',
    sentAt: '2026-12-01T01:00:00.000Z'
  };
  const review = { status: 'scheduled', reviewerName: 'Nguyễn Văn Hùng', review: 'Nghi viêm phổi thùy', scheduledAt: '2026-12-02T02:00:00.000Z' };
  const names: Record<string, string> = { 'tyt-02701': 'Trạm Y tế xã Y Tý', 'ttyt-bat-xat': 'TTYT khu vực Bát Xát' };

  it('takes the patient, the case and the reason from the request, the time and the upper unit’s view from the review', () => {
    const { fields, texts } = minutesFromRequest('r-1', request, review, (id) => names[id]);
    expect(fields).toMatchObject({
      id: 'r-1',
      requestId: 'r-1',
      patientId: 'p-1',
      requestingUnitId: 'tyt-02701',
      consultantUnitId: 'ttyt-bat-xat',
      patientName: 'Giàng Thị Pà',
      temperatureC: 39.2,
      heldAt: '2026-12-02T02:00:00.000Z',
      consultantDoctorName: 'Nguyễn Văn Hùng',
      proposer: 'Lý Thị Mai, Trạm Y tế xã Y Tý'
    });
    expect(fields.sentAt).toBeUndefined();
    expect(texts).toEqual({ reason: 'Xin ý kiến điều trị viêm phổi', history: 'Hen phế quản', symptoms: 'Ho, sốt', diagnosisCausePrognosis: 'Nghi viêm phổi thùy' });
  });

  it('lists the requesting doctor as chair on the requesting side and the upper unit’s doctor on the consulting side', () => {
    const { fields } = minutesFromRequest('r-1', request, review, (id) => names[id]);
    expect(fields.participants).toEqual([
      { name: 'Lý Thị Mai', role: 'chair', side: 'requesting', unit: 'Trạm Y tế xã Y Tý' },
      { name: 'Nguyễn Văn Hùng', role: 'member', side: 'consulting', unit: 'TTYT khu vực Bát Xát' }
    ]);
    const valid = validatePatch(consultationMinutesSchema, fields);
    expect(valid).toEqual([]);
  });
});
