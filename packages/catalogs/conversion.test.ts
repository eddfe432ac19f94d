// The NSO conversion table: the rows of the official table import, and an old commune finds its new one(s).
// The default lane reads a cut of the table (test-fixtures/README.md: its headings, the first Hà Nội rows, all of
// the new Lào Cai province, the island district Bạch Long Vĩ); CATALOG_SOURCE_DATA=<folder with admin/ and icd10/>
// also checks the whole file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { communes, conversionCatalog, newCommunesOfOld, oldDistrictOfNewCommune, parseCsv, readConversionTable } from './index';
import shipped from './data/commune-conversion.json';

const cut = new URL('./test-fixtures/nso_conversion_cut.csv', import.meta.url);
const sourceData = process.env.CATALOG_SOURCE_DATA;
const inForce = new Set(communes.map((c) => c.code));

describe('old → new communes (NSO conversion table)', () => {
  it('imports every data row of a cut of the official table, skipping headings, and ships the same mapping', () => {
    const report = readConversionTable(parseCsv(readFileSync(cut, 'utf8')), inForce);
    expect([report.read, report.accepted.length, report.rejected]).toEqual([357, 357, []]);
    const mapping = conversionCatalog(report.accepted);
    for (const [old, news] of Object.entries(mapping.oldToNew)) for (const code of news) expect(shipped.oldToNew[old as keyof typeof shipped.oldToNew]).toContain(code);
    expect(mapping.oldDistrictToNew).toEqual({ '318': '11948' });
    expect(shipped.oldDistrictToNew).toMatchObject(mapping.oldDistrictToNew);
  });

  it.runIf(sourceData)('imports the whole official table and ships exactly its mapping (CATALOG_SOURCE_DATA)', () => {
    const report = readConversionTable(parseCsv(readFileSync(path.join(sourceData!, 'admin/nso_conversion_table_2025-07_new_old.csv'), 'utf8')), inForce);
    expect([report.read, report.rejected]).toEqual([10_571, []]);
    expect(conversionCatalog(report.accepted)).toEqual({ effectiveFrom: shipped.effectiveFrom, oldToNew: shipped.oldToNew, oldDistrictToNew: shipped.oldDistrictToNew });
  });

  it('places an old commune in the commune it merged into, and a split one in each part', () => {
    expect(newCommunesOfOld('00013').map((c) => c.name)).toEqual(['Phường Ba Đình']);
    expect(newCommunesOfOld('02641').map((c) => c.name)).toEqual(['Phường Lào Cai']);
    const { accepted } = readConversionTable(parseCsv(readFileSync(cut, 'utf8')), inForce);
    const parts = accepted.filter((r) => r.oldCode === '00007').map((r) => r.newCode);
    expect(parts.length).toBeGreaterThan(1);
    expect(newCommunesOfOld('00007').map((c) => c.code)).toEqual(expect.arrayContaining(parts));
    expect(newCommunesOfOld('99999')).toEqual([]);
  });

  it('gives a new commune its old district when all its old communes were in one, and none when they were in several', () => {
    expect(oldDistrictOfNewCommune('02701')?.name).toBe('Huyện Bát Xát');
    // 09982 was made of communes of the districts 275 and 276.
    expect(oldDistrictOfNewCommune('09982')).toBeUndefined();
    expect(oldDistrictOfNewCommune('99999')).toBeUndefined();
  });

  it('rejects a row whose new commune is not in force or whose codes are malformed, with its line', () => {
    const report = readConversionTable(
      parseCsv(
        [
          'Đơn vị hành chính từ ngày 01/7/2025,,,Đơn vị hành chính trước ngày 01/7/2025,,,,,',
          '"Tỉnh, thành phố",Tên Xã mới,Mã Xã mới,Tên Xã cũ,Mã Xã cũ,Ghi chú,Quận/huyện,Tỉnh cũ,',
          'Thành phố Hà Nội (01),Phường Ba Đình,00004,Phường Trúc Bạch,00004,Nhập toàn bộ,Quận Ba Đình (001),Thành phố Hà Nội (01),',
          'Thành phố Hà Nội (01),Phường Không Có,99990,Phường X,00007,Nhập toàn bộ,Quận Ba Đình (001),Thành phố Hà Nội (01),',
          'Thành phố Hà Nội (01),Phường Ba Đình,00004,Phường Y,7,Nhập toàn bộ,Quận Ba Đình (001),Thành phố Hà Nội (01),'
        ].join('\n')
      ),
      inForce
    );
    expect(report.accepted).toHaveLength(1);
    expect(report.rejected.map((r) => r.line)).toEqual([4, 5]);
  });
});
