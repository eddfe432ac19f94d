// The drug catalog's import (the insurance drug data's column names, any order) and its offline search.
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { DrugSearch, drugDisplayName, readDrugPublication, readDrugTable } from './drugs';

const csv = `STT,MA_THUOC,TEN_HOAT_CHAT,TEN_THUOC,HAM_LUONG,DANG_BAO_CHE,DON_VI_TINH,DUONG_DUNG
1,40.48,Paracetamol (acetaminophen),Panadol,500mg,Viên nén,Viên,Uống
2,40.17,Amoxicilin,Amoxicilin,500mg,Viên nang cứng,Viên,Uống
3,,Oresol,Oresol 245,,Thuốc bột,Gói,Uống
4,40.99,,,10mg,Viên,Viên,Uống
5,40.17,Amoxicilin,Amoxicilin,500mg,Viên nang cứng,Viên,Uống
6,40.50,Salbutamol,Ventolin,2mg,Viên nén,,Uống
`;

describe('the drug catalog', () => {
  it('imports rows by their column names, and rejects those without a name or a unit, and duplicates, with the line', () => {
    const report = readDrugTable(parseCsv(csv));
    expect(report.read).toBe(6);
    expect(report.accepted.map((d) => d.code)).toEqual(['40.48', '40.17', '']);
    expect(report.accepted[0]).toEqual({ code: '40.48', activeIngredient: 'Paracetamol (acetaminophen)', name: 'Panadol', strength: '500mg', dosageForm: 'Viên nén', unit: 'Viên', route: 'Uống' });
    expect(report.rejected).toEqual([
      { line: 5, reason: 'no TEN_HOAT_CHAT nor TEN_THUOC' },
      { line: 6, reason: 'the same drug as an earlier row (40.17)' },
      { line: 7, reason: 'no DON_VI_TINH' }
    ]);
    expect(readDrugTable(parseCsv('ten,gia\nx,1')).rejected[0]!.reason).toMatch(/^the header lacks DON_VI_TINH, TEN_HOAT_CHAT, TEN_THUOC/);
    expect(readDrugTable(parseCsv(`TEN_THUOC,DON_VI_TINH\n${'x'.repeat(201)},Viên`)).rejected).toEqual([{ line: 2, reason: 'TEN_THUOC is longer than 200 characters' }]);
  });

  it('finds drugs by the start of a word of their names or code, with or without diacritics', () => {
    const { accepted } = readDrugTable(parseCsv(csv));
    const search = new DrugSearch(accepted);
    expect(search.search('para').map((d) => d.code)).toEqual(['40.48']);
    expect(search.search('panadol')[0]!.code).toBe('40.48');
    expect(search.search('acetaminophen')[0]!.code).toBe('40.48');
    expect(search.search('ORESOL')[0]!.name).toBe('Oresol 245');
    expect(search.search('amo 40.17').map((d) => d.code)).toEqual(['40.17']);
    expect(search.search('cetamol')).toEqual([]);
    expect(search.search('  ')).toEqual([]);
    expect(drugDisplayName(accepted[0]!)).toBe('Paracetamol (acetaminophen) (Panadol)');
    expect(drugDisplayName(accepted[1]!)).toBe('Amoxicilin');
  });

  it('reads a publication by its shape and refuses anything else', () => {
    const { accepted } = readDrugTable(parseCsv(csv));
    expect(readDrugPublication({ version: 'v1', entries: accepted })).toEqual({ version: 'v1', entries: accepted });
    expect(readDrugPublication({ version: 'v1', entries: [{ ...accepted[0], unit: 3 }] })).toBeUndefined();
    expect(readDrugPublication({ version: 'v1', entries: [{ ...accepted[0], unit: 'x'.repeat(31) }] })).toBeUndefined();
    expect(readDrugPublication({ entries: [] })).toBeUndefined();
    expect(readDrugPublication(null)).toBeUndefined();
  });
});
