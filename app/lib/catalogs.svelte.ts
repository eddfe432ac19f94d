// The catalogs the app validates against: the ones built into the app, replaced by the newest version the
// server publishes (GET /api/catalogs/icd10, versioned by a digest). The last version received is kept in the
// Cache Storage, so validation uses it offline; a publication that does not check out is refused and logged.
import { Icd10Catalog, icd10 as builtIn, icd10Source as builtInSource, readIcd10Publication, type Icd10Publication } from '@telehealth/catalogs/device';

const cacheName = 'telehealth-catalogs';
const icd10Url = '/api/catalogs/icd10';

class Catalogs {
  icd10 = $state.raw<Icd10Catalog>(builtIn);
  icd10Source = $state<'official' | 'curated'>(builtInSource);
  /** The version received from the server; undefined while the built-in catalog is used. */
  icd10Version = $state<string | undefined>(undefined);
  #started = false;

  /** The last catalog this device received (works offline), then a newer one from the server if it has one. */
  async start() {
    if (this.#started || typeof caches === 'undefined') return;
    this.#started = true;
    const cache = await caches.open(cacheName);
    const cached = await cache.match(icd10Url);
    if (cached) this.use(readIcd10Publication(await cached.json().catch(() => undefined)));
    let res: Response;
    try {
      res = await fetch(icd10Url, { headers: this.icd10Version ? { 'if-none-match': `"${this.icd10Version}"` } : {} });
    } catch {
      return; // offline: keep what the device has
    }
    if (res.status === 304 || !res.ok) return;
    const publication = readIcd10Publication(await res.json().catch(() => undefined));
    if (!publication) {
      console.warn('catalog.refused', { url: icd10Url, reason: 'not a valid ICD-10 publication' });
      return;
    }
    await cache.put(icd10Url, new Response(JSON.stringify(publication), { headers: { 'content-type': 'application/json' } }));
    this.use(publication);
  }

  private use(publication: Icd10Publication | undefined) {
    if (!publication) return;
    this.icd10 = new Icd10Catalog(publication.entries);
    this.icd10Source = publication.source;
    this.icd10Version = publication.version;
  }
}

export const catalogs = new Catalogs();
