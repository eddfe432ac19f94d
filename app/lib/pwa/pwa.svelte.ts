// The service worker's life seen from the page: registration through workbox-window, the update prompt,
// connectivity, and persistent storage.
import type { Workbox } from 'workbox-window';
import { storageRunningShort } from './storage-budget';

class Pwa {
  /** A new version is installed and waiting for the user's go-ahead. */
  updateWaiting = $state(false);
  /** A service worker controls this page: it will load offline. */
  offlineReady = $state(false);
  /**
   * The first service worker of this device has just finished precaching the app (its `installed` event, not an
   * update): the page says "Sẵn sàng dùng ngoại tuyến" until the user closes the notice.
   */
  offlineReadyNotice = $state(false);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  persisted = $state<boolean | undefined>(undefined);
  usageBytes = $state<number | undefined>(undefined);
  quotaBytes = $state<number | undefined>(undefined);
  storageShort = $derived(storageRunningShort(this.usageBytes, this.quotaBytes));

  #workbox: Workbox | undefined;

  start() {
    // The app runs: the static shell of app/app.html (name and loading state) has done its job.
    document.getElementById('app-boot')?.remove();
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
    void this.refreshStorage();
    if (!('serviceWorker' in navigator)) return;
    this.offlineReady = navigator.serviceWorker.controller !== null;
    // Loaded after the first screen runs: the login form of a first visit does not wait for it.
    void import('workbox-window').then(({ Workbox }) => this.register(new Workbox('/service-worker.js', { type: 'module' })));
  }

  private register(wb: Workbox) {
    wb.addEventListener('waiting', () => (this.updateWaiting = true));
    // `installed` comes when the worker's install step, the precache of the whole shell, has completed.
    wb.addEventListener('installed', (event) => {
      if (!event.isUpdate) this.offlineReadyNotice = true;
    });
    wb.addEventListener('controlling', (event) => {
      this.offlineReady = true;
      // An update the user accepted took over: load the new version's pages.
      if (event.isUpdate) location.reload();
    });
    wb.addEventListener('activated', () => (this.offlineReady = navigator.serviceWorker.controller !== null || this.offlineReady));
    this.#workbox = wb;
    void wb.register();
  }

  applyUpdate() {
    this.updateWaiting = false;
    this.#workbox?.messageSkipWaiting();
  }

  dismissUpdate() {
    this.updateWaiting = false;
  }

  dismissOfflineReady() {
    this.offlineReadyNotice = false;
  }

  /** Asks the browser not to evict this origin's data; called after login, when there is data worth keeping. */
  async requestPersistence(): Promise<boolean> {
    if (!navigator.storage?.persist) return false;
    const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
    this.persisted = granted;
    return granted;
  }

  async refreshStorage() {
    if (!navigator.storage?.estimate) return;
    const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]);
    this.usageBytes = estimate.usage;
    this.quotaBytes = estimate.quota;
    this.persisted = persisted;
  }
}

export const pwa = new Pwa();
