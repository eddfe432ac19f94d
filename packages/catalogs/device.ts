// The catalogs the app carries on every device (small: ethnic groups, provinces, ICD-10). The 3,321 communes
// are a separate entry (`@telehealth/catalogs/communes`) that screens load when they need them.
export { ethnicGroups, type EthnicGroup } from './ethnic-groups';
export { provinces, type Province } from './provinces';
export { icd10Chapters, chapterOf, type Icd10Entry } from './icd10';
export { curatedIcd10 } from './icd10-curated';
export { Icd10Catalog, icd10, icd10Source, normalizeCode, readIcd10Publication, type DiagnosisCheck, type Icd10Publication } from './icd10-lookup';
export { eligibleForTelehealth, stationTelehealthDefault, type EligibilityUnit } from './telehealth-eligible';
