// What the server projections keep of each document: the rows of the query tables that reports and search read
// (see ARCHITECTURE.md, "Projections"). Pure functions of a document's state and its server-side metadata, used
// both by the log consumer (projector.ts) and by the tests' replay from scratch. Units and patients come from
// the `docs` row (checked by the server when the document was created); everything else from the record maps.
// Values are taken only when they are well formed (the server checks them already): a projection never stops
// on a bad value, it leaves it out (null).
import * as Y from 'yjs';
import { chapterOf } from '@telehealth/catalogs';
import {
  AppointmentPurpose,
  AppointmentStatus,
  Gender,
  Handling,
  ReviewStatus,
  chartForms,
  isCalendarDate,
  mainRecord,
  parseDocId,
  patterns,
  readFields,
  type DocKind,
  type Fields
} from '@telehealth/domain';
import type { DocRow } from '../storage/storage';

export type AppointmentRow = {
  docId: string;
  unitId: string;
  patientId: string;
  status: string | null;
  purpose: string | null;
  wishedAt: string | null;
  scheduledAt: string | null;
};

export type FormRow = {
  chartDocId: string;
  formId: string;
  unitId: string;
  patientId: string;
  mainIcd: string | null;
  /** The ICD-10 chapter of the main code (I … XXII). */
  icdChapter: string | null;
  secondaryIcds: string[];
  visitType: string | null;
  handling: string | null;
  completedAt: string | null;
};

export type RequestRow = { docId: string; requestId: string; fromUnitId: string; toUnitId: string | null; patientId: string; sentAt: string | null };

export type ReviewRow = {
  docId: string;
  requestId: string;
  /** The upper unit that reviews. */
  unitId: string;
  /** The station that asked. */
  stationUnitId: string | null;
  patientId: string;
  status: string | null;
  scheduledAt: string | null;
};

export type PatientRow = {
  docId: string;
  patientId: string;
  unitId: string;
  gender: string | null;
  ethnicityCode: string | null;
  communeCode: string | null;
  provinceCode: string | null;
  dateOfBirth: string | null;
  birthYear: number | null;
};

export type Projection = {
  appointments: AppointmentRow[];
  forms: FormRow[];
  requests: RequestRow[];
  reviews: ReviewRow[];
  patients: PatientRow[];
};

export const emptyProjection = (): Projection => ({ appointments: [], forms: [], requests: [], reviews: [], patients: [] });

/** The document kinds that have rows in the projections (minutes have none yet). */
export const projectedKinds: readonly DocKind[] = ['patient', 'appointment', 'request', 'review'];

export const isProjected = (docId: string): boolean => {
  const kind = parseDocId(docId)?.kind;
  return kind !== undefined && projectedKinds.includes(kind);
};

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const text = (v: unknown, pattern?: RegExp): string | null => (typeof v === 'string' && v !== '' && (!pattern || pattern.test(v)) ? v : null);
const oneOf = (v: unknown, values: readonly string[]): string | null => (typeof v === 'string' && values.includes(v) ? v : null);
/** An instant, normalised to UTC with milliseconds (as PostgreSQL's timestamptz gives it back). */
const instant = (v: unknown): string | null => {
  if (typeof v !== 'string' || !instantPattern.test(v) || !isCalendarDate(v.slice(0, 10))) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};
const calendarDate = (v: unknown): string | null => (typeof v === 'string' && isCalendarDate(v) ? v : null);
const icdCodes = (v: unknown): string[] => (Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && patterns.icd10.test(c)) : []);

function formRow(chart: DocRow, formId: string, f: Fields): FormRow {
  const mainIcd = text(f.mainIcd, patterns.icd10);
  return {
    chartDocId: chart.id,
    formId,
    unitId: chart.unitId,
    patientId: chart.patientId,
    mainIcd,
    icdChapter: mainIcd ? (chapterOf(mainIcd) ?? null) : null,
    secondaryIcds: icdCodes(f.secondaryIcds),
    visitType: oneOf(f.visitType, ['first', 'follow_up']),
    handling: oneOf(f.handling, Object.values(Handling)),
    completedAt: instant(f.completedAt)
  };
}

/** Adds the rows of one document, in its current state, to `into`. */
export function projectDoc(meta: DocRow, doc: Y.Doc, into: Projection): void {
  const id = parseDocId(meta.id)?.id ?? meta.id;
  switch (meta.kind) {
    case 'patient': {
      const p = readFields(mainRecord(doc, 'patient'));
      const dateOfBirth = calendarDate(p.dateOfBirth);
      into.patients.push({
        docId: meta.id,
        patientId: meta.patientId,
        unitId: meta.unitId,
        gender: oneOf(p.gender, Object.values(Gender)),
        ethnicityCode: text(p.ethnicityCode, patterns.ethnicityCode),
        communeCode: text(p.communeCode, patterns.communeCode),
        provinceCode: text(p.provinceCode, patterns.provinceCode),
        dateOfBirth,
        birthYear: dateOfBirth ? Number(dateOfBirth.slice(0, 4)) : null
      });
      for (const [formId, form] of chartForms(doc)) {
        if (form instanceof Y.Map && patterns.id.test(formId)) into.forms.push(formRow(meta, formId, readFields(form)));
      }
      return;
    }
    case 'appointment': {
      const a = readFields(mainRecord(doc, 'appointment'));
      into.appointments.push({
        docId: meta.id,
        unitId: meta.unitId,
        patientId: meta.patientId,
        status: oneOf(a.status, Object.values(AppointmentStatus)),
        purpose: oneOf(a.purpose, Object.values(AppointmentPurpose)),
        wishedAt: instant(a.wishedAt),
        scheduledAt: instant(a.scheduledAt)
      });
      return;
    }
    case 'request': {
      const r = readFields(mainRecord(doc, 'request'));
      into.requests.push({
        docId: meta.id,
        requestId: id,
        fromUnitId: meta.unitId,
        toUnitId: meta.peerUnitId ?? null,
        patientId: meta.patientId,
        sentAt: instant(r.sentAt)
      });
      return;
    }
    case 'review': {
      const r = readFields(mainRecord(doc, 'review'));
      into.reviews.push({
        docId: meta.id,
        requestId: id,
        unitId: meta.unitId,
        stationUnitId: meta.peerUnitId ?? null,
        patientId: meta.patientId,
        status: oneOf(r.status, Object.values(ReviewStatus)),
        scheduledAt: instant(r.scheduledAt)
      });
      return;
    }
    default:
      return;
  }
}

/** Every table's rows in a fixed order, so that two projections compare as values. */
export function sortProjection(p: Projection): Projection {
  const by = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    appointments: [...p.appointments].sort(by((r) => r.docId)),
    forms: [...p.forms].sort(by((r) => `${r.chartDocId}\u0000${r.formId}`)),
    requests: [...p.requests].sort(by((r) => r.docId)),
    reviews: [...p.reviews].sort(by((r) => r.docId)),
    patients: [...p.patients].sort(by((r) => r.docId))
  };
}
