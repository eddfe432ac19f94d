// What an update may change inside a document, beyond "may this account write it": the document must keep to
// its kind's closed layout (packages/domain/layouts.ts: known root types, known fields with valid values,
// nested maps only where the layout has them, append-only logs, required fields that stay set, bounded counts
// and size), and a patient, who shares their appointment with the station, may only book, answer a proposed
// time or cancel (packages/domain/appointments.ts, checkPatientChange).
//
// The check applies the update to the document's current state, kept in memory for recently written
// documents (loaded from the log on first use, and fed every committed update, from this node or another), and
// looks at the fields the update changed. A refused update leaves the cached state behind: it is dropped and
// read again from the log next time.
import * as Y from 'yjs';
import { Role, appointmentState, checkPatientChange, docLayouts, layoutProblems, parseDocId, readFields, sameSignature, signedKinds, type DocChange, type DocKind, type SignatureEntry } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { LogRow, LogStorage } from '../storage/storage';
import type { UpdateShape } from './update-bounds';

export type ContentDecision =
  /**
   * `sent`: the update sends a consultation request (its chart opens to the upper unit); `withdrawn`: it withdraws a
   * sent one (the chart's grant is taken back); `lockable`: it changes the content of a kind that is signed, so it
   * commits only if no signature was accepted meanwhile (LogWrite.unlessSigned).
   */
  | { ok: true; sent?: boolean; withdrawn?: boolean; issued?: string; lockable?: boolean }
  | { ok: false; code: 'forbidden' | 'invalid_value' | 'bad_update' | 'record_too_large'; message: string };

/** A new Y.Doc with the root types of `kind` defined, so that updates land in typed maps and arrays, not placeholders. */
export function layoutDoc(kind: DocKind | undefined): Y.Doc {
  const doc = new Y.Doc();
  if (!kind) return doc;
  for (const [name, root] of Object.entries(docLayouts[kind].roots)) {
    if (root.type === 'log') doc.getArray(name);
    else if (root.type === 'text') doc.getText(name);
    else doc.getMap(name);
  }
  return doc;
}

/** A document's state now, from its rows of the log, with its kind's roots defined (`layoutDoc`). */
export function stateOf(docId: string, rows: readonly LogRow[]): Y.Doc {
  const doc = layoutDoc(parseDocId(docId)?.kind);
  if (rows.length) Y.applyUpdateV2(doc, Y.mergeUpdatesV2(rows.map((r) => r.data)));
  return doc;
}

/** A document's state now, read from the log (the caller destroys it). */
export async function readState(log: Pick<LogStorage, 'docHistory'>, docId: string): Promise<Y.Doc> {
  return stateOf(docId, await log.docHistory(docId, Number.MAX_SAFE_INTEGER));
}

export class DocStates {
  private readonly docs = new Map<string, Y.Doc>();
  /** Bytes of each cached document's log history: a document's size is bounded by its layout. */
  private readonly bytes = new Map<string, number>();

  constructor(
    private readonly history: (docId: string) => Promise<LogRow[]>,
    private readonly max = 500,
    /** The server's clock, for workflow rules about times (injected in tests). */
    private readonly now: () => number = Date.now,
    /** Takes a national prescription code for a document; answers the document that holds it (Storage). */
    private readonly claimCode?: (code: string, docId: string) => Promise<string>,
    /** The signatures the server accepted for a record of a signed kind (LogStorage.signatures). */
    private readonly signatures?: (docId: string) => Promise<SignatureEntry[]>
  ) {}

  private async load(docId: string): Promise<Y.Doc> {
    const hit = this.docs.get(docId);
    if (hit) {
      this.docs.delete(docId);
      this.docs.set(docId, hit);
      return hit;
    }
    // Define the record's roots before any update arrives: a root type first met in an update is a placeholder
    // object that getMap() replaces later, and a transaction would report changes on the placeholder.
    const rows = await this.history(docId);
    const doc = stateOf(docId, rows);
    // Another caller may have loaded it meanwhile: keep one copy.
    const raced = this.docs.get(docId);
    if (raced) {
      doc.destroy();
      return raced;
    }
    this.docs.set(docId, doc);
    this.bytes.set(docId, rows.reduce((n, r) => n + r.data.length, 0));
    if (this.docs.size > this.max) this.evict(this.docs.keys().next().value as string);
    return doc;
  }

