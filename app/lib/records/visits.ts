// Starting a visit: the patient's chart (created from the booking when the station has none yet) and a new
// teleconsultation form in it, prefilled from the booking (M5).
import { AppointmentPurpose, actOnAppointment, appointmentEvents, docId, mainRecord, readFields, readForms, writeFields, writeForm, type AppointmentAction, type Fields } from '@telehealth/domain';
import { patients } from './patients.svelte';
import { session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import { nowIso } from './dates';
import { followUpAppointment, formFromBooking } from './prefill';

import { strOrUndefined as str } from './fields';

/** Applies an appointment action from this device; returns why it was refused, if it was. */
export async function actOn(appointmentDocId: string, side: 'patient' | 'station', action: AppointmentAction): Promise<string | undefined> {
  const engine = sync.engine;
  const user = session.user;
  if (!engine || !user) return 'not_allowed';
  const doc = await engine.openDoc(appointmentDocId);
  try {
    const result = actOnAppointment(doc, user.id, side, action, nowIso());
    return result.ok ? undefined : result.reason;
  } finally {
    await engine.closeDoc(appointmentDocId);
  }
}

/**
 * The chart a visit is written in: the account's own, or — for a booking on behalf of someone — the chart of the
 * person seen: one already linked, else a patient on this device with the same name and date of birth, else a
 * new chart. Never the booker's chart under another person's name.
 */
async function chartOfVisit(appointment: Fields, appointmentDocId: string): Promise<string | undefined> {
  if (appointment.purpose !== AppointmentPurpose.onBehalf) return str(appointment.patientId);
  const linked = str(appointment.subjectPatientId);
  if (linked) return linked;
  const name = str(appointment.patientName);
  const dateOfBirth = str(appointment.patientDateOfBirth);
  const known = name && dateOfBirth ? await patients.likely({ fullName: name, dateOfBirth }) : [];
  const subject = known.length === 1 ? known[0]!.id : crypto.randomUUID();
  const engine = sync.engine!;
  const doc = await engine.openDoc(appointmentDocId);
  writeFields(mainRecord(doc, 'appointment'), { subjectPatientId: subject, updatedAt: nowIso() });
  await engine.closeDoc(appointmentDocId);
  return subject;
}

/** Opens (or creates) the chart of the person seen and a form for this visit; returns the chart and form ids. */
export async function startVisit(appointment: Fields): Promise<{ patientId: string; formId: string } | undefined> {
  const engine = sync.engine;
  const user = session.user;
  if (!engine || !user?.unitId || !appointment.id) return undefined;
  const patientId = await chartOfVisit(appointment, docId('appointment', String(appointment.id)));
  if (!patientId) return undefined;
  const chartId = docId('patient', patientId);
  const chart = await engine.openDoc(chartId, { kind: 'patient', unitId: user.unitId, patientId });
  try {
    const patient = mainRecord(chart, 'patient');
    const now = nowIso();
    if (!patient.get('fullName')) {
      writeFields(patient, {
        id: patientId,
        unitId: user.unitId,
        fullName: str(appointment.patientName),
        gender: str(appointment.patientGender),
        dateOfBirth: str(appointment.patientDateOfBirth),
        phone: str(appointment.patientPhone),
        email: str(appointment.email),
        createdAt: now,
        createdBy: user.id
      });
    }
    const existing = readForms(chart).find((f) => f.appointmentId === appointment.id && !f.completedAt);
    if (existing) return { patientId, formId: String(existing.id) };
    const formId = crypto.randomUUID();
    // The patient's ticks stay self-reported; their own measurements are shown from the booking, never copied into
    // the station's "Tình trạng khi đến khám" (prefill.ts).
    writeForm(chart, formId, {
      id: formId,
      patientId,
      unitId: user.unitId,
      ...formFromBooking(appointment),
      handlingDoctorName: user.displayName,
      createdAt: now,
      createdBy: user.id
    });
    return { patientId, formId };
  } finally {
    await engine.closeDoc(chartId);
  }
}

/** A new form for a patient seen without a booking (walk-in). */
export async function startWalkIn(patientId: string): Promise<string | undefined> {
  const engine = sync.engine;
  const user = session.user;
  if (!engine || !user?.unitId) return undefined;
  const chartId = docId('patient', patientId);
  const chart = await engine.openDoc(chartId);
  try {
    const formId = crypto.randomUUID();
    writeForm(chart, formId, { id: formId, patientId, unitId: user.unitId, handlingDoctorName: user.displayName, createdAt: nowIso(), createdBy: user.id });
    return formId;
  } finally {
    await engine.closeDoc(chartId);
  }
}

/**
 * The next appointment written in a completed form becomes an appointment (status "Chờ khám") the patient sees in
 * their list and is reminded of; made once per form. Returns its document id, or undefined when there is none to make.
 */
export async function scheduleFollowUp(form: Fields, patient: Fields, patientId: string, booking: Fields | undefined): Promise<string | undefined> {
  const engine = sync.engine;
  const user = session.user;
  if (!engine || !user?.unitId) return undefined;
  const made = followUpAppointment({ form, patient, patientId, booking, unitId: user.unitId, userId: user.id }, nowIso());
  if (!made) return undefined;
  const id = docId('appointment', String(made.record.id));
  if (await engine.db.docs.get(id)) return id;
  const doc = await engine.openDoc(id, { kind: 'appointment', unitId: user.unitId, patientId: made.accountPatientId });
  try {
    doc.transact(() => {
      writeFields(mainRecord(doc, 'appointment'), made.record);
      appointmentEvents(doc).push([made.event]);
    });
  } finally {
    await engine.closeDoc(id);
  }
  return id;
}

export const patientOf = (chart: import('yjs').Doc) => readFields(mainRecord(chart, 'patient'));
