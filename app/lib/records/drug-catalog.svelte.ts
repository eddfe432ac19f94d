// The drug catalog on the device (M10): the list the deployment's administrator imported (GET /api/catalogs/drugs,
// versioned by a digest), kept in the Cache Storage so that a station searches it offline. Loaded when a prescription
// is written: from the cache at once, then asked of the server with the version held (304 when it is the same).
// Until a list is imported the server publishes an empty one, and drug names are typed (with the unit's own
// earlier drugs offered: drug-suggestions.ts).
import { DrugSearch, readDrugPublication, type DrugPublication } from '@telehealth/catalogs/device';

const cacheName = 'telehealth-catalogs';
const url = '/api/catalogs/drugs';

class DrugCatalog {
  /** The search over the list held, once loaded; undefined before. */
  search = $state.raw<DrugSearch | undefined>(undefined);
  version = $state<string | undefined>(undefined);
  #loading: Promise<void> | undefined;

  /** Loads the list (cache, then server); safe to call from every screen that needs it. */
  load(): Promise<void> {
    this.#loading ??= this.#load().finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load() {
    const cache = typeof caches === 'undefined' ? undefined : await caches.open(cacheName).catch(() => undefined);
    if (!this.search && cache) {
      const held = readDrugPublication(await (await cache.match(url))?.json().catch(() => undefined));
      if (held) this.#use(held);
    }
    try {
      const res = await fetch(url, { headers: this.version ? { 'if-none-match': `"${this.version}"` } : {} });
      if (res.status === 304 || !res.ok) return;
      const publication = readDrugPublication(await res.json());
      if (!publication) {
        console.warn('catalog.refused', { url, reason: 'not a drug publication' });
        return;
      }
      this.#use(publication);
      await cache?.put(url, new Response(JSON.stringify(publication), { headers: { 'content-type': 'application/json' } }));
    } catch {
      // Offline: the list held serves; the server is asked again next time.
    }
  }

  #use(publication: DrugPublication) {
    this.version = publication.version;
    this.search = new DrugSearch(publication.entries);
  }
}

export const drugCatalog = new DrugCatalog();
