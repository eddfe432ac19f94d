// Look-ups by code in the shipped catalogs.
import { ethnicGroups, type EthnicGroup } from './ethnic-groups';
import { provinces, type Province } from './provinces';
import type { Commune } from './communes';
import communeTable from './data/communes-2025.json';

const byCode = <T extends { code: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.code, r]));
const ethnicByCode = byCode(ethnicGroups);
const provinceByCode = byCode(provinces);

/** The 3,321 commune-level units in force from 1 July 2025 (made by `npm run catalog:import`). */
export const communes = communeTable.communes as readonly Commune[];
const communeByCode = byCode(communes);

export const findEthnicGroup = (code: string): EthnicGroup | undefined => ethnicByCode.get(code);
export const findProvince = (code: string): Province | undefined => provinceByCode.get(code);
export const findCommune = (code: string): Commune | undefined => communeByCode.get(code);
export const communesOf = (provinceCode: string): Commune[] => communes.filter((c) => c.provinceCode === provinceCode);
