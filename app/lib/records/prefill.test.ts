// The patient's self-reported measurements never become the station's findings, and the 4A carries every diagnosis.
import { describe, expect, it } from 'vitest';
import { formFromBooking, requestFromForm, selfReportedVitals } from './prefill';

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
