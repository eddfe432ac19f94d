// The closed layout of each document kind: which root types it holds, what may sit inside them, and bounds.
// The server checks every update against it (sync-server/src/sync/content-policy.ts): a root type, a nested
// shared type, a field or a value outside the layout is refused, so no account can store content that other
// devices would choke on. Adding a record kind means adding its layout here.
import * as Y from 'yjs';
import { DocKind, parseDocId, readFields, type Fields } from './documents';
import { formCompletionProblems } from './clinical';
import { upgradeRecord } from './migrations';
import { recordSchemas } from './rebase';
import { checkSignatureEntry, maxSignatures } from './signatures';
import { CallDirection, ReviewStatus, callRungs, consultationMinutesSchema, minutesTextFields, patterns, teleconsultationFormSchema } from './records';
import { bookingProblems } from './appointments';
import { reviewScheduleProblem, scheduleProblem } from './schedule';
import { validatePatch, type Schema } from './schema';
import { prescriptionRules } from './prescriptions';
import { reminderBounds, reminderSchema } from './reminders';
import { checkExternal, externalBounds } from './external';

/** A root type of a document. */
export type RootLayout =
  /**
   * The main record: a map of plain field values following the schema; required fields, once set, stay set;
   * `rules` are the kind's workflow rules on a change (before → after), enforced by the server.
   */
  | { type: 'record'; schema: Schema; rules?: (before: Fields, after: Fields, nowMs: number) => string[] }
  /**
   * A map from ids to nested maps of plain field values (a chart's forms); `completion` lists what an entry still
   * lacks when a change sets its `completedAt` (a workflow rule the server enforces).
   */
  | { type: 'records'; schema: Schema; maxEntries: number; completion?: (entry: Fields, doc: Y.Doc) => string[] }
  /** A map from ids to plain values, each checked by `check` (a request's photos). */
  | { type: 'values'; check: (key: string, value: unknown) => string | undefined; maxEntries: number }
  /** An append-only list of plain values, each checked by `check` (an appointment's events). */
  | { type: 'log'; check: (value: unknown) => string | undefined; maxItems: number }
  /**
   * A co-edited plain text (a Y.Text root: concurrent typing in one field merges, keeping both people's words): at
   * most `max` characters (UTF-16 code units, as the schema's text fields count), no formatting, embeds or attributes.
   */
  | { type: 'text'; max: number };

export type DocLayout = { roots: Record<string, RootLayout>; maxBytes: number };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Y.AbstractType);

const eventSides = ['patient', 'station'];
const eventActions = ['accept', 'propose', 'answer', 'cancel', 'complete'];
const eventSchema: Schema = {
  at: { type: 'datetime', required: true },
  by: { type: 'text', max: 64, pattern: patterns.id, required: true },
  side: { type: 'enum', values: eventSides, required: true },
  action: { type: 'enum', values: eventActions, required: true },
  status: { type: 'enum', values: ['new', 'waiting', 'done', 'cancelled'], required: true },
  detail: { type: 'text', max: 500 }
};

/** An appointment event: exactly the fields of `AppointmentEvent`, valid. */
export function checkEvent(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'an event is an object';
  const missing = Object.entries(eventSchema).filter(([k, s]) => s.required && value[k] === undefined);
  if (missing.length) return `event without ${missing.map(([k]) => k).join(', ')}`;
  const errors = validatePatch(eventSchema, value);
  return errors.length ? `event ${errors[0]!.field}: ${errors[0]!.code}` : undefined;
}

export const photoBounds = { maxBytes: 128 * 1024, maxSide: 4096, maxPhotos: 10 } as const;

