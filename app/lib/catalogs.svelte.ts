// The ICD-10 catalog the app validates against. The 15,844 codes of circular 06/2026 are a file of the build of
// their own (≈ 220 KB brotli), outside the app shell: `loadIcd10()` fetches it when a screen first needs it and keeps
// it in the Cache Storage for offline use; clinical staff's devices fetch it in the background after login
// (`keepIcd10Offline()`, see the layout), a patient's phone never does.
// The server also publishes the catalog (GET /api/catalogs/icd10, versioned by a digest): the device asks with the
// version it has, gets 304 while that is current, and otherwise takes the server's list in place of the built-in
// one, kept in the Cache Storage too. A publication that does not check out is refused and logged.
import { Icd10Catalog, icd10BuiltIn, icd10DataUrl, icd10FromTable, readIcd10Publication, type Icd10Publication, type Icd10Table } from '@telehealth/catalogs/device';

const cacheName = 'telehealth-catalogs';
const icd10Url = '/api/catalogs/icd10';
/** The built-in list's file: its name carries a content hash, so a new build's list is a new entry. */
const builtInFile = /\/icd10-official\.[^/]*\.json$/;

/** What the cached entry for the server's catalog says in its headers (the body is the publication, or empty when it is the built-in list). */
type Held = { version: string; source: 'official' | 'curated'; count: number; builtIn: boolean };

class Catalogs {
  /** The ICD-10 catalog once loaded (`loadIcd10()`); undefined until a screen has needed it. */
  icd10 = $state.raw<Icd10Catalog | undefined>(undefined);
  /** Loading failed: the list was never fetched and the device is offline. */
  icd10Unavailable = $state(false);
  icd10Source = $state<'official' | 'curated'>('official');
  icd10Count = $state(icd10BuiltIn.count);
  /** The version the server confirmed or sent; undefined while the device has not heard from it. */
  icd10Version = $state<string | undefined>(undefined);
  #held: Held | undefined;
  #started = false;
  #read: Promise<void> | undefined;
  #loading: Promise<Icd10Catalog | undefined> | undefined;
  #generation = 0;

