// The commune table: the NSO list imports, the shipped table matches it, and bad rows are named, not guessed.
// The default lane reads a cut of the list (test-fixtures/README.md: 10 Hà Nội rows, all of Lào Cai, the 13 special
// zones); CATALOG_SOURCE_DATA=<folder with admin/ and icd10/> also checks the whole file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { communes, communesOf, findCommune, parseCsv, readCommuneTable } from './index';

const cut = fileURLToPath(new URL('./test-fixtures/communes_2025_cut.csv', import.meta.url));
const sourceData = process.env.CATALOG_SOURCE_DATA;

describe('commune catalog', () => {
  it('imports every row of a cut of the NSO commune table after the 2025 reform', () => {
    const report = readCommuneTable(parseCsv(readFileSync(cut, 'utf8')));
    expect([report.read, report.accepted.length, report.rejected]).toEqual([122, 122, []]);
    expect(report.accepted.filter((c) => c.type === 'dac_khu')).toHaveLength(13);
    expect(report.accepted.filter((c) => c.provinceCode === '15')).toHaveLength(99);
  });

  it('ships each unit as the import makes it from the NSO list, and the whole of a province', () => {
    const { accepted } = readCommuneTable(parseCsv(readFileSync(cut, 'utf8')));
    for (const c of accepted) expect(findCommune(c.code)).toEqual(c);
    expect(communesOf('15')).toEqual(accepted.filter((c) => c.provinceCode === '15'));
    expect(findCommune('02701')).toEqual({ code: '02701', name: 'Xã Y Tý', type: 'xa', provinceCode: '15' });
    expect(communes).toHaveLength(3_321);
  });

  it.runIf(sourceData)('imports the whole NSO table and ships exactly it (CATALOG_SOURCE_DATA)', () => {
    const report = readCommuneTable(parseCsv(readFileSync(path.join(sourceData!, 'admin/communes_2025_3321.csv'), 'utf8')));
    expect([report.read, report.rejected]).toEqual([3_321, []]);
    expect(communes).toEqual(report.accepted);
  });

  it('names each bad row with its line and reason, and keeps the good ones', () => {
    const csv = [
      'commune_code,commune_name,commune_type,province_code,province_name',
      '02701,Xã Y Tý,Xã,15,Tỉnh Lào Cai',
      '2701,Xã Thiếu Số,Xã,15,Tỉnh Lào Cai',
      '02701,Xã Y Tý,Xã,15,Tỉnh Lào Cai',
      '02686,,Xã,15,Tỉnh Lào Cai',
      '02683,Xã Bát Xát,Huyện,15,Tỉnh Lào Cai',
      '02680,Xã Hợp Thành,Xã,13,Tỉnh Yên Bái',
      '"02647","Phường Lào Cai, trung tâm",Phường,15,Tỉnh Lào Cai'
    ].join('\r\n');
    const report = readCommuneTable(parseCsv(csv));
    expect(report.read).toBe(7);
    expect(report.accepted.map((c) => [c.code, c.name])).toEqual([
      ['02701', 'Xã Y Tý'],
      ['02647', 'Phường Lào Cai, trung tâm']
    ]);
    expect(report.rejected).toEqual([
      { line: 3, reason: 'commune code must be 5 digits, got "2701"' },
      { line: 4, reason: 'commune code 02701 appears twice' },
      { line: 5, reason: 'commune 02686 has no name' },
      { line: 6, reason: 'commune type must be Xã, Phường or Đặc khu, got "Huyện"' },
      { line: 7, reason: 'province code 13 is not one of the 34 provinces' }
    ]);
  });

  it('refuses a file with another layout', () => {
    expect(readCommuneTable(parseCsv('code,name\n00004,Phường Ba Đình\n')).rejected[0]!.reason).toContain('expected the header');
  });
});

describe('npm run catalog:import', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bin/import.ts', import.meta.url)), ...args], { encoding: 'utf8' });

  it('reports its counts and writes the catalog for a good list', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const result = run(['--communes', cut, '--out', out]);
    expect(result.stdout).toContain('communes: 122 rows read, 122 accepted, 0 rejected');
    expect(result.status).toBe(0);
    const written = JSON.parse(readFileSync(path.join(out, 'communes-2025.json'), 'utf8'));
    expect([written.communes.length, written.source, written.effectiveFrom]).toEqual([122, 'communes_2025_cut.csv', '2025-07-01']);
  });

  it('changes nothing and says why for a list with bad rows', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const bad = path.join(out, 'bad.csv');
    writeFileSync(bad, 'commune_code,commune_name,commune_type,province_code,province_name\n02701,Xã Y Tý,Xã,15,Tỉnh Lào Cai\n9,Xã Lạ,Xã,15,Tỉnh Lào Cai\n');
    const result = run(['--communes', bad, '--out', out]);
    expect(result.stdout).toContain('2 rows read, 1 accepted, 1 rejected');
    expect(result.stdout).toContain('line 3: commune code must be 5 digits, got "9"');
    expect(result.status).toBe(1);
    expect(existsSync(path.join(out, 'communes-2025.json'))).toBe(false);
  });
});
