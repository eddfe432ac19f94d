// What a new record takes from the records before it: the teleconsultation form from the patient's booking (M5),
// the consultation request (4A) from the chart and the form (M6). Pure, so that the rules are tested: what the
// patient reported when booking (ticks, their own measurements) stays labelled as theirs and is never copied into
// the station's "Tình trạng khi đến khám", nor from there into the 4A.
import { vitalsSchema, type Fields } from '@telehealth/domain';
import { strOrUndefined as str } from './fields';

export const vitalKeys = Object.keys(vitalsSchema) as (keyof typeof vitalsSchema)[];

/** The form's fields taken from the booking: the self-report ticks only (shown as the patient's, not the station's findings). */
export function formFromBooking(appointment: Fields): Fields {
  const ticks = Array.isArray(appointment.symptoms) ? (appointment.symptoms as string[]) : [];
  return { appointmentId: str(appointment.id), selfReportedSymptoms: ticks.length ? ticks : undefined };
}

/** The measurements the patient took and reported with the booking (shown labelled "tự khai"). */
export function selfReportedVitals(appointment: Fields | undefined): { field: (typeof vitalKeys)[number]; value: number }[] {
  if (!appointment) return [];
  return vitalKeys.flatMap((field) => (typeof appointment[field] === 'number' ? [{ field, value: appointment[field] as number }] : []));
}

/** The 4A's case summary from the chart and the station's form: its measured vital signs, main and secondary diagnoses. */
export function requestFromForm(patient: Fields, form: Fields, icdName: (code: string) => string | undefined): Fields {
  const secondary = Array.isArray(form.secondaryIcds) ? (form.secondaryIcds as string[]) : [];
  const out: Fields = {
    patientName: patient.fullName,
    patientDateOfBirth: patient.dateOfBirth,
    patientGender: patient.gender,
    insuranceNumber: patient.insuranceNumber,
    recordNumber: form.recordNumber,
    diagnosisIcd: form.mainIcd,
    secondaryIcds: secondary.length ? [...secondary] : undefined,
    history: form.history,
    symptoms: form.symptoms,
    currentDiagnosis:
      [form.diagnosis, form.mainIcd && `${String(form.mainIcd)} ${icdName(String(form.mainIcd)) ?? ''}`.trim(), ...secondary.map((c) => `${c} ${icdName(c) ?? ''}`.trim())]
        .filter(Boolean)
        .join(' — ') || undefined,
    careSummary: form.treatmentMethod
  };
  for (const k of vitalKeys) out[k] = form[k];
  return out;
}
