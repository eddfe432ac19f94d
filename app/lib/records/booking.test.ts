// A booking as the patient types it becomes an appointment record, checked before anything is saved.
import { describe, expect, it } from 'vitest';
import { bookingRecord, type BookingDraft } from './booking';

const account = { userId: 'u-pa', patientId: 'p-pa', unitId: 'tyt-yty' };
const now = '2026-11-22T01:00:00.000Z';
const draft = (over: Partial<BookingDraft> = {}): BookingDraft => ({
  purpose: 'station',
  patientName: ' Giàng Thị Pà ',
  patientGender: '',
  patientDateOfBirth: '',
  patientPhone: '0912345678',
  bookerName: '',
  bookerPersonalId: '',
  bookerPhone: '',
  homeAddress: '',
  email: '',
  wishedAt: '2026-11-24T08:30',
  symptoms: ['high_fever'],
  otherSymptom: '',
  vitals: { temperatureC: '38,6' },
  otherRequest: '',
  consent: true,
  ...over
});

describe('a booking', () => {
  it('becomes an appointment of the patient’s own chart and station, new, with what they typed (a decimal comma read as a point)', () => {
    const b = bookingRecord(draft(), account, 'a1', now);
    expect(b.errors).toEqual([]);
    expect(b.docId).toBe('appointment:a1');
    expect(b.meta).toEqual({ kind: 'appointment', unitId: 'tyt-yty', patientId: 'p-pa' });
    expect(b.record).toEqual({
      id: 'a1',
      patientId: 'p-pa',
      unitId: 'tyt-yty',
      purpose: 'station',
      patientName: 'Giàng Thị Pà',
      patientPhone: '0912345678',
      // 08:30 in Vietnam (UTC+7).
      wishedAt: '2026-11-24T01:30:00.000Z',
      symptoms: ['high_fever'],
      temperatureC: 38.6,
      consent: true,
      status: 'new',
      createdAt: now,
      createdBy: 'u-pa'
    });
  });

  it('is refused without consent, without the booker when booking for someone, and for a time already past', () => {
    const b = bookingRecord(draft({ consent: false, purpose: 'on_behalf', wishedAt: '2026-11-21T08:30' }), account, 'a1', now);
    expect(b.errors.map((e) => `${e.field}: ${e.code}`).sort()).toEqual(['bookerName: required', 'consent: required', 'wishedAt: out_of_range']);
  });
});
