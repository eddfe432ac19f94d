// ICD-10 as the Ministry lists it (circular 06/2026/TT-BYT, in force for encounters ending from 1 July 2026):
// the chapter structure, readers for the list's two CSV layouts (the appendix's 29 columns, and the one-row-per-code
// file with named columns `stt,code,code_nodot,name_vi,…`), and the compact table the app ships.
import type { ImportReport, Rejection } from './communes';

/** The 22 chapters and their code ranges (WHO ICD-10 2019; chapter XXII as TT 06 extends it to U85). */
export const icd10Chapters = [
  ['I', 'A00', 'B99'], ['II', 'C00', 'D48'], ['III', 'D50', 'D89'], ['IV', 'E00', 'E90'], ['V', 'F00', 'F99'],
  ['VI', 'G00', 'G99'], ['VII', 'H00', 'H59'], ['VIII', 'H60', 'H95'], ['IX', 'I00', 'I99'], ['X', 'J00', 'J99'],
  ['XI', 'K00', 'K93'], ['XII', 'L00', 'L99'], ['XIII', 'M00', 'M99'], ['XIV', 'N00', 'N99'], ['XV', 'O00', 'O99'],
  ['XVI', 'P00', 'P96'], ['XVII', 'Q00', 'Q99'], ['XVIII', 'R00', 'R99'], ['XIX', 'S00', 'T98'], ['XX', 'V01', 'Y98'],
  ['XXI', 'Z00', 'Z99'], ['XXII', 'U00', 'U85']
] as const;

/** The chapter a code belongs to, by its first three characters; undefined outside every chapter. */
export function chapterOf(code: string): string | undefined {
  const head = code.slice(0, 3);
  return icd10Chapters.find(([, from, to]) => head >= from && head <= to)?.[0];
}

export type Icd10Entry = {
  /** With the dot, without the dagger or asterisk: "A00.0". */
  code: string;
  chapter: string;
  nameVi: string;
  nameEn: string;
  /** Mã không được dùng là bệnh chính. */
  notMain: boolean;
  /** Mã không khuyến khích dùng là bệnh chính. */
  discouragedMain: boolean;
  /** Mã không được sử dụng vì có mã 4 hoặc 5 ký tự cụ thể hơn. */
  hasMoreSpecific: boolean;
  /** Chỉ sử dụng mã hóa nguyên nhân tử vong. */
  causeOfDeathOnly: boolean;
  sex?: 'female' | 'male';
  /** † (etiology) or * (manifestation) in the official list. */
  mark?: 'dagger' | 'asterisk';
};

const codePattern = /^[A-Z]\d{2}(\.\d{1,2})?$/;
const clean = (cell: string | undefined) => (cell ?? '').replace(/\s+/g, ' ').trim();

/**
 * Reads the list in either layout: a first row starting `stt,code,code_nodot` is the named-column file, anything
 * else the appendix's 29-column layout.
 */
export function readIcd10Table(rows: string[][]): ImportReport<Icd10Entry> {
  return rows[0]?.[0]?.trim() === 'stt' && rows[0][1]?.trim() === 'code' ? readIcd10NamedTable(rows) : readIcd10AppendixTable(rows);
}

/**
 * Reads the appendix layout: leading rows (column numbers, title, header, 1..29 numbering) are skipped up to
 * the first row whose code column holds a code; every data row is then checked and kept or rejected.
 */
