// The shipped catalogs agree with the official lists (the provinces file is vendored whole in test-fixtures/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ethnicGroups, findEthnicGroup, findProvince, parseCsv, provinces } from './index';

const fixture = (name: string) => parseCsv(readFileSync(new URL(`./test-fixtures/${name}`, import.meta.url), 'utf8'));

describe('catalogs', () => {
  it('ships the 54 ethnic groups of QĐ 121-TCTK plus codes 55 and 99', () => {
    expect(ethnicGroups).toHaveLength(56);
    expect(ethnicGroups.filter((g) => Number(g.code) <= 54).map((g) => g.code)).toEqual(
      Array.from({ length: 54 }, (_, i) => String(i + 1).padStart(2, '0'))
    );
    expect(findEthnicGroup('01')?.name).toBe('Kinh');
    expect(findEthnicGroup('08')?.name).toBe('HMông');
    expect(findEthnicGroup('99')?.name).toBe('Không rõ');
  });

  it('ships the 34 provinces in force since 1 July 2025, with the codes and names of the NSO list', () => {
    const [header, ...official] = fixture('provinces_2025_34_nso915.csv');
    expect(header).toEqual(['Stt', 'Mã số', 'Tên 34 tỉnh sau sáp nhập']);
    expect(official).toHaveLength(34);
    expect(provinces.map((p) => p.code)).toEqual(official.map((row) => row[1]));
    for (const [, code, name] of official) expect(name).toContain(findProvince(code!)!.name);
    expect(findProvince('15')?.name).toBe('Lào Cai');
    expect(findProvince('02')).toBeUndefined();
  });
});
