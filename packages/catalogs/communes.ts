// Administrative units after the 2025 reform (in force from 1 July 2025): 34 provinces and their commune-level
// units (xã, phường, đặc khu) with NSO codes. The table ships as data/communes-2025.json, made by the import
// command from the NSO list; this module reads and checks such a table.
import { provinces } from './provinces';

export const CommuneType = { commune: 'xa', ward: 'phuong', specialZone: 'dac_khu' } as const;
export type CommuneType = (typeof CommuneType)[keyof typeof CommuneType];

export type Commune = { code: string; name: string; type: CommuneType; provinceCode: string };

export const communeTableEffectiveFrom = '2025-07-01';

const typeByLabel: Record<string, CommuneType> = { Xã: 'xa', Phường: 'phuong', 'Đặc khu': 'dac_khu' };
const provinceCodes = new Set(provinces.map((p) => p.code));

export type Rejection = { line: number; reason: string };
export type ImportReport<T> = { read: number; accepted: T[]; rejected: Rejection[] };

/**
 * Reads the commune table in the layout `commune_code,commune_name,commune_type,province_code,province_name`
 * (a header line, then one unit per line). Every row is checked; a bad row is reported with its line number and
 * reason and left out, never guessed.
 */
export function readCommuneTable(rows: string[][]): ImportReport<Commune> {
  const [header, ...data] = rows;
  const expected = ['commune_code', 'commune_name', 'commune_type', 'province_code', 'province_name'];
  if (!header || expected.some((name, i) => header[i]?.trim() !== name)) {
    return { read: 0, accepted: [], rejected: [{ line: 1, reason: `expected the header ${expected.join(',')}` }] };
  }
  const accepted: Commune[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  data.forEach((cells, i) => {
    const line = i + 2;
    const [code = '', name = '', typeLabel = '', provinceCode = ''] = cells.map((c) => c.trim());
    const reject = (reason: string) => rejected.push({ line, reason });
    if (!/^\d{5}$/.test(code)) return reject(`commune code must be 5 digits, got "${code}"`);
    if (seen.has(code)) return reject(`commune code ${code} appears twice`);
    if (!name) return reject(`commune ${code} has no name`);
    const type = typeByLabel[typeLabel];
    if (!type) return reject(`commune type must be Xã, Phường or Đặc khu, got "${typeLabel}"`);
    if (!provinceCodes.has(provinceCode)) return reject(`province code ${provinceCode} is not one of the 34 provinces`);
    seen.add(code);
    accepted.push({ code, name, type, provinceCode });
  });
  return { read: data.length, accepted, rejected };
}