function readIcd10AppendixTable(rows: string[][]): ImportReport<Icd10Entry> {
  const start = rows.findIndex((r) => codePattern.test(clean(r[17]).replace(/[†*]/g, '')));
  if (start < 0) return { read: 0, accepted: [], rejected: [{ line: 1, reason: 'no row with an ICD-10 code in column 18' }] };
  const accepted: Icd10Entry[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  rows.slice(start).forEach((cells, i) => {
    const line = start + i + 1;
    const reject = (reason: string) => rejected.push({ line, reason });
    const raw = clean(cells[17]);
    const code = raw.replace(/[†*]/g, '').trim();
    if (!codePattern.test(code)) return reject(`column 18 is not an ICD-10 code: "${raw}"`);
    if (clean(cells[18]) !== code.replace('.', '')) return reject(`code ${code}: column 19 "${clean(cells[18])}" does not match`);
    if (seen.has(code)) return reject(`code ${code} appears twice`);
    const chapter = chapterOf(code);
    if (!chapter || chapter !== clean(cells[1])) return reject(`code ${code} is not in chapter ${clean(cells[1])}`);
    const nameVi = clean(cells[21]);
    if (!nameVi) return reject(`code ${code} has no Vietnamese name`);
    const flag = (col: number) => clean(cells[col]) !== '';
    seen.add(code);
    accepted.push({
      code,
      chapter,
      nameVi,
      nameEn: clean(cells[19]),
      notMain: flag(23),
      discouragedMain: flag(24),
      hasMoreSpecific: flag(25),
      causeOfDeathOnly: flag(26),
      ...(flag(27) ? { sex: 'female' as const } : flag(28) ? { sex: 'male' as const } : {}),
      ...(raw.includes('†') ? { mark: 'dagger' as const } : raw.includes('*') ? { mark: 'asterisk' as const } : {})
    });
  });
  return { read: rows.length - start, accepted, rejected };
}

const namedColumns = ['stt', 'code', 'code_nodot', 'name_vi', 'name_en', 'chapter', 'block', 'sub_block', 'not_main', 'not_recommended_main', 'more_specific_exists', 'mortality_only', 'female_only', 'male_only', 'dagger', 'asterisk'] as const;

/**
 * Reads the named-column layout (one code a row, flags as 0/1): every row is checked (code and its undotted
 * form, chapter, Vietnamese name, row numbers increasing, flags 0 or 1, not both sexes nor both marks).
 */
function readIcd10NamedTable(rows: string[][]): ImportReport<Icd10Entry> {
  const [header = [], ...data] = rows;
  const col = Object.fromEntries(namedColumns.map((name) => [name, header.findIndex((h) => h.trim() === name)])) as Record<(typeof namedColumns)[number], number>;
  const missing = namedColumns.filter((name) => col[name] < 0);
  if (missing.length) return { read: 0, accepted: [], rejected: [{ line: 1, reason: `the header lacks ${missing.join(', ')}` }] };
  const accepted: Icd10Entry[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let lastStt = 0;
  data.forEach((cells, i) => {
    const line = i + 2;
    const reject = (reason: string) => rejected.push({ line, reason });
    const cell = (name: (typeof namedColumns)[number]) => clean(cells[col[name]]);
    const code = cell('code');
    const stt = Number(cell('stt'));
    if (!Number.isInteger(stt) || stt <= lastStt) return reject(`row number "${cell('stt')}" does not follow ${lastStt}`);
    lastStt = stt;
    if (!codePattern.test(code)) return reject(`not an ICD-10 code: "${code}"`);
    if (cell('code_nodot') !== code.replace('.', '')) return reject(`code ${code}: code_nodot "${cell('code_nodot')}" does not match`);
    if (seen.has(code)) return reject(`code ${code} appears twice`);
    const chapter = chapterOf(code);
    if (!chapter || chapter !== cell('chapter')) return reject(`code ${code} is not in chapter ${cell('chapter')}`);
    const nameVi = cell('name_vi');
    if (!nameVi) return reject(`code ${code} has no Vietnamese name`);
    const flagNames = ['not_main', 'not_recommended_main', 'more_specific_exists', 'mortality_only', 'female_only', 'male_only', 'dagger', 'asterisk'] as const;
    const bad = flagNames.find((f) => cell(f) !== '0' && cell(f) !== '1');
    if (bad) return reject(`code ${code}: ${bad} must be 0 or 1, got "${cell(bad)}"`);
    const flag = (name: (typeof flagNames)[number]) => cell(name) === '1';
    if (flag('female_only') && flag('male_only')) return reject(`code ${code} is marked for both women and men`);
    if (flag('dagger') && flag('asterisk')) return reject(`code ${code} is marked both † and *`);
    seen.add(code);
    accepted.push({
      code,
      chapter,
      nameVi,
      nameEn: cell('name_en'),
      notMain: flag('not_main'),
      discouragedMain: flag('not_recommended_main'),
      hasMoreSpecific: flag('more_specific_exists'),
      causeOfDeathOnly: flag('mortality_only'),
      ...(flag('female_only') ? { sex: 'female' as const } : flag('male_only') ? { sex: 'male' as const } : {}),
      ...(flag('dagger') ? { mark: 'dagger' as const } : flag('asterisk') ? { mark: 'asterisk' as const } : {})
    });
  });
  return { read: data.length, accepted, rejected };
}

/**
 * The compact form the product ships (data/icd10-official.json): one array per code, `[code, nameVi, nameEn,
 * flags]`, the flags a bit set in the order of `icd10TableFlags`; the chapter follows from the code.
 */
export type Icd10Table = { effectiveFrom: string; source: string; version: string; flags: readonly string[]; codes: [string, string, string, number][] };
export const icd10TableFlags = ['notMain', 'discouragedMain', 'hasMoreSpecific', 'causeOfDeathOnly', 'female', 'male', 'dagger', 'asterisk'] as const;
const bit = (name: (typeof icd10TableFlags)[number]) => 1 << icd10TableFlags.indexOf(name);

export function icd10TableRows(entries: readonly Icd10Entry[]): Icd10Table['codes'] {
  return entries.map((e) => {
    const flags =
      (e.notMain ? bit('notMain') : 0) |
      (e.discouragedMain ? bit('discouragedMain') : 0) |
      (e.hasMoreSpecific ? bit('hasMoreSpecific') : 0) |
      (e.causeOfDeathOnly ? bit('causeOfDeathOnly') : 0) |
      (e.sex === 'female' ? bit('female') : e.sex === 'male' ? bit('male') : 0) |
      (e.mark === 'dagger' ? bit('dagger') : e.mark === 'asterisk' ? bit('asterisk') : 0);
    return [e.code, e.nameVi, e.nameEn, flags];
  });
}

/** The entries of a shipped table; throws on a table in another layout or a row that is not a code in its chapter. */
export function icd10FromTable(table: Pick<Icd10Table, 'flags' | 'codes'>): Icd10Entry[] {
  if (table.flags.join() !== icd10TableFlags.join()) throw new Error(`ICD-10 table: flags ${table.flags.join()} are not ${icd10TableFlags.join()}`);
  const chapters = new Map<string, string | undefined>();
  return table.codes.map(([code, nameVi, nameEn, flags]) => {
    const head = code.slice(0, 3);
    if (!chapters.has(head)) chapters.set(head, chapterOf(head));
    const chapter = chapters.get(head);
    if (!chapter || !nameVi || !codePattern.test(code)) throw new Error(`ICD-10 table: bad row ${code}`);
    const has = (name: (typeof icd10TableFlags)[number]) => (flags & bit(name)) !== 0;
    const entry: Icd10Entry = {
      code,
      chapter,
      nameVi,
      nameEn,
      notMain: has('notMain'),
      discouragedMain: has('discouragedMain'),
      hasMoreSpecific: has('hasMoreSpecific'),
      causeOfDeathOnly: has('causeOfDeathOnly')
    };
    if (has('female')) entry.sex = 'female';
    else if (has('male')) entry.sex = 'male';
    if (has('dagger')) entry.mark = 'dagger';
    else if (has('asterisk')) entry.mark = 'asterisk';
    return entry;
  });
}
