// The ICD-10 list readers on the layouts of circular 06/2026: codes checked against the chapter structure, flags
// read, bad rows named with their line; the import command; the shipped table is the official list.
// The default lane reads a cut of the list (test-fixtures/icd10_tt06_cut.csv, 289 codes: test-fixtures/README.md);
// CATALOG_SOURCE_DATA=<folder with admin/ and icd10/> also imports the whole file and compares it with the shipped one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chapterOf, icd10FromTable, icd10TableFlags, icd10TableRows, readIcd10Table, type Icd10Table } from './icd10';
import { icd10, icd10Shipped } from './icd10-official';
import { parseCsv } from './csv';
import shippedTable from './data/icd10-official.json';
import shippedMeta from './data/icd10-official.meta.json';

const cut = fileURLToPath(new URL('./test-fixtures/icd10_tt06_cut.csv', import.meta.url));
const cutRows = () => parseCsv(readFileSync(cut, 'utf8'));
const sourceData = process.env.CATALOG_SOURCE_DATA;

/** A row of the official CSV: 29 columns, the ones used filled. */
function row(cells: Record<number, string>): string[] {
  return Array.from({ length: 29 }, (_, i) => cells[i + 1] ?? '');
}
const data = (chapter: string, code: string, vi: string, en: string, flags: Record<number, string> = {}) =>
  row({ 2: chapter, 18: code, 19: code.replace(/[†*]/g, '').replace('.', '').trim(), 20: en, 22: vi, ...flags });

const table = [
  Array.from({ length: 29 }, (_, i) => String(i)),
  ['Phụ lục'],
  row({ 1: 'STT', 18: 'MÃ', 22: 'TÊN BỆNH' }),
  Array.from({ length: 29 }, (_, i) => String(i + 1)),
  data('I', 'A00', 'Bệnh tả', 'Cholera', { 26: 'A00' }),
  data('I', 'A00.0', 'Bệnh tả do vi khuẩn Vibrio cholerae 01, típ sinh học cholerae', 'Cholera due to Vibrio cholerae 01, biovar cholerae'),
  data('VI', 'G01*', 'Viêm màng não trong bệnh nhiễm khuẩn phân loại nơi khác', 'Meningitis in bacterial diseases classified elsewhere', { 24: 'G01' }),
  data('XV', 'O80', 'Đẻ thường một thai', 'Single spontaneous delivery', { 28: 'O80' }),
  data('XXII', 'U13/9', 'Lỗi nguồn', 'Source error'),
  data('X', 'A09', 'Sai chương', 'Wrong chapter'),
  data('I', 'A00.1', '', 'No Vietnamese name'),
  data('I', 'A00.0', 'Lặp', 'Duplicate')
];

describe('ICD-10 list', () => {
  it('places codes in their chapters', () => {
    expect(chapterOf('A09')).toBe('I');
    expect(chapterOf('D50.0')).toBe('III');
    expect(chapterOf('H65')).toBe('VIII');
    expect(chapterOf('T14.9')).toBe('XIX');
    expect(chapterOf('U07.1')).toBe('XXII');
    expect(chapterOf('W99')).toBe('XX');
  });

  it('reads the official layout with its flags, and names every bad row', () => {
    const report = readIcd10Table(table);
    expect(report.read).toBe(8);
    expect(report.accepted.map((e) => e.code)).toEqual(['A00', 'A00.0', 'G01', 'O80']);
    expect(report.accepted[0]).toMatchObject({ hasMoreSpecific: true, notMain: false, chapter: 'I' });
    expect(report.accepted[2]).toMatchObject({ notMain: true, mark: 'asterisk' });
    expect(report.accepted[3]).toMatchObject({ sex: 'female' });
    expect(report.rejected).toEqual([
      { line: 9, reason: 'column 18 is not an ICD-10 code: "U13/9"' },
      { line: 10, reason: 'code A09 is not in chapter X' },
      { line: 11, reason: 'code A00.1 has no Vietnamese name' },
      { line: 12, reason: 'code A00.0 appears twice' }
    ]);
  });
});