/** Width and height of a baseline or progressive JPEG, read from its frame header; undefined when the bytes are not a JPEG. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes.at(-2) !== 0xff || bytes.at(-1) !== 0xd9) return undefined;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2) return undefined;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > bytes.length) return undefined;
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    if (marker === 0xda) return undefined; // scan data before any frame header
    i += 2 + length;
  }
  return undefined;
}

const photoKeys = ['id', 'name', 'type', 'width', 'height', 'bytes', 'at'];

/** A request's photo: exactly the fields the app writes, and bytes that are the JPEG of the size it claims. */
export function checkPhoto(key: string, value: unknown): string | undefined {
  if (!patterns.id.test(key) && !/^[0-9a-f-]{36}$/.test(key)) return 'bad photo id';
  if (!isPlainObject(value)) return 'a photo is an object';
  const unknown = Object.keys(value).filter((k) => !photoKeys.includes(k));
  if (unknown.length) return `unknown photo fields: ${unknown.join(', ')}`;
  const { id, name, type, width, height, bytes, at } = value;
  if (id !== key) return 'a photo is stored under its own id';
  if (typeof name !== 'string' || name.length > 100) return 'bad photo name';
  if (type !== 'image/jpeg') return 'a photo is a JPEG';
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return 'bad photo time';
  if (!(bytes instanceof Uint8Array) || bytes.length > photoBounds.maxBytes) return 'photo bytes missing or too large';
  const size = jpegSize(bytes);
  if (!size) return 'the bytes are not a JPEG image';
  if (size.width !== width || size.height !== height || size.width < 1 || size.height < 1 || size.width > photoBounds.maxSide || size.height > photoBounds.maxSide) {
    return 'the JPEG is not of the size the photo claims';
  }
  return undefined;
}

/**
 * The problem with a co-edited text, or undefined: longer than `max`, or holding anything but plain characters
 * (formatting marks, embedded objects or nested types, attributes).
 */
export function textProblem(text: Y.Text, max: number): string | undefined {
  if (text._map.size > 0) return 'attributes';
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && !(item.content instanceof Y.ContentString)) return item.content instanceof Y.ContentFormat ? 'formatting' : 'embed';
  }
  return text.length > max ? 'too_long' : undefined;
}

/** The names of a kind's co-edited text roots (the minutes' free-text fields). */
export function textRoots(kind: DocKind): string[] {
  return Object.entries(docLayouts[kind].roots)
    .filter(([, root]) => root.type === 'text')
    .map(([name]) => name);
}

/**
 * A document's main record as one set of fields: the main map's plain values and, for a kind with co-edited texts,
 * each non-empty text root's string under its field name.
 */
export function readRecord(doc: Y.Doc, kind: DocKind): Fields {
  const fields = readFields(doc.getMap(kind));
  for (const name of textRoots(kind)) {
    const value = doc.share.has(name) ? doc.getText(name).toString() : '';
    if (value) fields[name] = value;
  }
  return fields;
}

/** JSON with every object's keys in order: the same text for the same values, whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What a record says, as one text: its main record and co-edited texts (`readRecord`) as canonical JSON. A signer's
 * device and the server hash it to agree that the record signed is the record held (deletions included, which a
 * Yjs state vector does not show).
 */
export function canonicalRecord(doc: Y.Doc, kind: DocKind): string {
  return canonicalJson(readRecord(doc, kind));
}

const minutesTexts: Record<string, RootLayout> = Object.fromEntries(
  minutesTextFields.map((field) => {
    const spec = consultationMinutesSchema[field];
    return [field, { type: 'text', max: spec.max }];
  })
);
/** The minutes' map holds every field but the co-edited texts (a plain value there would bypass the merge). */
const minutesRecordSchema: Schema = Object.fromEntries(Object.entries(consultationMinutesSchema).filter(([field]) => !(minutesTextFields as readonly string[]).includes(field)));

const record = (kind: DocKind, rules?: (before: Fields, after: Fields, nowMs: number) => string[]): RootLayout => ({ type: 'record', schema: recordSchemas[kind], rules });

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** "Now" for a change: the time the record says it was changed (it may have waited offline), else the server's. */
const changedAt = (after: Fields, nowMs: number) => str(after.updatedAt) ?? nowMs;

/** Booking rules: what its purpose requires, a wished time not before the booking was made, a station's time not in the past. */
export function appointmentRules(before: Fields, after: Fields, nowMs: number): string[] {
  const problems: string[] = [];
  if (before.status === undefined) {
    for (const p of bookingProblems(after)) problems.push(`${p.field}: ${p.code}`);
    const wished = str(after.wishedAt);
    const made = str(after.createdAt);
    if (wished && made && scheduleProblem(wished, made) === 'in_past') problems.push('wishedAt: in_past');
  }
  for (const field of ['scheduledAt', 'proposedAt'] as const) {
    const at = str(after[field]);
    if (at && at !== before[field] && scheduleProblem(at, changedAt(after, nowMs)) === 'in_past') problems.push(`${field}: in_past`);
  }
  return problems;
}