  /** A committed update (from any node): cached states follow the log. */
  applyCommitted(docId: string, data: Uint8Array) {
    const doc = this.docs.get(docId);
    if (!doc) return;
    this.bytes.set(docId, (this.bytes.get(docId) ?? 0) + data.length);
    try {
      Y.applyUpdateV2(doc, data);
    } catch {
      this.evict(docId);
    }
  }

  evict(docId: string) {
    this.docs.get(docId)?.destroy();
    this.docs.delete(docId);
    this.bytes.delete(docId);
  }

  get size() {
    return this.docs.size;
  }

  /** Whether `update` (Yjs v2) is a change this account may make, with valid values. */
  async check(p: Principal, docId: string, update: Uint8Array, shape: UpdateShape, patientId: string, unitId?: string): Promise<ContentDecision> {
    const kind = parseDocId(docId)?.kind;
    if (!kind) return { ok: false, code: 'bad_update', message: 'not a document id' };
    // Roots are known from the update's structure: an unknown one is refused before anything is applied.
    const unknownRoots = [...shape.roots].filter((r) => !Object.hasOwn(docLayouts[kind].roots, r));
    if (unknownRoots.length) return { ok: false, code: 'bad_update', message: `unknown root type "${unknownRoots[0]!.slice(0, 40)}"` };
    let decision = await this.checkOnce(p, docId, kind, update, patientId, unitId);
    // The cached state may lag the log (another node committed and its notice is on the way): read it again once.
    if (decision === 'builds_on_unknown') decision = await this.checkOnce(p, docId, kind, update, patientId, unitId);
    // An update that builds on changes the server never accepted (a refused one) would be stored and never take
    // effect anywhere: it is refused too, and stays on the device that made it.
    return decision === 'builds_on_unknown'
      ? { ok: false, code: 'bad_update', message: 'builds on changes the server does not have (an earlier change to this record was refused)' }
      : decision;
  }

