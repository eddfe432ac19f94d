// Electronic prescriptions (M10, circular 27/2021/TT-BYT): the national prescription code, kept in this one place,
// and the rules a prescription follows (issued = never changed; a correction is a new prescription).
//
// The code (the national prescription system's connection guide, QĐ 808/QĐ-BYT): the facility's 5-character
// interconnection code, 7 random characters [0-9a-z], a dash and the prescription type (c, n, h, y), e.g.
// "15122k3x9q2m-c". It is made on the device, offline, and never reused in a facility: the device draws again
// while the code is one its unit already holds, and the server refuses a code another prescription holds
// (sync-server `prescription_codes`, kept even if the prescription were gone).
import { patterns, PrescriptionType, prescriptionItemSchema, prescriptionSchema } from './records';
import { sameValue, type Fields } from './documents';
import { validatePatch } from './schema';

export const prescriptionCodeAlphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
export const prescriptionCodeRandomLength = 7;
/** The whole code: facility code, random part, dash, type. The schema's pattern is this one. */
export const prescriptionCodePattern = prescriptionSchema.code.pattern;

export type PrescriptionCode = { facilityCode: string; random: string; type: PrescriptionType };

export function formatPrescriptionCode(c: PrescriptionCode): string {
  return `${c.facilityCode}${c.random}-${c.type}`;
}

export function parsePrescriptionCode(code: string): PrescriptionCode | undefined {
  if (!prescriptionCodePattern.test(code)) return undefined;
  return { facilityCode: code.slice(0, 5), random: code.slice(5, 12), type: code.slice(13) as PrescriptionType };
}

export type CodeProblem = 'no_facility_code' | 'exhausted';

/**
 * A new code for the facility: `random` draws uniformly in [0, 1) (crypto on the device, seeded in tests); a code
 * `taken` (one the unit already holds, issued or not) is drawn again, at most `attempts` times.
 */
export function newPrescriptionCode(
  facilityCode: string | null | undefined,
  type: PrescriptionType,
  random: () => number,
  taken: (code: string) => boolean,
  attempts = 100
): { ok: true; code: string } | { ok: false; problem: CodeProblem } {
  if (!facilityCode || !patterns.facilityCode.test(facilityCode)) return { ok: false, problem: 'no_facility_code' };
  for (let i = 0; i < attempts; i++) {
    let part = '';
    for (let k = 0; k < prescriptionCodeRandomLength; k++) part += prescriptionCodeAlphabet[Math.floor(random() * prescriptionCodeAlphabet.length)];
    const code = formatPrescriptionCode({ facilityCode, random: part, type });
    if (!taken(code)) return { ok: true, code };
  }
  return { ok: false, problem: 'exhausted' };
}

/** What a prescription still lacks to be issued: field names (an empty list: it may be issued). */
export function issueProblems(p: Fields): string[] {
  const problems: string[] = [];
  const items = Array.isArray(p.items) ? (p.items as Fields[]) : [];
  if (!items.length) problems.push('items');
  items.forEach((item, i) => {
    for (const [field, spec] of Object.entries(prescriptionItemSchema)) {
      if ('required' in spec && spec.required && (item[field] === undefined || item[field] === '')) problems.push(`items.${i}.${field}`);
    }
    for (const e of validatePatch(prescriptionItemSchema, item)) problems.push(`items.${i}.${e.field}`);
  });
  if (typeof p.prescriberName !== 'string' || !p.prescriberName.trim()) problems.push('prescriberName');
  if (typeof p.diagnosis !== 'string' || !p.diagnosis.trim()) problems.push('diagnosis');
  const code = typeof p.code === 'string' ? parsePrescriptionCode(p.code) : undefined;
  if (!code) problems.push('code');
  else if (code.type !== p.type) problems.push('code: type');
  return [...new Set(problems)];
}

/**
 * The server's rules for a change to a prescription (before → after): an issued prescription never changes, not
 * even to be un-issued; the code is fixed once set; issuing needs what `issueProblems` lists; a prescription does not
 * correct itself.
 */
export function prescriptionRules(before: Fields, after: Fields): string[] {
  if (before.issuedAt !== undefined) {
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !sameValue(before[k], after[k]));
    return changed.length ? [`${changed[0]}: issued (an issued prescription never changes; write a new one that replaces it)`] : [];
  }
  const problems: string[] = [];
  if (before.code !== undefined && after.code !== before.code) problems.push('code: fixed');
  if (after.issuedAt !== undefined) problems.push(...issueProblems(after).map((p) => `${p}: required to issue`));
  if (after.replacesId !== undefined && after.replacesId === after.id) problems.push('replacesId: itself');
  return problems;
}

/** "Kê lại đơn cũ": the drugs of an earlier prescription as new lines (without anything tied to the old one). */
export function repeatItems(previous: Fields | undefined): Fields[] {
  const items = Array.isArray(previous?.items) ? (previous.items as Fields[]) : [];
  return items.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => Object.hasOwn(prescriptionItemSchema, k))));
}

/** The prescription to repeat: the patient's last issued one (latest `issuedAt`), if any. */
export function lastIssued<T extends Fields>(prescriptions: readonly T[]): T | undefined {
  let last: T | undefined;
  for (const p of prescriptions) {
    if (typeof p.issuedAt !== 'string') continue;
    if (!last || Date.parse(p.issuedAt) > Date.parse(String(last.issuedAt))) last = p;
  }
  return last;
}

/** Where an issued prescription stands with the national prescription system (the server's outbox, its API's rows). */
export type NationalRxState = 'pending' | 'sent' | 'rejected';
export type NationalRxRow = {
  code: string;
  docId: string;
  unitId: string;
  patientId: string;
  state: NationalRxState;
  attempts: number;
  /** When it is tried next (pending). */
  nextAt: string;
  /** Why the last attempt failed, or the system's refusal in one line. */
  lastError: string | null;
  /** The system's field errors (rejected). */
  errors: { field: string; message: string }[];
  queuedAt: string;
  sentAt: string | null;
};
