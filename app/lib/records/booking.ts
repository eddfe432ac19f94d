// Booking (M4, the patient's side): the booking as typed becomes an appointment record, checked against the
// schema and the booking rules, and is saved on the phone at once (sent when the network allows).
import { AppointmentPurpose, appointmentSchema, bookingProblems, docId, mainRecord, validateRecord, writeFields, type Appointment, type DocMeta, type FieldError, type Fields } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import { fromLocalInput, nowIso } from './dates';
import { vitalFields } from './fields';

/** The booking form as typed (kept as a draft on the phone until it is sent). */
export type BookingDraft = {
  purpose: string;
  patientName: string;
  patientGender: string;
  patientDateOfBirth: string;
  patientPhone: string;
  bookerName: string;
  bookerPersonalId: string;
  bookerPhone: string;
  homeAddress: string;
  email: string;
  wishedAt: string;
  symptoms: string[];
  otherSymptom: string;
  vitals: Record<string, string>;
  otherRequest: string;
  consent: boolean;
};

/** The appointment a booking becomes, its document, and what is wrong with it (shown at the fields). */
export type Booking = { docId: string; meta: DocMeta; record: Fields; errors: FieldError[] };

/** The account that books: the patient's own account, with its chart and station. */
export type BookingAccount = { userId: string; patientId: string; unitId: string };

/** The booking as an appointment record of `account`, and its problems; `now` is an ISO instant. */
export function bookingRecord(f: BookingDraft, account: BookingAccount, id: string, now: string): Booking {
  const record: Record<string, unknown> = {
    id,
    patientId: account.patientId,
    unitId: account.unitId,
    purpose: f.purpose,
    patientName: f.patientName.trim(),
    patientGender: f.patientGender || undefined,
    patientDateOfBirth: f.patientDateOfBirth || undefined,
    patientPhone: f.patientPhone.trim() || undefined,
    email: f.email.trim() || undefined,
    wishedAt: fromLocalInput(f.wishedAt) || undefined,
    symptoms: f.symptoms.length ? [...f.symptoms] : undefined,
    otherSymptom: f.otherSymptom.trim() || undefined,
    otherRequest: f.otherRequest.trim() || undefined,
    consent: f.consent,
    status: 'new',
    createdAt: now,
    createdBy: account.userId
  };
  if (f.purpose === AppointmentPurpose.home) record.homeAddress = f.homeAddress.trim() || undefined;
  if (f.purpose === AppointmentPurpose.onBehalf) Object.assign(record, { bookerName: f.bookerName.trim(), bookerPersonalId: f.bookerPersonalId.trim() || undefined, bookerPhone: f.bookerPhone.trim() || undefined });
  for (const [v] of vitalFields) if (f.vitals[v]?.trim()) record[v] = Number(f.vitals[v].replace(',', '.'));
  for (const k of Object.keys(record)) if (record[k] === undefined) delete record[k];
  const checked = validateRecord<Appointment>(appointmentSchema, record);
  const extra: FieldError[] = [];
  if (!f.consent) extra.push({ field: 'consent', code: 'required' });
  extra.push(...bookingProblems(checked.ok ? checked.value : record));
  if (record.wishedAt && String(record.wishedAt) < now) extra.push({ field: 'wishedAt', code: 'out_of_range' });
  return {
    docId: docId('appointment', id),
    meta: { kind: 'appointment', unitId: account.unitId, patientId: account.patientId },
    record,
    errors: [...(checked.ok ? [] : checked.errors), ...extra]
  };
}

/** The signed-in patient's booking, checked; undefined when this device cannot book (no patient account, not started). */
export function checkBooking(f: BookingDraft): Booking | undefined {
  const user = session.user;
  if (!sync.engine || !user?.patientId || !user.unitId) return undefined;
  return bookingRecord(f, { userId: user.id, patientId: user.patientId, unitId: user.unitId }, crypto.randomUUID(), nowIso());
}

/** Saves a booking without problems on this device; it is sent when the network allows. */
export async function saveBooking(booking: Booking): Promise<void> {
  const engine = sync.engine;
  if (!engine || booking.errors.length) return;
  const doc = await engine.openDoc(booking.docId, booking.meta);
  writeFields(mainRecord(doc, 'appointment'), booking.record);
  await engine.closeDoc(booking.docId);
}
