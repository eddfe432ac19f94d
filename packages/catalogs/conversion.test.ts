// The NSO conversion table: every row of the official table imports, and an old commune finds its new one(s).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { communes, conversionCatalog, newCommunesOfOld, parseCsv, readConversionTable } from './index';
import shipped from './data/commune-conversion.json';

const shared = new URL('../../../shared/data/admin/nso_conversion_table_2025-07_new_old.csv', import.meta.url);
const inForce = new Set(communes.map((c) => c.code));

describe('old → new communes (NSO conversion table)', () => {
  it('imports every data row of the official table and ships the same mapping', () => {
    const report = readConversionTable(parseCsv(readFileSync(shared, 'utf8')), inForce);
    expect(report.rejected).toEqual([]);
    expect(report.read).toBe(10_571);
    expect(conversionCatalog(report.accepted)).toEqual({ effectiveFrom: shipped.effectiveFrom, oldToNew: shipped.oldToNew, oldDistrictToNew: shipped.oldDistrictToNew });
  });

  it('places an old commune in the commune it merged into, and a split one in each part', () => {
    expect(newCommunesOfOld('00013').map((c) => c.name)).toEqual(['Phường Ba Đình']);
    const split = Object.entries(shipped.oldToNew).find(([, news]) => news.length > 1)!;
    expect(newCommunesOfOld(split[0]).length).toBeGreaterThan(1);
    expect(newCommunesOfOld('99999')).toEqual([]);
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
