// The catalogs the server publishes to devices, so that a new official list (imported with
// `npm run catalog:import`, then a server restart) reaches every device without a new app build.
import { createHash } from 'node:crypto';
import { icd10, icd10Source, type Icd10Publication } from '@telehealth/catalogs';

export function icd10Publication(): Icd10Publication {
  const entries = [...icd10.entries];
  const version = createHash('sha256').update(JSON.stringify({ source: icd10Source, entries })).digest('hex').slice(0, 16);
  return { version, source: icd10Source, entries };
}