describe('the TT 06 list in its one-code-a-row layout', () => {
  it('reads every row of a cut of the list with its flags and marks', () => {
    const report = readIcd10Table(cutRows());
    expect([report.read, report.accepted.length, report.rejected]).toEqual([289, 289, []]);
    const get = (code: string) => report.accepted.find((e) => e.code === code);
    expect(get('A00')).toEqual({ code: 'A00', chapter: 'I', nameVi: 'Bệnh tả', nameEn: 'Cholera', notMain: false, discouragedMain: false, hasMoreSpecific: true, causeOfDeathOnly: false });
    expect(get('A00.0')?.nameVi).toBe('Bệnh tả do vi khuẩn Vibrio cholerae 01, típ sinh học cholerae');
    expect(get('A18.0')).toMatchObject({ mark: 'dagger', notMain: false });
    expect(get('G01')).toMatchObject({ mark: 'asterisk', notMain: true, chapter: 'VI' });
    expect(get('I69.3')).toMatchObject({ discouragedMain: true });
    expect(get('O96.0')).toMatchObject({ causeOfDeathOnly: true, sex: 'female' });
    expect(get('N40')).toMatchObject({ sex: 'male' });
    expect(get('B18.00')).toMatchObject({ chapter: 'I' });
    expect(get('U13.9')).toMatchObject({ chapter: 'XXII' });
    expect(get('L98.7')?.nameEn).toBe('');
    expect(new Set(report.accepted.map((e) => e.chapter)).size).toBe(22);
  });

  it('names every bad row with its line and reason', () => {
    const [header, ...rows] = cutRows();
    const a000 = rows.find((r) => r[1] === 'A00.0')!;
    const edit = (stt: number, changes: Record<number, string>) => a000.map((cell, i) => (i === 0 ? String(stt) : (changes[i] ?? cell)));
    const report = readIcd10Table([
      header!,
      edit(2, {}),
      edit(3, { 1: 'A00.0.1' }),
      edit(4, { 1: 'A00.1', 2: 'A009' }),
      edit(5, { 1: 'A00.1', 2: 'A001', 5: 'II' }),
      edit(6, { 1: 'A00.1', 2: 'A001', 3: ' ' }),
      edit(7, {}),
      edit(8, { 1: 'A00.1', 2: 'A001', 8: 'x' }),
      edit(9, { 1: 'A00.1', 2: 'A001', 12: '1', 13: '1' }),
      edit(9, { 1: 'A00.9', 2: 'A009' })
    ]);
    expect(report.read).toBe(9);
    expect(report.accepted.map((e) => e.code)).toEqual(['A00.0']);
    expect(report.rejected).toEqual([
      { line: 3, reason: 'not an ICD-10 code: "A00.0.1"' },
      { line: 4, reason: 'code A00.1: code_nodot "A009" does not match' },
      { line: 5, reason: 'code A00.1 is not in chapter II' },
      { line: 6, reason: 'code A00.1 has no Vietnamese name' },
      { line: 7, reason: 'code A00.0 appears twice' },
      { line: 8, reason: 'code A00.1: not_main must be 0 or 1, got "x"' },
      { line: 9, reason: 'code A00.1 is marked for both women and men' },
      { line: 10, reason: 'row number "9" does not follow 9' }
    ]);
    expect(readIcd10Table([['stt', 'code', 'name_vi']]).rejected[0]!.reason).toMatch(/^the header lacks code_nodot, name_en, chapter/);
  });

  it('ships compact (an array a code, flags as bits) and reads back the same entries', () => {
    const { accepted } = readIcd10Table(cutRows());
    const codes = icd10TableRows(accepted);
    expect(codes.find(([code]) => code === 'G01')).toEqual(['G01', 'Bệnh viêm màng não do bệnh nhiễm khuẩn phân loại mục khác', 'Meningitis in bacterial diseases classified elsewhere', 0b1000_0001]);
    expect(icd10FromTable({ flags: icd10TableFlags, codes })).toEqual(accepted);
    expect(() => icd10FromTable({ flags: ['notMain'], codes })).toThrow(/flags/);
    expect(() => icd10FromTable({ flags: icd10TableFlags, codes: [['A99.9.9', 'x', 'x', 0]] })).toThrow(/bad row/);
  });

  it('ships the whole list of circular 06/2026 with the official Vietnamese names and flags', () => {
    expect(icd10.entries).toHaveLength(15_844);
    expect(icd10Shipped).toEqual({ effectiveFrom: '2026-07-01', source: 'icd10_vn_tt06_2026.csv', version: shippedMeta.version, count: 15_844 });
    expect(shippedMeta).toEqual({ effectiveFrom: '2026-07-01', version: shippedTable.version, count: 15_844 });
    // Every code of the cut is shipped exactly as the import reads it from the official file.
    for (const e of readIcd10Table(cutRows()).accepted) expect(icd10.get(e.code)).toEqual(e);
    expect(icd10.entries.filter((e) => e.mark === 'dagger')).toHaveLength(111);
    expect(icd10.entries.filter((e) => e.mark === 'asterisk')).toHaveLength(807);
    expect(icd10.entries.filter((e) => e.notMain)).toHaveLength(2_427);
    expect(icd10.entries.filter((e) => e.hasMoreSpecific)).toHaveLength(2_119);
  });

  it.runIf(sourceData)('imports the whole list and ships exactly it (CATALOG_SOURCE_DATA)', () => {
    const report = readIcd10Table(parseCsv(readFileSync(path.join(sourceData!, 'icd10/icd10_vn_tt06_2026.csv'), 'utf8')));
    expect([report.read, report.rejected]).toEqual([15_844, []]);
    expect(icd10TableRows(report.accepted)).toEqual((shippedTable as unknown as Icd10Table).codes);
  });
});