  /** The decision on the cached state, or 'builds_on_unknown' when the update needs changes that state lacks. */
  private async checkOnce(p: Principal, docId: string, kind: DocKind, update: Uint8Array, patientId: string, unitId?: string): Promise<ContentDecision | 'builds_on_unknown'> {
    // A request is sent only with the patient's consent on record in its form: the chart is read first.
    const chart = kind === 'request' ? await this.load(`patient:${patientId}`) : undefined;
    const doc = await this.load(docId);
    const size = (this.bytes.get(docId) ?? 0) + update.length;
    if (size > docLayouts[kind].maxBytes) {
      return { ok: false, code: 'record_too_large', message: `the record would hold ${size} bytes (at most ${docLayouts[kind].maxBytes})` };
    }
    const patientBooking = p.role === Role.patient && kind === 'appointment';
    const before = patientBooking && doc.store.clients.size > 0 ? appointmentState(doc) : undefined;
    const wasSent = kind === 'request' && doc.getMap(kind).get('sentAt') !== undefined;
    const wasWithdrawn = kind === 'request' && doc.getMap(kind).get('withdrawnAt') !== undefined;
    const beforeFields = readFields(doc.getMap(kind));
    const change: DocChange = { changed: new Map(), deleted: [] };
    const collect = (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) change.changed.set(type, new Set([...(change.changed.get(type) ?? []), ...keys]));
      Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
        if (struct instanceof Y.Item) change.deleted.push(struct);
      });
    };
    doc.on('afterTransaction', collect);
    let decision: ContentDecision | 'builds_on_unknown';
    try {
      Y.applyUpdateV2(doc, update);
      const problems = layoutProblems(doc, kind, change, { before: beforeFields, nowMs: this.now() });
      const sent = kind === 'request' && !wasSent && doc.getMap(kind).get('sentAt') !== undefined;
      const withdrawn = kind === 'request' && !wasWithdrawn && doc.getMap(kind).get('withdrawnAt') !== undefined;
      // A withdrawn request is final: any change to it (its photos too) is refused; a resent duplicate changes nothing.
      const changedWithdrawn = wasWithdrawn && (change.changed.size > 0 || change.deleted.length > 0);
      const verdict = patientBooking
        ? checkPatientChange(before, appointmentState(doc), p.userId)
        : changedWithdrawn
          ? ({ ok: false, reason: 'a withdrawn request changes no more' } as const)
          : sent && !withdrawn
            ? sendingVerdict(doc.getMap(kind), chart)
            : kind === 'call'
              ? callVerdict(readFields(doc.getMap(kind)), parseDocId(docId)?.id ?? '', patientId, unitId)
              : ({ ok: true } as const);
      decision =
        doc.store.pendingStructs || doc.store.pendingDs
          ? 'builds_on_unknown'
          : problems.length
            ? { ok: false, code: 'invalid_value', message: `invalid values: ${problems.slice(0, 5).join(', ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}` }
            : verdict.ok
              ? { ok: true, sent, withdrawn }
              : { ok: false, code: 'forbidden', message: verdict.reason };
    } catch (err) {
      decision = { ok: false, code: 'bad_update', message: `cannot apply the update: ${(err as Error).message}` };
    } finally {
      doc.off('afterTransaction', collect);
    }
    // A prescription's national code is its own in the whole system (it begins with the facility's code): the first
    // update that sets it takes it, and one that sets a code another prescription took is refused.
    const code = kind === 'prescription' ? doc.getMap(kind).get('code') : undefined;
    if (decision !== 'builds_on_unknown' && decision.ok && typeof code === 'string' && code !== beforeFields.code && this.claimCode) {
      const holder = await this.claimCode(code, docId);
      if (holder !== docId) decision = { ok: false, code: 'forbidden', message: `the prescription code ${code} is already used by another prescription` };
    }
    // The update that issues a prescription sends it to the national prescription system (its outbox row is written with it).
    if (decision !== 'builds_on_unknown' && decision.ok && typeof code === 'string' && beforeFields.issuedAt === undefined && doc.getMap(kind).get('issuedAt') !== undefined) {
      decision = { ...decision, issued: code };
    }
    if (decision !== 'builds_on_unknown' && decision.ok && (signedKinds as readonly string[]).includes(kind)) {
      decision = await this.signedVerdict(docId, doc, change, decision);
    }
    if (decision === 'builds_on_unknown' || !decision.ok) this.evict(docId);
    return decision;
  }

  /**
   * A signed record changes no more: only its `signatures` log grows, by the rows the server accepted (each once).
   * A change to an unsigned one's content is `lockable`: it commits only if no signature came first.
   */
  private async signedVerdict(docId: string, doc: Y.Doc, change: DocChange, decision: Extract<ContentDecision, { ok: true }>): Promise<ContentDecision> {
    const log = doc.getArray('signatures');
    const content = [...change.changed.keys()].some((type) => type !== log);
    const accepted = (await this.signatures?.(docId)) ?? [];
    if (content && accepted.length) return { ok: false, code: 'forbidden', message: 'a signed record changes no more; write a correction (a new version that replaces it)' };
    // Each entry is a row the server holds; two devices that append the same missing row at once both keep it (the
    // log is bounded, and readers count a version once: `signaturesOf`).
    if (change.changed.has(log)) {
      for (const value of log.toArray()) {
        const entry = value as SignatureEntry;
        const server = accepted.find((a) => a.version === entry.version);
        if (!server || !sameSignature(server, entry)) return { ok: false, code: 'forbidden', message: `signature ${entry.version} is not one the server accepted` };
      }
    }
    return content ? { ...decision, lockable: true } : decision;
  }
}

/**
 * A call log says what its metadata says: the unit that logs it, and its patient (none when the metadata names the
 * call itself, a call about no patient). The other unit's read access comes from the metadata, which the server
 * checked against the units' requests for this patient (access.ts).
 */
function callVerdict(call: Record<string, unknown>, callId: string, patientId: string, unitId: string | undefined): { ok: true } | { ok: false; reason: string } {
  if (unitId !== undefined && call.unitId !== undefined && call.unitId !== unitId) return { ok: false, reason: 'a call log is its own unit’s' };
  const patient = patientId === callId ? undefined : patientId;
  if (call.patientId !== undefined && call.patientId !== patient) return { ok: false, reason: 'a call log names the patient of its metadata' };
  return { ok: true };
}

/** A request may be sent when the form it comes from records the patient's consent (guideline 4.3.1: consent is mandatory). */
function sendingVerdict(request: Y.Map<unknown>, chart: Y.Doc | undefined): { ok: true } | { ok: false; reason: string } {
  const formId = request.get('formId');
  if (typeof formId !== 'string') return { ok: true };
  const form = chart?.getMap('forms').get(formId);
  if (!(form instanceof Y.Map) || form.get('consent') !== true) return { ok: false, reason: 'a request is sent only with the patient’s consent on record in its form' };
  return { ok: true };
}
