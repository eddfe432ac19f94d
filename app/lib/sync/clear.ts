// Removing one account's data from this device (logout on a shared device, always on a patient's phone): the
// Dexie database `telehealth-<userId>`, the y-indexeddb databases older versions kept per document, and what localStorage keeps
// for it (device id, drafts, audit queue, notifications seen, the offline-login verifier).
import { legacyDocDbName } from './local-db';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a localStorage key belongs to this account: the id as a whole dot- or @-separated part. */
export function keyOfAccount(key: string, userId: string): boolean {
  return key.startsWith('telehealth.') && new RegExp(`(^|[.@])${escape(userId)}($|[.@])`).test(key);
}

function deleteDb(indexedDB: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => resolve();
    // A tab still holds it open: the browser deletes it once that connection closes.
    req.onblocked = () => resolve();
  });
}

async function dexieDocIds(indexedDB: IDBFactory, name: string): Promise<string[]> {
  return new Promise((resolve) => {
    const req = indexedDB.open(name);
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onerror = () => resolve([]);
    req.onsuccess = () => {
      const db = req.result;
      try {
        if (!db.objectStoreNames.contains('docs')) return resolve([]);
        const all = db.transaction('docs').objectStore('docs').getAllKeys();
        all.onsuccess = () => resolve(all.result.map(String));
        all.onerror = () => resolve([]);
      } finally {
        db.close();
      }
    };
  });
}

/**
 * Deletes everything this device holds for `userId`. Stop its sync engine first. Returns the databases deleted.
 */
export async function clearAccountData(userId: string, indexedDB: IDBFactory = globalThis.indexedDB, storage: Storage = localStorage): Promise<string[]> {
  const main = `telehealth-${userId}`;
  const names = new Set([main, ...(await dexieDocIds(indexedDB, main)).map((docId) => legacyDocDbName(userId, docId))]);
  // Documents opened but never indexed (a crash): every database named after this account.
  if (typeof indexedDB.databases === 'function') {
    for (const db of await indexedDB.databases()) if (db.name?.startsWith(`${main}-doc-`)) names.add(db.name);
  }
  await Promise.all([...names].map((name) => deleteDb(indexedDB, name)));
  const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((k): k is string => k !== null);
  for (const key of keys) {
    if (keyOfAccount(key, userId)) storage.removeItem(key);
    else if (key.startsWith('telehealth.offline.')) {
      // The offline-login verifier names the user inside.
      try {
        if ((JSON.parse(storage.getItem(key) ?? '{}') as { user?: { id?: string } }).user?.id === userId) storage.removeItem(key);
      } catch {
        storage.removeItem(key);
      }
    }
  }
  return [...names];
}
