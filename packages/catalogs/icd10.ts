// ICD-10 as the Ministry lists it (circular 06/2026/TT-BYT, in force for encounters ending from 1 July 2026):
// the chapter structure, and a reader for the official list's CSV layout (shared/data/icd10/…schema…md).
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
 * Reads the official list: leading rows (column numbers, title, header, 1..29 numbering) are skipped up to
 * the first row whose code column holds a code; every data row is then checked and kept or rejected.
 */
export function readIcd10Table(rows: string[][]): ImportReport<Icd10Entry> {
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