/** Review rules: a consultation is scheduled for a time not yet past; an answered or declined review stays so. */
export function reviewRules(before: Fields, after: Fields, nowMs: number): string[] {
  const problems: string[] = [];
  if (after.scheduledAt !== before.scheduledAt || (after.status !== before.status && after.status === ReviewStatus.scheduled)) {
    const p = reviewScheduleProblem({ status: str(after.status), scheduledAt: str(after.scheduledAt) }, changedAt(after, nowMs));
    if (p) problems.push(`scheduledAt: ${p}`);
  }
  const closed = [ReviewStatus.answered, ReviewStatus.declined] as string[];
  if (closed.includes(String(before.status)) && after.status !== before.status) problems.push('status: a closed review stays closed');
  return problems;
}

/** Request rules: only a sent request is withdrawn, and a withdrawn request stays withdrawn (it changes no more: content-policy). */
export function requestRules(before: Fields, after: Fields): string[] {
  const problems: string[] = [];
  if (after.withdrawnAt !== undefined && after.sentAt === undefined) problems.push('withdrawnAt: only a sent request is withdrawn');
  if (before.withdrawnAt !== undefined && after.withdrawnAt !== before.withdrawnAt) problems.push('withdrawnAt: a withdrawn request stays withdrawn');
  return problems;
}

const rungSchema: Schema = {
  at: { type: 'datetime', required: true },
  rung: { type: 'enum', values: callRungs, required: true },
  reason: { type: 'text', max: 200, required: true }
};

export const callBounds = { maxRungs: 200, maxBytes: 256 * 1024 } as const;

/** A rung of a call's ladder: exactly `{at, rung, reason}`, valid (a reason is said, in at most 200 characters). */
export function checkRung(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'a rung is an object';
  const unknown = Object.keys(value).filter((k) => !Object.hasOwn(rungSchema, k));
  if (unknown.length) return `unknown rung fields: ${unknown.slice(0, 3).join(', ')}`;
  const missing = Object.entries(rungSchema).filter(([k, s]) => s.required && (value[k] === undefined || value[k] === ''));
  if (missing.length) return `rung without ${missing.map(([k]) => k).join(', ')}`;
  const errors = validatePatch(rungSchema, value);
  return errors.length ? `rung ${errors[0]!.field}: ${errors[0]!.code}` : undefined;
}

/** The fields of a call log that say which call it is: set when it is created, never changed. */
const callFixedFields = ['id', 'unitId', 'direction', 'callerUnitId', 'calleeUnitId', 'channel', 'requestId', 'patientId', 'startedAt', 'createdAt', 'createdBy'] as const;

/**
 * Call log rules: a call's identity (its units, direction, channel, request, patient, start) is fixed once written;
 * the unit that logs it is the caller of an outgoing call and the callee of an incoming one, and not the other side
 * too; a call ends once, not before it started. The purpose may be corrected.
 */
export function callRules(before: Fields, after: Fields): string[] {
  const problems: string[] = [];
  for (const field of callFixedFields) {
    if (before[field] !== undefined && after[field] !== before[field]) problems.push(`${field}: fixed`);
  }
  if (after.direction !== undefined && after.unitId !== undefined) {
    const own = after.direction === CallDirection.outgoing ? after.callerUnitId : after.calleeUnitId;
    if (own !== undefined && own !== after.unitId) problems.push(`${after.direction === CallDirection.outgoing ? 'callerUnitId' : 'calleeUnitId'}: not_own_unit`);
  }
  if (after.callerUnitId !== undefined && after.callerUnitId === after.calleeUnitId) problems.push('calleeUnitId: same_as_caller');
  if (before.endedAt !== undefined && after.endedAt !== before.endedAt) problems.push('endedAt: fixed');
  const started = str(after.startedAt);
  const ended = str(after.endedAt);
  if (started && ended && Date.parse(ended) < Date.parse(started)) problems.push('endedAt: before_start');
  return problems;
}

