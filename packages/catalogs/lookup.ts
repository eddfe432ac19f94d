// Look-ups by code in the shipped catalogs.
import { ethnicGroups, type EthnicGroup } from './ethnic-groups';
import { provinces, type Province } from './provinces';
import type { Commune } from './communes';
import communeTable from './data/communes-2025.json';
import oldUnits from './data/units-before-2025.json';
import conversionTable from './data/commune-conversion.json';
import type { OldDistrict } from './old-districts';

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

/** The districts before 1 July 2025 (made by `npm run catalog:import -- --pre2025 …`). */
export const oldDistricts = oldUnits.districts as readonly OldDistrict[];
const oldDistrictByCode = byCode(oldDistricts);
const communeDistrict = oldUnits.communeDistrict as Record<string, string>;

/** The district an old (pre-2025) commune belonged to: what a record made before the reform keeps. */
export const oldDistrictOfCommune = (oldCommuneCode: string): OldDistrict | undefined => {
  const code = communeDistrict[oldCommuneCode];
  return code === undefined ? undefined : oldDistrictByCode.get(code);
};

const conversion = conversionTable as { oldToNew: Record<string, string[]>; oldDistrictToNew: Record<string, string> };

/** The commune(s) in force from 1 July 2025 that an old commune went into (several when it was split). */
export const newCommunesOfOld = (oldCommuneCode: string): Commune[] =>
  (conversion.oldToNew[oldCommuneCode] ?? []).flatMap((code) => communeByCode.get(code) ?? []);

let districtOfNew: Map<string, string | null> | undefined;
/**
 * The district before 1 July 2025 of a commune in force since then, when every old commune that went into it was in
 * one district (3,019 of 3,316 communes); undefined when they came from several districts, or the commune is unknown.
 * What reports over dates before the reform group a unit by (packages/domain/reports.ts).
 */
export const oldDistrictOfNewCommune = (communeCode: string): OldDistrict | undefined => {
  if (!districtOfNew) {
    districtOfNew = new Map();
    for (const [oldCode, newCodes] of Object.entries(conversion.oldToNew)) {
      const district = communeDistrict[oldCode];
      if (district === undefined) continue;
      for (const code of newCodes) {
        const seen = districtOfNew.get(code);
        districtOfNew.set(code, seen === undefined || seen === district ? district : null);
      }
    }
  }
  const code = districtOfNew.get(communeCode);
  return code ? oldDistrictByCode.get(code) : undefined;
};
