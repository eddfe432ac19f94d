// Units before the 2025 reform: the shipped table matches the official list, and an old commune finds its district.
// The default lane reads a cut of the list (test-fixtures/README.md: Quận Ba Đình and the old Lào Cai province);
// CATALOG_SOURCE_DATA=<folder with admin/ and icd10/> also checks the whole file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oldDistrictOfCommune, oldDistricts, oldUnitsCatalog, parseCsv, readPre2025Table } from './index';

const cut = new URL('./test-fixtures/pre2025_cut.csv', import.meta.url);
const sourceData = process.env.CATALOG_SOURCE_DATA;

describe('units before 1 July 2025', () => {
  it('imports every commune of a cut of the list and ships the same districts, each commune in its own', () => {
    const report = readPre2025Table(parseCsv(readFileSync(cut, 'utf8')));
    expect([report.read, report.accepted.length, report.rejected]).toEqual([164, 164, []]);
    const { districts } = oldUnitsCatalog(report.accepted);
    expect(districts.map((d) => d.code)).toEqual(['001', '080', '082', '083', '084', '085', '086', '087', '088', '089']);
    for (const d of districts) expect(oldDistricts).toContainEqual(d);
    for (const c of report.accepted) expect(oldDistrictOfCommune(c.code)?.code).toBe(c.districtCode);
  });

  it.runIf(sourceData)('imports the whole list and ships exactly its districts (CATALOG_SOURCE_DATA)', () => {
    const report = readPre2025Table(parseCsv(readFileSync(path.join(sourceData!, 'admin/pre2025_63_696_10035.csv'), 'utf8')));
    expect([report.read, report.rejected]).toEqual([10_035, []]);
    expect(oldUnitsCatalog(report.accepted).districts).toEqual(oldDistricts);
  });

  it('finds the old district of a commune recorded before the reform', () => {
    expect(oldDistrictOfCommune('00001')).toMatchObject({ code: '001', name: 'Quận Ba Đình', provinceCode: '01' });
    expect(oldDistrictOfCommune('99999')).toBeUndefined();
  });

  it('names bad rows: codes, a district under two provinces', () => {
    const report = readPre2025Table(
      parseCsv(
        [
          'province_code,province_name,district_code,district_name,commune_code,commune_name',
          '01,Thành phố Hà Nội,001,Quận Ba Đình,00001,Phường Phúc Xá',
          '02,Hà Giang,001,Quận Ba Đình,00002,Phường Lạ',
          '1,Hà Nội,001,Quận Ba Đình,00003,Phường X'
        ].join('\n')
      )
    );
    expect(report.accepted).toHaveLength(1);
    expect(report.rejected).toEqual([
      { line: 3, reason: 'district 001 is listed under provinces 01 and 02' },
      { line: 4, reason: 'province code must be 2 digits, got "1"' }
    ]);
  });
});
