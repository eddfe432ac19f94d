// The shipped catalogs agree with the official lists in shared/data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ethnicGroups, findEthnicGroup, findProvince, provinces } from './index';

const dataDir = new URL('../../../shared/data/', import.meta.url);
const rows = (file: string) => readFileSync(new URL(file, dataDir), 'utf8').trim().split('\n').slice(1);

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

  it('ships the 34 provinces in force since 1 July 2025, as in the NSO list', () => {
    expect(provinces).toHaveLength(34);
    const official = rows('admin/provinces_2025_34_nso915.csv').map((l) => l.split(',')[1]);
    expect(provinces.map((p) => p.code)).toEqual(official);
    expect(findProvince('15')?.name).toBe('Lào Cai');
    expect(findProvince('02')).toBeUndefined();
  });
});