  /** Reads what this device holds (works offline), then asks the server whether it has another version. */
  async start() {
    if (this.#started || typeof caches === 'undefined') return;
    this.#started = true;
    await this.#readHeld();
    let res: Response;
    try {
      res = await fetch(icd10Url, { headers: { 'if-none-match': `"${this.#held?.version ?? icd10BuiltIn.version}"` } });
    } catch {
      return; // offline: keep what the device has
    }
    if (res.status === 304) {
      if (!this.#held) await this.#hold({ version: icd10BuiltIn.version, source: 'official', count: icd10BuiltIn.count, builtIn: true });
      return;
    }
    if (!res.ok) return;
    const publication = readIcd10Publication(await res.json().catch(() => undefined));
    if (!publication) {
      console.warn('catalog.refused', { url: icd10Url, reason: 'not a valid ICD-10 publication' });
      return;
    }
    await this.#hold({ version: publication.version, source: publication.source, count: publication.entries.length, builtIn: publication.version === icd10BuiltIn.version }, publication);
    // A screen that already uses the catalog switches to the server's.
    if (this.#loading) {
      const catalog = this.#held?.builtIn ? await this.#loadBuiltIn() : new Icd10Catalog(publication.entries);
      this.#loading = this.#loaded(Promise.resolve(catalog));
    }
  }

  /** The catalog, fetched and indexed on first call (from the device's cache when it has it); undefined when that fails. */
  loadIcd10(): Promise<Icd10Catalog | undefined> {
    this.#loading ??= this.#loaded(this.#load());
    return this.#loading;
  }

  /** Uses a catalog once loaded, unless a newer one (the server's) was loaded meanwhile. */
  #loaded(loading: Promise<Icd10Catalog>): Promise<Icd10Catalog | undefined> {
    const generation = ++this.#generation;
    return loading.then(
      (catalog) => {
        if (generation !== this.#generation) return this.icd10;
        this.icd10 = catalog;
        this.icd10Unavailable = false;
        // The search index, after this task: ready before the first keystroke, which then takes a few ms.
        setTimeout(() => catalog.prepareSearch(), 0);
        return catalog;
      },
      (error: unknown) => {
        console.warn('catalog.unavailable', { catalog: 'icd10', error: String(error) });
        if (generation === this.#generation) {
          this.#loading = undefined;
          this.icd10Unavailable = true;
        }
        return undefined;
      }
    );
  }

  async #load(): Promise<Icd10Catalog> {
    await this.#readHeld();
    if (this.#held && !this.#held.builtIn) {
      const cached = await (await caches.open(cacheName)).match(icd10Url);
      const publication = readIcd10Publication(await cached?.json().catch(() => undefined));
      if (publication) return new Icd10Catalog(publication.entries);
    }
    return this.#loadBuiltIn();
  }

  /**
   * Makes sure the list built into the app is in the Cache Storage (downloaded once per build), without loading
   * it: clinical staff call this after login so the forms they fill offline have it.
   */
  async keepIcd10Offline() {
    if (typeof caches === 'undefined') return;
    try {
      const cache = await caches.open(cacheName);
      if (!(await cache.match(icd10DataUrl))) await this.#fetchBuiltIn(cache);
    } catch {
      // Offline: tried again at the next start.
    }
  }

  /** The list built into the app: from the Cache Storage, else from the network (then kept there). */
  async #loadBuiltIn(): Promise<Icd10Catalog> {
    const cache = typeof caches === 'undefined' ? undefined : await caches.open(cacheName);
    const res = (await cache?.match(icd10DataUrl)) ?? (await this.#fetchBuiltIn(cache));
    return new Icd10Catalog(icd10FromTable((await res.json()) as Icd10Table));
  }

  /** Fetches the built-in list's file and keeps it, removing the copies of older builds. */
  async #fetchBuiltIn(cache: Cache | undefined): Promise<Response> {
    const res = await fetch(icd10DataUrl);
    if (!res.ok) throw new Error(`${icd10DataUrl}: ${res.status}`);
    if (cache) {
      await cache.put(icd10DataUrl, res.clone());
      for (const old of await cache.keys()) if (builtInFile.test(new URL(old.url).pathname) && !old.url.endsWith(icd10DataUrl)) await cache.delete(old);
    }
    return res;
  }

  /** Reads the cached entry's headers once, whoever asks first (a screen's `loadIcd10()` may run before `start()`). */
  #readHeld(): Promise<void> {
    this.#read ??= typeof caches === 'undefined' ? Promise.resolve() : this.#readHeldOnce().catch(() => undefined);
    return this.#read;
  }

  async #readHeldOnce() {
    const cached = await (await caches.open(cacheName)).match(icd10Url);
    const h = cached?.headers;
    const version = h?.get('x-catalog-version');
    // An entry without these headers is from an app before the official list: the next online start replaces it.
    if (!h || !version) return;
    this.#show({ version, source: h.get('x-catalog-source') === 'curated' ? 'curated' : 'official', count: Number(h.get('x-catalog-count')), builtIn: h.get('x-catalog-built-in') === '1' });
  }

  /** Keeps what the server said: the publication itself, or only its header when it is the list built into the app. */
  async #hold(held: Held, publication?: Icd10Publication) {
    const headers = { 'content-type': 'application/json', 'x-catalog-version': held.version, 'x-catalog-source': held.source, 'x-catalog-count': String(held.count), 'x-catalog-built-in': held.builtIn ? '1' : '0' };
    await (await caches.open(cacheName)).put(icd10Url, new Response(held.builtIn || !publication ? '' : JSON.stringify(publication), { headers }));
    this.#show(held);
  }

  #show(held: Held) {
    this.#held = held;
    this.icd10Source = held.source;
    this.icd10Count = held.count;
    this.icd10Version = held.version;
  }
}

export const catalogs = new Catalogs();
