// @telehealth/catalogs: reference catalogs shipped with the product, so validation works offline.
export { ethnicGroups, type EthnicGroup } from './ethnic-groups';
export { provinces, type Province } from './provinces';
export { findEthnicGroup, findProvince } from './lookup';
