// Records as lists and screens read them, typed per kind: a row of the device's list index (or a form of a chart)
// is parsed with its kind's schema after `upgradeRecord` brings it to the current schema version, never cast.
// A value that does not fit its field (e.g. written by a newer app) and a field the schema does not know are left
// out, so every value a screen reads has the type the schema gives it.
import {
  appointmentSchema,
  callLogSchema,
  checkEvent,
  checkRung,
  consultationRequestSchema,
  consultationMinutesSchema,
  consultationReviewSchema,
  checkSignatureEntry,
  prescriptionSchema,
  teleconsultationFormSchema,
  upgradeRecord,
  validatePatch,
  type Appointment,
  type AppointmentEvent,
  type CallLog,
  type CallRung,
  type ConsultationRequest,
  type ConsultationReview,
  type Fields,
  type Prescription,
  type PastVisit,
  type RecordKind,
  type RecordOf,
  type Schema,
  type SignatureEntry
} from '@telehealth/domain';
import type { RecordRow } from '../sync/local-db';

/** What every list row has besides its fields: its document, the record's id, the chart it belongs to. */
type RowBase = { docId: string; id: string; patientId: string; updatedAt: number };

/**
 * An appointment: the whole record (one booking writes every required field at once, validated; the server keeps
 * them once set) and its events. An appointment without them cannot be shown or acted on: it is not listed.
 */
export type AppointmentRow = RowBase & { kind: 'appointment'; fields: Appointment; events: AppointmentEvent[] };
/** A consultation request: a draft until it is sent, so any field may still be missing (its content, say). */
export type RequestRow = RowBase & { kind: 'request'; fields: Partial<ConsultationRequest> };
/** The upper unit's review of a request. */
export type ReviewRow = RowBase & { kind: 'review'; fields: Partial<ConsultationReview> };

/** One rung of a call's ladder, as its log holds it. */
export type RungEvent = { at: string; rung: CallRung; reason: string };
/** A call as this unit logged it, and the rungs it used (in the order they were logged). */
export type CallRow = RowBase & { kind: 'call'; fields: Partial<CallLog>; rungs: RungEvent[] };

/** A prescription: a draft until it is issued (then it never changes). */
export type PrescriptionRow = RowBase & { kind: 'prescription'; fields: Partial<Prescription> };

/** The minutes of a consultation (one version), and the signatures they hold (signed: locked). */
export type MinutesRow = RowBase & { kind: 'minutes'; fields: Partial<RecordOf<typeof consultationMinutesSchema>>; signatures: SignatureEntry[] };

export type ListRow = AppointmentRow | RequestRow | ReviewRow | CallRow | PrescriptionRow | MinutesRow;
export type ListedKind = ListRow['kind'];
export type RowOf<K extends ListedKind> = Extract<ListRow, { kind: K }>;

/**
 * A record's fields as the current schema reads them: upgraded, then each value kept only when it is valid for
 * its field. Empty values are absent (writing an empty value deletes the field).
 */
export function parseFields<S extends Schema>(kind: RecordKind, schema: S, fields: Fields): Partial<RecordOf<S>> {
  const upgraded = upgradeRecord(kind, fields);
  const out: Fields = {};
  for (const name of Object.keys(schema)) {
    const value = upgraded[name];
    if (value === undefined || value === null || value === '') continue;
    if (validatePatch(schema, { [name]: value }).length === 0) out[name] = value;
  }
  // Each value kept has just passed its field's check: this is the schema's type.
  return out as Partial<RecordOf<S>>;
}

/** Whether every required field of the schema is present. */
function isComplete<S extends Schema>(schema: S, fields: Partial<RecordOf<S>>): fields is RecordOf<S> {
  return Object.entries(schema).every(([name, spec]) => !spec.required || Object.hasOwn(fields, name));
}

const isEvent = (value: unknown): value is AppointmentEvent => checkEvent(value) === undefined;

const base = (row: RecordRow): RowBase => ({ docId: row.docId, id: row.id, patientId: row.patientId, updatedAt: row.updatedAt });

export function appointmentRow(row: RecordRow): AppointmentRow | undefined {
  if (row.kind !== 'appointment') return undefined;
  const fields = parseFields('appointment', appointmentSchema, row.fields);
  if (!isComplete(appointmentSchema, fields)) return undefined;
  return { ...base(row), kind: 'appointment', fields, events: (row.events ?? []).filter(isEvent) };
}

export function requestRow(row: RecordRow): RequestRow | undefined {
  if (row.kind !== 'request') return undefined;
  return { ...base(row), kind: 'request', fields: parseFields('request', consultationRequestSchema, row.fields) };
}

export function reviewRow(row: RecordRow): ReviewRow | undefined {
  if (row.kind !== 'review') return undefined;
  return { ...base(row), kind: 'review', fields: parseFields('review', consultationReviewSchema, row.fields) };
}

const isRung = (value: unknown): value is RungEvent => checkRung(value) === undefined;

export function callRow(row: RecordRow): CallRow | undefined {
  if (row.kind !== 'call') return undefined;
  return { ...base(row), kind: 'call', fields: parseFields('call', callLogSchema, row.fields), rungs: (row.events ?? []).filter(isRung) };
}

export function prescriptionRow(row: RecordRow): PrescriptionRow | undefined {
  if (row.kind !== 'prescription') return undefined;
  return { ...base(row), kind: 'prescription', fields: parseFields('prescription', prescriptionSchema, row.fields) };
}

const isSignature = (value: unknown): value is SignatureEntry => checkSignatureEntry(value) === undefined;

export function minutesRow(row: RecordRow): MinutesRow | undefined {
  if (row.kind !== 'minutes') return undefined;
  return { ...base(row), kind: 'minutes', fields: parseFields('minutes', consultationMinutesSchema, row.fields), signatures: (row.events ?? []).filter(isSignature) };
}

const parsers: { [K in ListedKind]: (row: RecordRow) => RowOf<K> | undefined } = {
  appointment: appointmentRow,
  minutes: minutesRow,
  request: requestRow,
  review: reviewRow,
  call: callRow,
  prescription: prescriptionRow
};

/** A row of the device's index as a list of `kind` reads it; undefined when it is not one (another kind, or unusable). */
export function listRow<K extends ListedKind>(kind: K, row: RecordRow): RowOf<K> | undefined {
  return parsers[kind](row);
}

/** The rows of `kind` among index rows, typed; those that are not usable as `kind` are left out. */
export function listRows<K extends ListedKind>(kind: K, rows: readonly RecordRow[]): RowOf<K>[] {
  return rows.flatMap((row) => {
    const typed = listRow(kind, row);
    return typed ? [typed] : [];
  });
}

/**
 * A chart's completed forms other than `exceptFormId`, as the visit type reads them (first visit or follow-up,
 * guideline 4.2.1): who wrote each, when, and its main diagnosis.
 */
export function pastVisits(forms: readonly Fields[], exceptFormId: string): PastVisit[] {
  return forms.flatMap((raw) => {
    const form = parseFields('form', teleconsultationFormSchema, raw);
    if (form.id === exceptFormId || !form.completedAt || !form.createdBy || !form.createdAt) return [];
    return [{ createdBy: form.createdBy, createdAt: form.createdAt, completedAt: form.completedAt, mainIcd: form.mainIcd }];
  });
}