describe('npm run catalog:import -- --icd10', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bin/import.ts', import.meta.url)), ...args], { encoding: 'utf8' });

  it('reports its counts and writes the compact table with its version, and the small header file', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const result = run(['--icd10', cut, '--out', out]);
    expect(result.stdout).toContain('icd10: 289 rows read, 289 accepted, 0 rejected');
    expect(result.status).toBe(0);
    const table = JSON.parse(readFileSync(path.join(out, 'icd10-official.json'), 'utf8')) as Icd10Table;
    const meta = JSON.parse(readFileSync(path.join(out, 'icd10-official.meta.json'), 'utf8'));
    expect([table.source, table.effectiveFrom, table.codes.length]).toEqual(['icd10_tt06_cut.csv', '2026-07-01', 289]);
    expect(table.version).toMatch(/^[0-9a-f]{16}$/);
    expect(table.version).not.toBe(shippedTable.version);
    expect(meta).toEqual({ effectiveFrom: '2026-07-01', version: table.version, count: 289 });
    expect(icd10FromTable(table)).toEqual(readIcd10Table(cutRows()).accepted);
  });

  it('changes nothing and says why for a list with a bad row', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const bad = path.join(out, 'bad.csv');
    const lines = readFileSync(cut, 'utf8').split('\n');
    writeFileSync(bad, [...lines.slice(0, 3), lines[3]!.replace(',A00.1,', ',A00.1x,')].join('\n'));
    const result = run(['--icd10', bad, '--out', out]);
    expect(result.stdout).toContain('icd10: 3 rows read, 2 accepted, 1 rejected');
    expect(result.stdout).toContain('line 4: not an ICD-10 code: "A00.1x"');
    expect(result.status).toBe(1);
    expect(existsSync(path.join(out, 'icd10-official.json'))).toBe(false);
  });
});
