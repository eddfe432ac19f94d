// What an update may change inside a document, beyond "may this account write it": the values of the record
// fields it changes must be valid for their schema (a pulse is a whole number in range, a date a date…), and a
// patient, who shares their appointment with the station, may only book, answer a proposed time or cancel
// (packages/domain/appointments.ts, checkPatientChange).
//
// The check applies the update to the document's current state, kept in memory for recently written
// documents (loaded from the log on first use, and fed every committed update, from this node or another), and
// looks at the fields the update changed. A refused update leaves the cached state behind: it is dropped and
// read again from the log next time.
import * as Y from 'yjs';
import {
  Role,
  appointmentState,
  chartForms,
  checkPatientChange,
  parseDocId,
  recordSchemas,
  teleconsultationFormSchema,
  validatePatch,
  type DocKind,
  type Schema
} from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { LogRow } from '../storage/storage';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its shared types by their event type
type SharedType = Y.AbstractType<any>;

export type ContentDecision = { ok: true } | { ok: false; code: 'forbidden' | 'invalid_value' | 'bad_update'; message: string };

/** Invalid values among the fields an update changed: "pulse: out_of_range". Unknown fields are not judged here. */
function invalidFields(doc: Y.Doc, kind: DocKind, changed: Map<SharedType, Set<string | null>>): string[] {
  const main = doc.getMap(kind);
  const forms = kind === 'patient' ? chartForms(doc) : undefined;
  const problems: string[] = [];
  const check = (schema: Schema, map: Y.Map<unknown>, keys: Iterable<string | null>) => {
    for (const key of keys) {
      if (key === null || !Object.hasOwn(schema, key)) continue;
      const value: unknown = map.get(key);
      if (value === undefined) continue;
      const errors = validatePatch(schema, { [key]: value });
      if (errors.length) problems.push(`${key}: ${errors[0]!.code}`);
    }
  };
  for (const [type, keys] of changed) {
    if (!(type instanceof Y.Map)) continue;
    if (type === main) check(recordSchemas[kind], type, keys);
    // A form added in this update: its fields are inside a map the transaction created (not reported as changed).
    else if (forms && type === forms) {
      for (const key of keys) {
        const form = key === null ? undefined : forms.get(key);
        if (form instanceof Y.Map) check(teleconsultationFormSchema, form, form.keys());
      }
    } else if (forms && type.parent === forms) check(teleconsultationFormSchema, type, keys);
  }
  return problems;
}

export class DocStates {
  private readonly docs = new Map<string, Y.Doc>();

  constructor(
    private readonly history: (docId: string) => Promise<LogRow[]>,
    private readonly max = 500
  ) {}

  private async load(docId: string): Promise<Y.Doc> {
    const hit = this.docs.get(docId);
    if (hit) {
      this.docs.delete(docId);
      this.docs.set(docId, hit);
      return hit;
    }
    const doc = new Y.Doc();
    // Define the record's maps before any update arrives: a root type first met in an update is a placeholder
    // object that getMap() replaces later, and a transaction would report changes on the placeholder.
    const kind = parseDocId(docId)?.kind;
    if (kind) doc.getMap(kind);
    if (kind === 'patient') chartForms(doc);
    const rows = await this.history(docId);
    if (rows.length) Y.applyUpdateV2(doc, Y.mergeUpdatesV2(rows.map((r) => r.data)));
    // Another caller may have loaded it meanwhile: keep one copy.
    const raced = this.docs.get(docId);
    if (raced) {
      doc.destroy();
      return raced;
    }
    this.docs.set(docId, doc);
    if (this.docs.size > this.max) this.evict(this.docs.keys().next().value as string);
    return doc;
  }

  /** A committed update (from any node): cached states follow the log. */
  applyCommitted(docId: string, data: Uint8Array) {
    const doc = this.docs.get(docId);
    if (!doc) return;
    try {
      Y.applyUpdateV2(doc, data);
    } catch {
      this.evict(docId);
    }
  }

  evict(docId: string) {
    this.docs.get(docId)?.destroy();
    this.docs.delete(docId);
  }

  get size() {
    return this.docs.size;
  }

  /** Whether `update` (Yjs v2) is a change this account may make, with valid values. */
  async check(p: Principal, docId: string, update: Uint8Array): Promise<ContentDecision> {
    let decision = await this.checkOnce(p, docId, update);
    // The cached state may lag the log (another node committed and its notice is on the way): read it again once.
    if (decision === 'builds_on_unknown') decision = await this.checkOnce(p, docId, update);
    // An update that builds on changes the server never accepted (a refused one) would be stored and never take
    // effect anywhere: it is refused too, and stays on the device that made it.
    return decision === 'builds_on_unknown'
      ? { ok: false, code: 'bad_update', message: 'builds on changes the server does not have (an earlier change to this record was refused)' }
      : decision;
  }

  /** The decision on the cached state, or 'builds_on_unknown' when the update needs changes that state lacks. */
  private async checkOnce(p: Principal, docId: string, update: Uint8Array): Promise<ContentDecision | 'builds_on_unknown'> {
    const kind = parseDocId(docId)?.kind;
    if (!kind) return { ok: false, code: 'bad_update', message: 'not a document id' };
    const doc = await this.load(docId);
    const patientBooking = p.role === Role.patient && kind === 'appointment';
    const before = patientBooking && doc.store.clients.size > 0 ? appointmentState(doc) : undefined;
    const changed = new Map<SharedType, Set<string | null>>();
    const collect = (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) changed.set(type, new Set([...(changed.get(type) ?? []), ...keys]));
    };
    doc.on('afterTransaction', collect);
    let decision: ContentDecision | 'builds_on_unknown';
    try {
      Y.applyUpdateV2(doc, update);
      const problems = invalidFields(doc, kind, changed);
      const verdict = patientBooking ? checkPatientChange(before, appointmentState(doc), p.userId) : ({ ok: true } as const);
      decision =
        doc.store.pendingStructs || doc.store.pendingDs
          ? 'builds_on_unknown'
          : problems.length
            ? { ok: false, code: 'invalid_value', message: `invalid values: ${problems.join(', ')}` }
            : verdict.ok
              ? verdict
              : { ok: false, code: 'forbidden', message: verdict.reason };
    } catch (err) {
      decision = { ok: false, code: 'bad_update', message: `cannot apply the update: ${(err as Error).message}` };
    } finally {
      doc.off('afterTransaction', collect);
    }
    if (decision === 'builds_on_unknown' || !decision.ok) this.evict(docId);
    return decision;
  }
}
