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
  appointmentEvents,
  checkEvent,
  reportAppointment,
  CallChannel,
  CallDirection,
  CallPurpose,
  Gender,
  Handling,
  ReviewStatus,
  callRungs,
  chartForms,
  chartReminders,
  isCalendarDate,
  mainRecord,
  parseDocId,
  patterns,
  readFields,
  type AppointmentEvent,
  type DocKind,
  type Fields,
  type ReportHandling
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
  /** Reports (packages/domain/reports.ts): when it was made, the gender the booking states, whether the citizen made it. */
  createdAt: string | null;
  patientGender: string | null;
  bookedByCitizen: boolean;
  /** Who acted for the station on it, when (its events of side `station`): report 5B's staff who took part. */
  handlings: ReportHandling[];
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

export type RequestRow = {
  docId: string;
  requestId: string;
  fromUnitId: string;
  toUnitId: string | null;
  patientId: string;
  sentAt: string | null;
  /** When the station withdrew it (only a sent request is withdrawn: a withdrawal without a send is left out). */
  withdrawnAt: string | null;
};

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
  /** The district before the 2025 reform (reports over earlier dates group by it). */
  oldDistrictCode: string | null;
  dateOfBirth: string | null;
  birthYear: number | null;
  /** The chart's CCCD and BHYT number: a FHIR import matches a patient by them (fhir-api.ts). */
  personalId: string | null;
  insuranceNumber: string | null;
};

/** A call as one unit logged it: what report 5D counts (calls in and out per unit and purpose), and how it held. */
export type CallRow = {
  docId: string;
  callId: string;
  /** The unit that logged it (the `docs` row). */
  unitId: string;
  direction: string | null;
  /** The other side of the call. */
  otherUnitId: string | null;
  /** Null for a call about no patient. */
  patientId: string | null;
  requestId: string | null;
  purpose: string | null;
  channel: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** The lowest rung of the ladder the call went down to (`phone` for a call on the phone line); null when none was logged. */
  lowestRung: string | null;
  /** The account that logged it: report 5B's staff who took part in a call. */
  createdBy: string | null;
};

/** A reminder of a chart (packages/domain/reminders.ts): what the reminder dispatcher sends when (reminders/). */
export type ReminderRow = {
  docId: string;
  reminderId: string;
  unitId: string;
  patientId: string;
  dueAt: string;
  cancelled: boolean;
  sms: boolean;
  smsPlain: boolean;
  title: string;
  body: string | null;
};

export type Projection = {
  appointments: AppointmentRow[];
  forms: FormRow[];
  requests: RequestRow[];
  reviews: ReviewRow[];
  patients: PatientRow[];
  calls: CallRow[];
  reminders: ReminderRow[];
};

export const emptyProjection = (): Projection => ({ appointments: [], forms: [], requests: [], reviews: [], patients: [], calls: [], reminders: [] });

