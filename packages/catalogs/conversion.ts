// The NSO conversion table between the communes in force from 1 July 2025 and the communes before (Bảng chuyển
// đổi ĐVHC mới–cũ): which new commune(s) an old commune went into, so that a record made before the reform can
// be placed after it (a partly merged old commune went into several new ones).
import type { ImportReport, Rejection } from './communes';

/** `oldCode` is empty for an old district without communes converted as a whole. */
export type ConversionRow = { newCode: string; oldCode: string; oldName: string; note: string; oldDistrictCode: string; oldProvinceCode: string };

const clean = (cell: string | undefined) => (cell ?? '').replace(/\s+/g, ' ').trim();
const codeIn = (cell: string) => /\((\d+)\)\s*$/.exec(cell)?.[1];

/**
 * Reads the table: two heading rows, province heading rows (no codes) and data rows. A data row needs a 5-digit
 * new code that is in `newCodes` (the commune table in force), a 5-digit old code, and the old district's code.
 */
export function readConversionTable(rows: string[][], newCodes: ReadonlySet<string>): ImportReport<ConversionRow> {
  const accepted: ConversionRow[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let read = 0;
  rows.forEach((cells, i) => {
    const line = i + 1;
    const [, newName, newCode, oldName, oldCode, note, district, province] = cells.map(clean);
    if (!newCode && !oldCode) return; // headings and province rows
    if (i < 2 && !/^\d+$/.test(newCode ?? '')) return;
    read++;
    const reject = (reason: string) => rejected.push({ line, reason });
    if (!/^\d{5}$/.test(newCode ?? '')) return reject(`new commune code "${newCode}" is not 5 digits`);
    if (!newCodes.has(newCode!)) return reject(`new commune ${newCode} (${newName}) is not in the commune table in force`);
    const oldDistrictCode = codeIn(district ?? '');
    const oldProvinceCode = codeIn(province ?? '');
    if (!oldDistrictCode || !oldProvinceCode) return reject(`old district or province without its code: "${district}", "${province}"`);
    // An island district without communes (Bạch Long Vĩ, Cồn Cỏ…) became a special zone as a whole: no old commune code.
    if (oldCode !== '' && !/^\d{5}$/.test(oldCode ?? '')) return reject(`old commune code "${oldCode}" is not 5 digits`);
    const key = `${oldCode}>${newCode}`;
    if (seen.has(key)) return reject(`old commune ${oldCode} into ${newCode} appears twice`);
    seen.add(key);
    accepted.push({ newCode: newCode!, oldCode: oldCode!, oldName: oldName ?? '', note: note ?? '', oldDistrictCode: oldDistrictCode.padStart(3, '0'), oldProvinceCode: oldProvinceCode.padStart(2, '0') });
  });
  return { read, accepted, rejected };
}

/** The shipped form: old commune code → the new commune codes it went into; a whole old district without communes → its new unit. */
export function conversionCatalog(rows: ConversionRow[]) {
  const oldToNew: Record<string, string[]> = {};
  const oldDistrictToNew: Record<string, string> = {};
  for (const r of rows) {
    if (r.oldCode) (oldToNew[r.oldCode] ??= []).push(r.newCode);
    else oldDistrictToNew[r.oldDistrictCode] = r.newCode;
  }
  return { effectiveFrom: '2025-07-01', oldToNew, oldDistrictToNew };
}
