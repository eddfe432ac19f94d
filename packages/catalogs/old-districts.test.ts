// Units before the 2025 reform: the shipped table matches the official list, and an old commune finds its district.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oldDistrictOfCommune, oldDistricts, oldUnitsCatalog, parseCsv, readPre2025Table } from './index';

const shared = new URL('../../../shared/data/admin/pre2025_63_696_10035.csv', import.meta.url);

describe('units before 1 July 2025', () => {
  it('imports every commune of the list and ships the same districts', () => {
    const report = readPre2025Table(parseCsv(readFileSync(shared, 'utf8')));
    expect(report.read).toBe(10_035);
    expect(report.rejected).toEqual([]);
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
