// What a new record takes from the records before it: the teleconsultation form from the patient's booking (M5),
// the consultation request (4A) from the chart and the form (M6). Pure, so that the rules are tested: what the
// patient reported when booking (ticks, their own measurements) stays labelled as theirs and is never copied into
// the station's "Tình trạng khi đến khám", nor from there into the 4A.
import { AppointmentPurpose, AppointmentStatus, patterns, scheduleProblem, vitalsSchema, type AppointmentEvent, type Fields } from '@telehealth/domain';
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

/** The id of the follow-up appointment a form makes: one per form, however often completion is tried. */
export const followUpAppointmentId = (formId: string) => `followup-${formId}`;

/**
 * The appointment the next appointment date written in a completed form ("Lần hẹn khám tiếp theo") becomes: already
 * accepted by the station ("Chờ khám", so the patient sees it and is reminded of it the day before), for the chart's
 * patient — or, when the visit came from a booking made on someone's behalf, in the booker's account with the chart of
 * the person seen. Undefined without a date, or for a date already past at `now`.
 */
export function followUpAppointment(
  input: { form: Fields; patient: Fields; patientId: string; booking?: Fields; unitId: string; userId: string },
  now: string
): { record: Fields; event: AppointmentEvent; accountPatientId: string } | undefined {
  const at = str(input.form.nextAppointmentAt);
  const formId = str(input.form.id);
  if (!at || !formId || scheduleProblem(at, now)) return undefined;
  const onBehalf = input.booking?.purpose === AppointmentPurpose.onBehalf && str(input.booking.patientId) !== undefined;
  const accountPatientId = onBehalf ? str(input.booking!.patientId)! : input.patientId;
  const phone = str(input.patient.phone);
  const home = input.booking?.purpose === AppointmentPurpose.home && str(input.booking.homeAddress);
  const record: Fields = {
    id: followUpAppointmentId(formId),
    patientId: accountPatientId,
    unitId: input.unitId,
    purpose: home ? AppointmentPurpose.home : AppointmentPurpose.station,
    homeAddress: home || undefined,
    patientName: str(input.patient.fullName),
    patientGender: str(input.patient.gender),
    patientDateOfBirth: str(input.patient.dateOfBirth),
    patientPhone: phone && patterns.phone.test(phone) ? phone : undefined,
    bookerName: onBehalf ? str(input.booking!.bookerName) : undefined,
    subjectPatientId: onBehalf ? input.patientId : undefined,
    wishedAt: at,
    scheduledAt: at,
    consent: input.form.consent === true,
    status: AppointmentStatus.waiting,
    handledBy: input.userId,
    createdAt: now,
    createdBy: input.userId
  };
  for (const k of Object.keys(record)) if (record[k] === undefined) delete record[k];
  return { record, event: { at: now, by: input.userId, side: 'station', action: 'accept', status: AppointmentStatus.waiting, detail: at }, accountPatientId };
}

/** The fields the minutes take as they are from the request's case summary (appendix 4 repeats 4A's). */
const minutesCaseKeys = [
  'patientName',
  'patientDateOfBirth',
  'patientGender',
  'recordNumber',
  'insuranceNumber',
  'diagnosisIcd',
  'secondaryIcds',
  'admittedAt',
  'department',
  ...vitalKeys
] as const;

/**
 * The minutes of the consultation a review scheduled, from the request (4A) and the review: the patient, the case
 * summary and the reason (the request's content) as co-edited texts; the time the review set; both doctors as
 * participants, the requesting one chairing (circular 49 appendix I: "Chủ tọa (bên xin hội chẩn)"); the upper unit's
 * review as the start of the discussion. `fields` are the record's plain values, `texts` its co-edited texts.
 */
export function minutesFromRequest(requestId: string, request: Fields, review: Fields, unitName: (id: string) => string | undefined): { fields: Fields; texts: Record<string, string> } {
  const fields: Fields = { id: requestId, requestId, patientId: request.patientId, requestingUnitId: request.fromUnitId, consultantUnitId: request.toUnitId };
  for (const key of minutesCaseKeys) if (request[key] !== undefined) fields[key] = request[key];
  fields.requestingDoctorName = str(request.requestingDoctorName);
  fields.consultantDoctorName = str(review.reviewerName);
  fields.heldAt = str(review.scheduledAt);
  fields.proposer = [str(request.requestingDoctorName), unitName(String(request.fromUnitId))].filter(Boolean).join(', ') || undefined;
  const participant = (name: string | undefined, role: string, side: string, unitId: unknown): Fields[] => {
    if (!name) return [];
    const unit = unitName(String(unitId));
    return [unit ? { name, role, side, unit } : { name, role, side }];
  };
  const participants = [
    ...participant(str(request.requestingDoctorName), 'chair', 'requesting', request.fromUnitId),
    ...participant(str(review.reviewerName), 'member', 'consulting', request.toUnitId)
  ];
  if (participants.length) fields.participants = participants;
  const texts: Record<string, string> = {};
  const take = (field: string, value: unknown) => {
    if (typeof value === 'string' && value.trim()) texts[field] = value;
  };
  take('reason', request.requestContent);
  for (const field of ['progress', 'history', 'symptoms', 'currentDiagnosis', 'careSummary']) take(field, request[field]);
  take('diagnosisCausePrognosis', review.review);
  return { fields, texts };
}
