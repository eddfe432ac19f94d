// Look-ups by code in the shipped catalogs.
import { ethnicGroups, type EthnicGroup } from './ethnic-groups';
import { provinces, type Province } from './provinces';

const byCode = <T extends { code: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.code, r]));
const ethnicByCode = byCode(ethnicGroups);
const provinceByCode = byCode(provinces);

export const findEthnicGroup = (code: string): EthnicGroup | undefined => ethnicByCode.get(code);
export const findProvince = (code: string): Province | undefined => provinceByCode.get(code);