/** The document kinds that have rows in the projections (minutes have none yet). */
export const projectedKinds: readonly DocKind[] = ['patient', 'appointment', 'request', 'review', 'call'];

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
        oldDistrictCode: text(p.oldDistrictCode, patterns.districtCode),
        dateOfBirth,
        birthYear: dateOfBirth ? Number(dateOfBirth.slice(0, 4)) : null,
        personalId: text(p.personalId, patterns.personalId),
        insuranceNumber: text(p.insuranceNumber, patterns.insuranceNumber)
      });
      for (const [formId, form] of chartForms(doc)) {
        if (form instanceof Y.Map && patterns.id.test(formId)) into.forms.push(formRow(meta, formId, readFields(form)));
      }
      for (const [reminderId, entry] of chartReminders(doc)) {
        if (!(entry instanceof Y.Map) || !patterns.id.test(reminderId)) continue;
        const r = readFields(entry);
        const dueAt = typeof r.dueAt === 'string' && Number.isFinite(Date.parse(r.dueAt)) ? new Date(Date.parse(r.dueAt)).toISOString() : null;
        if (!dueAt || typeof r.title !== 'string') continue;
        into.reminders.push({
          docId: meta.id,
          reminderId,
          unitId: meta.unitId,
          patientId: meta.patientId,
          dueAt,
          cancelled: typeof r.cancelledAt === 'string',
          sms: r.sms === true,
          smsPlain: r.smsPlain === true,
          title: r.title.slice(0, 100),
          body: typeof r.body === 'string' ? r.body.slice(0, 500) : null
        });
      }
      return;
    }
    case 'appointment': {
      const a = readFields(mainRecord(doc, 'appointment'));
      const events = appointmentEvents(doc)
        .toArray()
        .filter((e): e is AppointmentEvent => checkEvent(e) === undefined);
      const createdAt = instant(a.createdAt);
      // The same reading as a device's (reportAppointment), over values the projection keeps only when well formed.
      const report = reportAppointment({ ...a, id, unitId: meta.unitId, patientId: meta.patientId, createdBy: text(a.createdBy, patterns.id) }, events);
      into.appointments.push({
        docId: meta.id,
        unitId: meta.unitId,
        patientId: meta.patientId,
        status: oneOf(a.status, Object.values(AppointmentStatus)),
        purpose: oneOf(a.purpose, Object.values(AppointmentPurpose)),
        wishedAt: instant(a.wishedAt),
        scheduledAt: instant(a.scheduledAt),
        createdAt,
        patientGender: oneOf(a.patientGender, Object.values(Gender)),
        bookedByCitizen: report?.bookedByCitizen ?? false,
        handlings: (report?.handlings ?? []).flatMap((h) => {
          const at = instant(h.at);
          return at && patterns.id.test(h.by) ? [{ at, by: h.by }] : [];
        })
      });
      return;
    }
    case 'request': {
      const r = readFields(mainRecord(doc, 'request'));
      const sentAt = instant(r.sentAt);
      into.requests.push({
        docId: meta.id,
        requestId: id,
        fromUnitId: meta.unitId,
        toUnitId: meta.peerUnitId ?? null,
        patientId: meta.patientId,
        sentAt,
        withdrawnAt: sentAt ? instant(r.withdrawnAt) : null
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
    case 'call': {
      const c = readFields(mainRecord(doc, 'call'));
      const direction = oneOf(c.direction, Object.values(CallDirection));
      const other = direction === CallDirection.outgoing ? c.calleeUnitId : direction === CallDirection.incoming ? c.callerUnitId : undefined;
      const channel = oneOf(c.channel, Object.values(CallChannel));
      // Rungs best first: the lowest is the one with the highest index among those logged.
      const used = doc.getArray('rungs').toArray().flatMap((r) => {
        const rung = typeof r === 'object' && r !== null ? oneOf((r as Fields).rung, callRungs) : null;
        return rung ? [callRungs.indexOf(rung as (typeof callRungs)[number])] : [];
      });
      if (channel === CallChannel.phone) used.push(callRungs.indexOf('phone'));
      into.calls.push({
        docId: meta.id,
        callId: id,
        unitId: meta.unitId,
        direction,
        otherUnitId: text(other, patterns.id),
        patientId: meta.patientId === id ? null : meta.patientId,
        requestId: text(c.requestId, patterns.id),
        purpose: oneOf(c.purpose, Object.values(CallPurpose)),
        channel,
        startedAt: instant(c.startedAt),
        endedAt: instant(c.endedAt),
        lowestRung: used.length ? callRungs[Math.max(...used)]! : null,
        createdBy: text(c.createdBy, patterns.id)
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
    patients: [...p.patients].sort(by((r) => r.docId)),
    calls: [...p.calls].sort(by((r) => r.docId)),
    reminders: [...p.reminders].sort(by((r) => `${r.docId}\u0000${r.reminderId}`))
  };
}
