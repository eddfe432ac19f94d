// Administrative units before the 2025 reform (63 provinces, districts, communes): records made before
// 1 July 2025 keep their old district, and reports over earlier dates group by it.
import type { ImportReport, Rejection } from './communes';

export type OldCommuneRow = { code: string; name: string; districtCode: string; districtName: string; provinceCode: string; provinceName: string };
export type OldDistrict = { code: string; name: string; provinceCode: string; provinceName: string };

/** The last day the old units were in force. */
export const oldUnitsEffectiveUntil = '2025-06-30';

/** Reads `province_code,province_name,district_code,district_name,commune_code,commune_name` (a header, then one commune per line). */
export function readPre2025Table(rows: string[][]): ImportReport<OldCommuneRow> {
  const [header, ...data] = rows;
  const expected = ['province_code', 'province_name', 'district_code', 'district_name', 'commune_code', 'commune_name'];
  if (!header || expected.some((name, i) => header[i]?.trim() !== name)) {
    return { read: 0, accepted: [], rejected: [{ line: 1, reason: `expected the header ${expected.join(',')}` }] };
  }
  const accepted: OldCommuneRow[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  const districtProvince = new Map<string, string>();
  data.forEach((cells, i) => {
    const line = i + 2;
    const [provinceCode = '', provinceName = '', districtCode = '', districtName = '', code = '', name = ''] = cells.map((c) => c.trim());
    const reject = (reason: string) => rejected.push({ line, reason });
    if (!/^\d{2}$/.test(provinceCode)) return reject(`province code must be 2 digits, got "${provinceCode}"`);
    if (!/^\d{3}$/.test(districtCode)) return reject(`district code must be 3 digits, got "${districtCode}"`);
    if (!/^\d{5}$/.test(code)) return reject(`commune code must be 5 digits, got "${code}"`);
    if (seen.has(code)) return reject(`commune code ${code} appears twice`);
    if (!name || !districtName || !provinceName) return reject(`commune ${code} lacks a name`);
    const known = districtProvince.get(districtCode);
    if (known && known !== provinceCode) return reject(`district ${districtCode} is listed under provinces ${known} and ${provinceCode}`);
    districtProvince.set(districtCode, provinceCode);
    seen.add(code);
    accepted.push({ code, name, districtCode, districtName, provinceCode, provinceName });
  });
  return { read: data.length, accepted, rejected };
}

/** The shipped form: the districts, and each old commune's district. */
export function oldUnitsCatalog(rows: OldCommuneRow[]) {
  const districts = new Map<string, OldDistrict>();
  for (const r of rows) districts.set(r.districtCode, { code: r.districtCode, name: r.districtName, provinceCode: r.provinceCode, provinceName: r.provinceName });
  return {
    effectiveUntil: oldUnitsEffectiveUntil,
    districts: [...districts.values()].sort((a, b) => a.code.localeCompare(b.code)),
    communeDistrict: Object.fromEntries(rows.map((r) => [r.code, r.districtCode]))
  };
}
