// The ICD-10 list of circular 06/2026/TT-BYT as the product ships it (data/icd10-official.json, made by
// `npm run catalog:import -- --icd10 <csv>`), for the server and tests. The app does not import this module:
// it fetches the same file as an asset of its own on first need (`icd10DataUrl`, see icd10-asset.ts).
import table from './data/icd10-official.json';
import { icd10FromTable, type Icd10Table } from './icd10';
import { Icd10Catalog } from './icd10-lookup';

/** The shipped table's header: effective date, the file it was imported from, its version (a digest of the codes). */
export const icd10Shipped = { effectiveFrom: table.effectiveFrom, source: table.source, version: table.version, count: table.codes.length };

/** The shipped catalog: 15,844 codes with their official Vietnamese names and flags. */
export const icd10 = new Icd10Catalog(icd10FromTable(table as unknown as Icd10Table));
