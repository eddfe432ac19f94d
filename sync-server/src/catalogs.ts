// The catalogs the server publishes to devices, so that a new official list (imported with
// `npm run catalog:import`, then a server restart) reaches every device without a new app build.
import { icd10, icd10Shipped, type Icd10Publication } from '@telehealth/catalogs';

/**
 * The ICD-10 list of circular 06/2026 as imported. Its version is the shipped table's digest, the one the app
 * build carries: a device whose built-in list is this version gets 304 and downloads nothing.
 */
export function icd10Publication(): Icd10Publication {
  return { version: icd10Shipped.version, source: 'official', entries: [...icd10.entries] };
}