export const docLayouts: Record<DocKind, DocLayout> = {
  patient: {
    roots: {
      patient: record('patient'),
      forms: {
        type: 'records',
        schema: teleconsultationFormSchema,
        maxEntries: 5_000,
        completion: (form, doc) => formCompletionProblems(upgradeRecord('form', form), readFields(doc.getMap('patient')))
      },
      // Messages and reminders to the patient (reminders.ts): the patient's phone reads the chart, so it has them offline.
      reminders: { type: 'records', schema: reminderSchema, maxEntries: reminderBounds.maxPerChart },
      // Records from another system, kept as the FHIR resources they came as (external.ts): read-only.
      external: { type: 'values', check: checkExternal, maxEntries: externalBounds.maxPerChart }
    },
    maxBytes: 8 * 1024 * 1024
  },
  appointment: { roots: { appointment: record('appointment', appointmentRules), events: { type: 'log', check: checkEvent, maxItems: 200 } }, maxBytes: 512 * 1024 },
  request: { roots: { request: record('request', requestRules), attachments: { type: 'values', check: checkPhoto, maxEntries: photoBounds.maxPhotos } }, maxBytes: 4 * 1024 * 1024 },
  review: { roots: { review: record('review', reviewRules) }, maxBytes: 512 * 1024 },
  minutes: {
    roots: { minutes: { type: 'record', schema: minutesRecordSchema }, ...minutesTexts, signatures: { type: 'log', check: checkSignatureEntry, maxItems: maxSignatures } },
    maxBytes: 2 * 1024 * 1024
  },
  call: { roots: { call: record('call', callRules), rungs: { type: 'log', check: checkRung, maxItems: callBounds.maxRungs } }, maxBytes: callBounds.maxBytes },
  prescription: { roots: { prescription: record('prescription', prescriptionRules), signatures: { type: 'log', check: checkSignatureEntry, maxItems: maxSignatures } }, maxBytes: 256 * 1024 }
};

/** What a transaction did, as the check needs it: the types it changed (with keys) and the items it deleted. */
export type DocChange = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its shared types by their event type
  changed: Map<Y.AbstractType<any>, Set<string | null>>;
  deleted: Y.Item[];
};

/** Where a shared type sits in a document of the layout: a root by name, or an entry of a 'records' root. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
function placeOf(doc: Y.Doc, type: Y.AbstractType<any>): { root: string; entry?: string } | undefined {
  if (type.doc !== doc) return undefined;
  const item = type._item;
  if (!item) {
    for (const [name, t] of doc.share) if (t === type) return { root: name };
    return undefined;
  }
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType) || parent._item || item.parentSub === null) return undefined;
  for (const [name, t] of doc.share) if (t === parent) return { root: name, entry: item.parentSub };
  return undefined;
}

/**
 * The problems with a change to a document of `kind`, against its closed layout: unknown roots, nested types
 * where none belong, unknown fields, invalid values, required fields emptied, entries deleted from a log, and
 * counts over their bound. Empty when the change is acceptable.
 */
