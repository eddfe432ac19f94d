// Record validation: what a health worker could mistype is refused with a named reason.
import { describe, expect, it } from 'vitest';
import { validatePatch, validateRecord } from './schema';
import { consultationMinutesSchema, patientSchema, teleconsultationFormSchema, type Patient } from './records';

const patient: Patient = {
  id: 'p1',
  unitId: 'tyt-02701',
  fullName: 'Giàng Thị Mỷ',
  gender: 'female',
  dateOfBirth: '1990-02-28',
  personalId: '001190012345',
  insuranceNumber: 'DN4010123456789',
  phone: '0912345678',
  createdAt: '2026-11-22T08:00:00.000Z',
  createdBy: 'user-tram.yty'
};

describe('record validation', () => {
  it('accepts a complete patient, with the old 15-character insurance card code', () => {
    expect(validateRecord(patientSchema, patient)).toEqual({ ok: true, value: patient });
    expect(validateRecord(patientSchema, { ...patient, insuranceNumber: '0123456789' }).ok).toBe(true);
  });

  it('names every wrong field of a patient', () => {
    const result = validateRecord(patientSchema, {
      ...patient,
      fullName: '',
      dateOfBirth: '1990-02-30',
      personalId: '12345',
      phone: '912345678',
      gender: 'x',
      nickname: 'Mỷ'
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { field: 'fullName', code: 'required' },
        { field: 'dateOfBirth', code: 'bad_date' },
        { field: 'personalId', code: 'bad_format' },
        { field: 'phone', code: 'bad_format' },
        { field: 'gender', code: 'not_allowed' },
        { field: 'nickname', code: 'unknown_field' }
      ])
    );
    expect(result.errors).toHaveLength(6);
  });

  it('refuses vital signs no human body shows, and fractional pulses', () => {
    expect(validatePatch(teleconsultationFormSchema, { temperatureC: 63, pulse: 80.5, bpSystolic: 120 })).toEqual([
      { field: 'temperatureC', code: 'out_of_range' },
      { field: 'pulse', code: 'not_integer' }
    ]);
  });

  it('checks ICD-10 codes and their count on a form', () => {
    expect(validatePatch(teleconsultationFormSchema, { mainIcd: 'J06.9', secondaryIcds: ['I10', 'E11.9'] })).toEqual([]);
    expect(validatePatch(teleconsultationFormSchema, { mainIcd: 'j069' })).toEqual([{ field: 'mainIcd', code: 'bad_format' }]);
  });

  it('validates the rows of the minutes participants', () => {
    const errors = validatePatch(consultationMinutesSchema, {
      participants: [
        { name: 'BS. Hùng', role: 'chair' },
        { name: '', role: 'guest', phone: '1' }
      ]
    });
    expect(errors).toEqual([
      { field: 'participants.1.phone', code: 'unknown_field' },
      { field: 'participants.1.name', code: 'required' },
      { field: 'participants.1.role', code: 'not_allowed' }
    ]);
  });

  it('accepts a datetime with a zone and refuses one without', () => {
    expect(validatePatch(teleconsultationFormSchema, { nextAppointmentAt: '2026-12-01T09:30:00+07:00' })).toEqual([]);
    expect(validatePatch(teleconsultationFormSchema, { nextAppointmentAt: '2026-12-01 09:30' })).toEqual([
      { field: 'nextAppointmentAt', code: 'bad_date' }
    ]);
  });
});
