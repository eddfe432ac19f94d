// Electronic prescriptions on the device (M10): one document per prescription, written by the station that owns the
// chart, offline as well as online. A prescription is a draft until it is issued: issuing draws the national code on
// the device (never one the unit already holds) and stamps it with the time, in one change; from then on nothing in
// it changes (the server refuses it: packages/domain/prescriptions.ts). A correction is a new prescription that names
// the old one; "kê lại đơn cũ" starts one with the drugs of the patient's last issued prescription.
import type * as Y from 'yjs';
import {
  PrescriptionType,
  docId,
  issueProblems,
  lastIssued,
  mainRecord,
  newPrescriptionCode,
  readFields,
  repeatItems,
  writeFields,
  type CodeProblem,
  type Fields
} from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import { nowIso } from './dates';
import type { PrescriptionRow } from './rows';

export const prescriptionDocId = (id: string) => docId('prescription', id);

/** Uniform in [0, 1) from the platform's cryptographic source: a code must not be guessable from the ones before. */
export const cryptoRandom = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

/** The names of patients on this device, by id (for lists of prescriptions). */
export async function patientNames(ids: readonly string[]): Promise<Map<string, string>> {
  const engine = sync.engine;
  if (!engine) return new Map();
  const rows = await engine.db.patients.bulkGet([...new Set(ids)]);
  return new Map(rows.flatMap((r) => (r ? [[r.id, r.fullName] as const] : [])));
}

export type NewPrescription = {
  patientId: string;
  formId?: string;
  minutesId?: string;
  diagnosis?: string;
  icds?: string[];
  prescriberName?: string;
  /** A correction: the issued prescription this one replaces (its type and drugs are copied). */
  replaces?: Fields;
  /** "Kê lại đơn cũ": the prescription whose drugs to repeat. */
  repeat?: Fields;
};

/** Starts a prescription (stored and queued at once, offline too); returns its id. Station staff only. */
export async function startPrescription(input: NewPrescription): Promise<string> {
  const engine = sync.engine;
  const user = session.user;
  if (!engine || !user?.unitId || user.role !== 'station_worker') throw new Error('only a station’s staff prescribe');
  const id = crypto.randomUUID();
  const at = nowIso();
  const from = input.replaces ?? input.repeat;
  const fields = {
    id,
    patientId: input.patientId,
    unitId: user.unitId,
    type: typeof input.replaces?.type === 'string' ? input.replaces.type : PrescriptionType.ordinary,
    formId: input.formId,
    minutesId: input.minutesId,
    diagnosis: input.diagnosis ?? (typeof from?.diagnosis === 'string' ? from.diagnosis : undefined),
    icds: input.icds?.length ? input.icds : Array.isArray(from?.icds) ? from.icds : undefined,
    items: from ? repeatItems(from) : undefined,
    advice: typeof input.replaces?.advice === 'string' ? input.replaces.advice : undefined,
    prescriberName: input.prescriberName ?? user.displayName,
    replacesId: typeof input.replaces?.id === 'string' ? input.replaces.id : undefined,
    createdAt: at,
    createdBy: user.id
  };
  const rxDocId = prescriptionDocId(id);
  const doc = await engine.openDoc(rxDocId, { kind: 'prescription', unitId: user.unitId, patientId: input.patientId });
  try {
    writeFields(mainRecord(doc, 'prescription'), fields);
  } finally {
    await engine.closeDoc(rxDocId);
  }
  return id;
}

export type IssueResult = { ok: true; code: string } | { ok: false; problem: CodeProblem } | { ok: false; missing: string[] };

/**
 * Issues the open prescription: a code for the unit's facility that none of `taken` is, checked with everything the
 * circular requires, then the code and the time in one change. Nothing is written when something is missing.
 */
export function issuePrescription(doc: Y.Doc, facilityCode: string | null | undefined, taken: ReadonlySet<string>, random = cryptoRandom, at = nowIso()): IssueResult {
  const map = mainRecord(doc, 'prescription');
  const fields = readFields(map);
  if (fields.issuedAt !== undefined && typeof fields.code === 'string') return { ok: true, code: fields.code };
  const type = Object.values(PrescriptionType).find((v) => v === fields.type) ?? PrescriptionType.ordinary;
  const made = typeof fields.code === 'string' ? ({ ok: true, code: fields.code } as const) : newPrescriptionCode(facilityCode, type, random, (c) => taken.has(c));
  if (!made.ok) return made;
  const missing = issueProblems({ ...fields, type, code: made.code });
  if (missing.length) return { ok: false, missing };
  writeFields(map, { type, code: made.code, issuedAt: at, updatedAt: at });
  return { ok: true, code: made.code };
}

/** The codes the unit holds on this device: a new one is never one of them. */
export const takenCodes = (rows: readonly PrescriptionRow[]) => new Set(rows.flatMap((r) => (r.fields.code ? [r.fields.code] : [])));

/** The patient's last issued prescription other than `exceptId`: what "kê lại đơn cũ" repeats. */
export function lastIssuedOf(rows: readonly PrescriptionRow[], patientId: string, exceptId?: string): PrescriptionRow | undefined {
  const candidates = rows.filter((r) => r.patientId === patientId && r.id !== exceptId);
  const last = lastIssued(candidates.map((r) => r.fields));
  return candidates.find((r) => r.fields === last);
}
