// Checking and finding diagnoses against the ICD-10 catalog (M5): a main diagnosis may not be a code the
// Ministry's list forbids as main, nor a category that has more specific codes.
// The catalog itself (15,844 codes) is data: the server and tests take it from `./icd10-official`, the app fetches
// it on first need (`icd10DataUrl`), so this module stays small.
import { foldVietnamese } from '@telehealth/domain';
import { chapterOf, type Icd10Entry } from './icd10';

export type DiagnosisCheck = { ok: true; entry: Icd10Entry; warning?: 'discouraged_main' } | { ok: false; reason: 'unknown_code' | 'not_main' | 'more_specific' | 'sex_mismatch'; entry?: Icd10Entry };

export class Icd10Catalog {
  private readonly byCode: Map<string, Icd10Entry>;
  /**
   * Per entry: the code without its dot, and the words of the Vietnamese name and of everything (code, names),
   * folded (no diacritics, lower case, punctuation as spaces) and padded with a space on each side.
   */
  #keys: { entry: Icd10Entry; bare: string; vi: string; all: string }[] | undefined;

  constructor(readonly entries: readonly Icd10Entry[]) {
    this.byCode = new Map(entries.map((e) => [e.code, e]));
  }

  /**
   * Builds the search index (≈ 0.2 s of CPU for the whole list, BENCHMARKS.md), which `get` and `check` do not
   * need; the first search does it otherwise. The app calls it when idle after loading, before anyone types.
   */
  prepareSearch(): void {
    this.#keys ??= this.entries.map((entry) => {
      const vi = words(entry.nameVi);
      return { entry, bare: entry.code.replace('.', ''), vi: ` ${vi} `, all: ` ${entry.code.toLowerCase()} ${vi} ${words(entry.nameEn)} ` };
    });
  }

  private get keys() {
    this.prepareSearch();
    return this.#keys!;
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

  /**
   * Codes by code prefix (with or without the dot), or by words of the name: Vietnamese with or without
   * diacritics, or English; every word typed must begin a word of the entry. First the names that begin with the
   * words typed (after "Bệnh"), then those that hold them as a phrase, then the rest; each group in the list's
   * order (a category before its subdivisions). Typed with diacritics, names with those diacritics come first.
   */
  search(query: string, limit = 12): Icd10Entry[] {
    const q = query.trim();
    if (!q) return [];
    const code = normalizeCode(q).replace('.', '');
    if (/^[A-Z]\d/.test(code)) {
      const found: Icd10Entry[] = [];
      for (const k of this.keys) if (k.bare.startsWith(code) && found.push(k.entry) >= limit) break;
      return found;
    }
    const phrase = words(q);
    if (!phrase) return [];
    const starts = phrase.split(' ').map((w) => ` ${w}`);
    const [head, afterBenh, whole, begun] = [` ${phrase} `, ` benh ${phrase} `, ` ${phrase} `, ` ${phrase}`];
    // Typed with diacritics: names written that way come before those that only match without them ("ho" / "hở").
    const typed = q.toLowerCase().normalize('NFC');
    const exactFirst = typed !== phrase;
    const groups: Icd10Entry[][] = [[], [], [], [], [], []];
    for (const k of this.keys) {
      if (!starts.every((w) => k.all.includes(w))) continue;
      const rank = k.vi.startsWith(head) || k.vi.startsWith(afterBenh) ? 0 : k.vi.includes(whole) || k.vi.includes(begun) ? 1 : 2;
      const group = groups[exactFirst && !k.entry.nameVi.toLowerCase().includes(typed) ? rank + 3 : rank]!;
      if (group.length < limit) group.push(k.entry);
      if (groups[0]!.length >= limit) break;
    }
    return groups.flat().slice(0, limit);
  }
}

/** Words folded for search: no diacritics, lower case, anything but letters and digits as one space. */
function words(text: string): string {
  return foldVietnamese(text).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** "j06.9", "J069", " J06.9† " → "J06.9". */
export function normalizeCode(code: string): string {
  const c = code.trim().toUpperCase().replace(/[†*\s]/g, '');
  return /^[A-Z]\d{3,4}$/.test(c) ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

/**
 * The ICD-10 catalog as the server publishes it to devices: a version (a digest of the list, the same as the
 * shipped table's), and the entries. `curated` is what servers before the official list published.
 */
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