export function layoutProblems(doc: Y.Doc, kind: DocKind, change: DocChange, context: { before?: Fields; nowMs?: number } = {}): string[] {
  const layout = docLayouts[kind].roots;
  const problems: string[] = [];
  for (const name of doc.share.keys()) if (!Object.hasOwn(layout, name)) problems.push(`unknown root type "${name.slice(0, 40)}"`);

  const checkFields = (schema: Schema, map: Y.Map<unknown>, keys: Iterable<string | null>, where: string, keepRequired: boolean) => {
    for (const key of keys) {
      if (key === null) continue;
      if (!Object.hasOwn(schema, key)) {
        problems.push(`${where}${key.slice(0, 40)}: unknown_field`);
        continue;
      }
      const value = map.get(key);
      if (value === undefined) {
        if (keepRequired && schema[key]!.required) problems.push(`${where}${key}: required`);
        continue;
      }
      if (value instanceof Y.AbstractType) {
        problems.push(`${where}${key}: nested_type`);
        continue;
      }
      const errors = validatePatch(schema, { [key]: value });
      if (errors.length) problems.push(`${where}${key}: ${errors[0]!.code}`);
    }
  };

  /** A record of a 'records' root that is (now) completed must have what completion requires. */
  const checkCompletion = (root: Extract<RootLayout, { type: 'records' }>, entry: Y.Map<unknown>, where: string) => {
    if (!root.completion || entry.get('completedAt') === undefined) return;
    const missing = root.completion(readFields(entry), doc);
    if (missing.length) problems.push(`${where}: completed without ${missing.join(', ')}`);
  };

  /** The changed entries of a map root, each judged by `check`, and the root's count bound. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its shared types by their event type
  const checkEntries = (type: Y.AbstractType<any>, name: string, max: number, keys: Set<string | null>, check: (key: string, value: unknown) => string | undefined) => {
    if (!(type instanceof Y.Map)) {
      problems.push(`${name}: not a map`);
      return;
    }
    if (type.size > max) problems.push(`${name}: too_many`);
    for (const key of keys) {
      const value = key === null ? undefined : type.get(key);
      if (value === undefined) continue;
      const problem = check(key!, value);
      if (problem) problems.push(`${name}.${key!.slice(0, 40)}: ${problem}`);
    }
  };

  for (const [type, keys] of change.changed) {
    const place = placeOf(doc, type);
    const root = place && layout[place.root];
    if (!place || !root) {
      problems.push('a shared type outside the layout');
      continue;
    }
    if (place.entry !== undefined) {
      // Inside an entry: only the maps of a 'records' root have entries that are shared types.
      if (root.type !== 'records' || !(type instanceof Y.Map)) problems.push(`${place.root}: nested_type`);
      else {
        checkFields(root.schema, type, keys, `${place.root}.${place.entry}.`, false);
        if (keys.has('completedAt')) checkCompletion(root, type, `${place.root}.${place.entry}`);
      }
      continue;
    }
    switch (root.type) {
      case 'record':
        if (!(type instanceof Y.Map)) problems.push(`${place.root}: not a map`);
        else {
          checkFields(root.schema, type, keys, '', true);
          if (root.rules) problems.push(...root.rules(context.before ?? {}, readFields(type), context.nowMs ?? Date.now()));
        }
        break;
      case 'records':
        checkEntries(type, place.root, root.maxEntries, keys, (key, entry) => {
          if (!patterns.id.test(key) || !(entry instanceof Y.Map)) return 'not a record';
          // A record added in this change: its fields are inside a map the transaction created (not reported as changed).
          checkFields(root.schema, entry, entry.keys(), `${place.root}.${key}.`, false);
          checkCompletion(root, entry, `${place.root}.${key}`);
          return undefined;
        });
        break;
      case 'values':
        checkEntries(type, place.root, root.maxEntries, keys, (key, value) => (value instanceof Y.AbstractType ? 'nested_type' : root.check(key, value)));
        break;
      case 'log':
        if (!(type instanceof Y.Array)) {
          problems.push(`${place.root}: not a list`);
          break;
        }
        if (type.length > root.maxItems) problems.push(`${place.root}: too_many`);
        for (const value of type.toArray()) {
          const problem = value instanceof Y.AbstractType ? 'nested_type' : root.check(value);
          if (problem) {
            problems.push(`${place.root}: ${problem}`);
            break;
          }
        }
        break;
      case 'text': {
        if (!(type instanceof Y.Text)) {
          problems.push(`${place.root}: not a text`);
          break;
        }
        const problem = textProblem(type, root.max);
        if (problem) problems.push(`${place.root}: ${problem}`);
        break;
      }
    }
  }

  // Append-only logs: nothing in them is ever deleted.
  for (const item of change.deleted) {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) continue;
    const place = placeOf(doc, parent);
    if (place && place.entry === undefined && layout[place.root]?.type === 'log') {
      problems.push(`${place.root}: entries may only be appended`);
      break;
    }
  }
  return problems;
}

/** The layout of a document id's kind, or undefined for an id that is not a document's. */
export function layoutOf(docId: string): DocLayout | undefined {
  const kind = parseDocId(docId)?.kind;
  return kind ? docLayouts[kind] : undefined;
}
