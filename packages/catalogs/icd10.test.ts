// The ICD-10 list reader on the official layout (circular 06/2026): codes checked against the chapter
// structure, flags read, bad rows named with their line.
import { describe, expect, it } from 'vitest';
import { chapterOf, readIcd10Table } from './icd10';

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
