// How records are laid out in Yjs documents, and the metadata the server authorizes them by.
//
// One document per patient chart (the patient and their teleconsultation forms), one per appointment,
// per consultation request, per review and per set of minutes. ARCHITECTURE.md gives the measured reasons.
import * as Y from 'yjs';
import { patterns } from './records';
import { SCHEMA_VERSION, upgradeRecord } from './migrations';

export const DocKind = {
  /** The patient's chart: map "patient" (fields) and map "forms" (form id → map of fields). */
  patient: 'patient',
  /** Map "appointment": written by the patient and by the station. */
  appointment: 'appointment',
  /** Map "request": written by the requesting station, read by the upper unit it is sent to. */
  request: 'request',
  /** Map "review": written by the upper unit, read by the requesting station. Its id is the request's id. */
  review: 'review',
  /** Map "minutes": co-edited during the consultation. */
  minutes: 'minutes',
  /**
   * Map "call" (a call log: who called whom, why, when, how) and the append-only array "rungs" (each rung of the call
   * ladder used, when and why). Written by the unit that logs it; read by the other unit of its request, if any.
   */
  call: 'call',
  /**
   * Map "prescription" (an electronic prescription, its drugs as rows): written by the station that owns the chart,
   * read by the patient; never changed once issued.
   */
  prescription: 'prescription'
} as const;
export type DocKind = (typeof DocKind)[keyof typeof DocKind];

export const docKinds: readonly DocKind[] = Object.values(DocKind);

/** What a client says about a document the first time it sends it; the server checks it against the sender. */
export type DocMeta = {
  kind: DocKind;
  /**
   * The owning unit: the station for patient, appointment, request, minutes; the upper unit for a review; the unit
   * that logs a call.
   */
  unitId: string;
  /** The patient; for a call about no patient (a briefing), the call's own id. */
  patientId: string;
  /**
   * The other unit involved: the upper unit a request goes to, the station a review answers, the other unit of the
   * request a call is linked to (it reads the call log).
   */
  peerUnitId?: string;
};

export function docId(kind: DocKind, id: string): string {
  return `${kind}:${id}`;
}

export function parseDocId(value: string): { kind: DocKind; id: string } | undefined {
  const colon = value.indexOf(':');
  if (colon < 0) return undefined;
  const kind = value.slice(0, colon) as DocKind;
  const id = value.slice(colon + 1);
  if (!docKinds.includes(kind) || !patterns.id.test(id)) return undefined;
  return { kind, id };
}

export function isDocMeta(value: unknown): value is DocMeta {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const isId = (v: unknown) => typeof v === 'string' && patterns.id.test(v);
  return (
    docKinds.includes(m.kind as DocKind) &&
    isId(m.unitId) &&
    isId(m.patientId) &&
    (m.peerUnitId === undefined || isId(m.peerUnitId)) &&
    Object.keys(m).every((k) => ['kind', 'unitId', 'patientId', 'peerUnitId'].includes(k))
  );
}

export type Fields = Record<string, unknown>;

/**
 * Writes a patch field by field, so that concurrent edits of different fields merge. Unchanged values are
 * not written again (each write would add to the document); empty values delete the field.
 */
export function writeFields(map: Y.Map<unknown>, patch: Fields): void {
  // One transaction (one update) per patch; inside an outer transaction it joins that one.
  if (map.doc) map.doc.transact(() => applyPatch(map, patch));
  else applyPatch(map, patch);
}

function applyPatch(map: Y.Map<unknown>, patch: Fields): void {
  // A patch that creates a record (it names its author) stamps the schema version it is written in.
  if (patch.createdBy !== undefined && !map.has('schemaVersion') && patch.schemaVersion === undefined) map.set('schemaVersion', SCHEMA_VERSION);
  for (const [key, value] of Object.entries(patch)) {
    const empty = value === undefined || value === null || value === '';
    if (empty) {
      if (map.has(key)) map.delete(key);
    } else if (!sameValue(map.get(key), value)) {
      // Lists and rows are copied: the document must not share (or hold a UI framework's proxy of) a live object.
      map.set(key, typeof value === 'object' && !(value instanceof Uint8Array) ? JSON.parse(JSON.stringify(value)) : value);
    }
  }
}

/** Two field values are the same: equal, both absent (undefined or null), or lists/rows with the same content. */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a ?? null) === (b ?? null)) return true;
  return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

export function readFields(map: Y.Map<unknown>): Fields {
  return map.toJSON() as Fields;
}

export function mainRecord(doc: Y.Doc, kind: DocKind): Y.Map<unknown> {
  // The main record's map is named after the document's kind.
  return doc.getMap(kind);
}

/** The forms map of a patient chart. */
export function chartForms(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('forms');
}

/** Creates or updates one entry of a map of records (a chart's forms or reminders), field by field. */
function writeEntry(doc: Y.Doc, entries: Y.Map<Y.Map<unknown>>, id: string, patch: Fields): void {
  doc.transact(() => {
    let entry = entries.get(id);
    if (!entry) {
      entry = new Y.Map<unknown>();
      entries.set(id, entry);
    }
    writeFields(entry, patch);
  });
}

/** Creates or updates one teleconsultation form inside a patient chart. */
export function writeForm(doc: Y.Doc, formId: string, patch: Fields): void {
  writeEntry(doc, chartForms(doc), formId, patch);
}

/** The reminders map of a patient chart (reminders.ts). */
export function chartReminders(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('reminders');
}

/** Creates or updates one reminder inside a patient chart. */
export function writeReminder(doc: Y.Doc, reminderId: string, patch: Fields): void {
  writeEntry(doc, chartReminders(doc), reminderId, patch);
}

/** The chart's forms, each as the current schema reads it (older forms upgraded, see migrations.ts). */
export function readForms(doc: Y.Doc): Fields[] {
  return [...chartForms(doc).values()].map((form) => upgradeRecord('form', readFields(form)));
}
