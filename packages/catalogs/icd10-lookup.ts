// Checking and finding diagnoses against the ICD-10 catalog (M5): a main diagnosis may not be a code the
// Ministry's list forbids as main, nor a category that has more specific codes.
import { foldVietnamese } from '@telehealth/domain';
import { curatedIcd10 } from './icd10-curated';
import official from './data/icd10-official.json';
import { chapterOf, type Icd10Entry } from './icd10';

export type DiagnosisCheck = { ok: true; entry: Icd10Entry; warning?: 'discouraged_main' } | { ok: false; reason: 'unknown_code' | 'not_main' | 'more_specific' | 'sex_mismatch'; entry?: Icd10Entry };

export class Icd10Catalog {
  private readonly byCode: Map<string, Icd10Entry>;
  private readonly keys: { entry: Icd10Entry; key: string }[];

  constructor(readonly entries: readonly Icd10Entry[]) {
    this.byCode = new Map(entries.map((e) => [e.code, e]));
    this.keys = entries.map((entry) => ({ entry, key: `${entry.code.toLowerCase()} ${foldVietnamese(entry.nameVi)} ${entry.nameEn.toLowerCase()}` }));
  }

  get(code: string): Icd10Entry | undefined {
    return this.byCode.get(normalizeCode(code));
  }

  /** Checks a code as the main or a secondary diagnosis of a patient of the given sex. */
  check(code: string, as: 'main' | 'secondary', sex?: 'male' | 'female'): DiagnosisCheck {
    const entry = this.get(code);
    if (!entry) return { ok: false, reason: 'unknown_code' };
    if (entry.sex && sex && entry.sex !== sex) return { ok: false, reason: 'sex_mismatch', entry };
    if (entry.hasMoreSpecific) return { ok: false, reason: 'more_specific', entry };
    if (as === 'main' && (entry.notMain || entry.causeOfDeathOnly)) return { ok: false, reason: 'not_main', entry };
    if (as === 'main' && entry.discouragedMain) return { ok: true, entry, warning: 'discouraged_main' };
    return { ok: true, entry };
  }

  /** Codes by code prefix, or by words of the name (Vietnamese with or without diacritics, or English). */
  search(query: string, limit = 12): Icd10Entry[] {
    const q = query.trim();
    if (!q) return [];
    const code = normalizeCode(q);
    if (/^[A-Z]\d/.test(code)) return this.entries.filter((e) => e.code.startsWith(code) || e.code.replace('.', '').startsWith(code.replace('.', ''))).slice(0, limit);
    const words = foldVietnamese(q).split(/\s+/).filter(Boolean);
    return this.keys.filter(({ key }) => words.every((w) => key.includes(w))).slice(0, limit).map((k) => k.entry);
  }
}

/** "j06.9", "J069", " J06.9† " → "J06.9". */
export function normalizeCode(code: string): string {
  const c = code.trim().toUpperCase().replace(/[†*\s]/g, '');
  return /^[A-Z]\d{3,4}$/.test(c) ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

/** The catalog shipped with the app: the official list once imported (`--icd10`), else the curated set. */
export const icd10 = new Icd10Catalog((official.codes as Icd10Entry[]).length ? (official.codes as Icd10Entry[]) : curatedIcd10);
export const icd10Source: 'official' | 'curated' = official.codes.length ? 'official' : 'curated';

/** The ICD-10 catalog as the server publishes it to devices: a version (a digest of the entries) and the entries. */
export type Icd10Publication = { version: string; source: 'official' | 'curated'; entries: Icd10Entry[] };

/** Checks a published catalog received from the network: every entry a code in its chapter, with a Vietnamese name. */
export function readIcd10Publication(value: unknown): Icd10Publication | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.version !== 'string' || !/^[0-9a-f]{8,64}$/.test(v.version) || (v.source !== 'official' && v.source !== 'curated') || !Array.isArray(v.entries) || v.entries.length === 0) return undefined;
  const ok = v.entries.every((e: unknown) => {
    if (typeof e !== 'object' || e === null) return false;
    const x = e as Record<string, unknown>;
    return (
      typeof x.code === 'string' &&
      /^[A-Z]\d{2}(\.\d{1,2})?$/.test(x.code) &&
      x.chapter === chapterOf(x.code) &&
      typeof x.nameVi === 'string' &&
      x.nameVi.length > 0 &&
      typeof x.nameEn === 'string' &&
      ['notMain', 'discouragedMain', 'hasMoreSpecific', 'causeOfDeathOnly'].every((k) => typeof x[k] === 'boolean')
    );
  });
  return ok ? (value as Icd10Publication) : undefined;
}
