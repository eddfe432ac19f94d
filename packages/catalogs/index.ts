// @telehealth/catalogs: reference catalogs shipped with the product, so validation works offline.
export { ethnicGroups, type EthnicGroup } from './ethnic-groups';
export { provinces, type Province } from './provinces';
export { CommuneType, communeTableEffectiveFrom, readCommuneTable, type Commune, type ImportReport, type Rejection } from './communes';
export { parseCsv } from './csv';
export { icd10Chapters, chapterOf, readIcd10Table, icd10FromTable, icd10TableRows, icd10TableFlags, type Icd10Entry, type Icd10Table } from './icd10';
export { oldUnitsEffectiveUntil, readPre2025Table, oldUnitsCatalog, type OldDistrict, type OldCommuneRow } from './old-districts';
export { findEthnicGroup, findProvince, findCommune, communes, communesOf, oldDistricts, oldDistrictOfCommune, newCommunesOfOld, oldDistrictOfNewCommune } from './lookup';
export { readConversionTable, conversionCatalog, type ConversionRow } from './conversion';
export { Icd10Catalog, normalizeCode, readIcd10Publication, type DiagnosisCheck, type Icd10Publication } from './icd10-lookup';
export { icd10, icd10Shipped } from './icd10-official';
export { eligibleForTelehealth, stationTelehealthDefault, type EligibilityUnit } from './telehealth-eligible';
export { readDrugTable, readDrugPublication, drugDisplayName, drugColumns, maxDrugs, DrugSearch, type DrugEntry, type DrugPublication } from './drugs';
