// The catalogs the app carries on every device (small: ethnic groups, provinces, the ICD-10 code logic). The 3,321
// communes are a separate entry (`@telehealth/catalogs/communes`) that screens load when they need them; the
// 15,844 ICD-10 codes a file of the build of their own (`icd10DataUrl`), fetched on first need.
export { ethnicGroups, type EthnicGroup } from './ethnic-groups';
export { provinces, type Province } from './provinces';
export { icd10Chapters, chapterOf, icd10FromTable, type Icd10Entry, type Icd10Table } from './icd10';
export { Icd10Catalog, normalizeCode, readIcd10Publication, type DiagnosisCheck, type Icd10Publication } from './icd10-lookup';
export { icd10BuiltIn, icd10DataUrl } from './icd10-asset';
export { eligibleForTelehealth, stationTelehealthDefault, type EligibilityUnit } from './telehealth-eligible';
export { DrugSearch, drugDisplayName, readDrugPublication, type DrugEntry, type DrugPublication } from './drugs';
