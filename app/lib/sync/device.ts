// This device's identity for sync: a device id kept per account, and a Yjs client id per tab that stays the
// same across page loads (so state vectors do not grow with app starts), guarded by Web Locks so that two
// open tabs never write with the same client id.

const idPattern = /^[A-Za-z0-9_-]{8,64}$/;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The device id for this account on this browser: created once, then kept. */
export function deviceIdFor(namespace: string, storage: Storage = localStorage): string {
  const key = `telehealth.device.${namespace}`;
  const saved = storage.getItem(key);
  if (saved && idPattern.test(saved)) return saved;
  const id = `d-${randomId()}`;
  storage.setItem(key, id);
  return id;
}

/** A Yjs client id is a 32-bit unsigned integer. */
const randomClientId = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

export type ClientIdLease = { clientId: number; release(): void };

/** Every client id this account's tabs on this device have taken (the pool leaseClientId draws from). */
export function clientIdPool(namespace: string, storage: Storage = localStorage): number[] {
  return (JSON.parse(storage.getItem(`telehealth.clientIds.${namespace}`) ?? '[]') as unknown[]).filter((n): n is number => Number.isInteger(n));
}

/**
 * Takes the first client id of this account's pool that no other tab holds, adding one to the pool when all
 * are taken. The lock is held until release() (or until the tab closes).
 */
export async function leaseClientId(namespace: string, storage: Storage = localStorage, locks: LockManager | undefined = typeof navigator === 'undefined' ? undefined : navigator.locks): Promise<ClientIdLease> {
  const key = `telehealth.clientIds.${namespace}`;
  const pool = clientIdPool(namespace, storage);
  if (!locks) {
    // No Web Locks (very old browsers): one id, shared; such browsers are single-tab in practice.
    const id = pool[0] ?? randomClientId();
    storage.setItem(key, JSON.stringify([id]));
    return { clientId: id, release() {} };
  }
  for (let i = 0; ; i++) {
    if (i === pool.length) {
      pool.push(randomClientId());
      storage.setItem(key, JSON.stringify(pool));
    }
    const id = pool[i]!;
    const lease = await tryLock(locks, `telehealth-client-${namespace}-${id}`);
    if (lease) return { clientId: id, release: lease };
  }
}

/** Holds a Web Lock if it is free: resolves with a release function, or undefined when another tab holds it. */
export function tryLock(locks: LockManager, name: string): Promise<(() => void) | undefined> {
  return new Promise((resolve) => {
    void locks.request(name, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(undefined);
        return;
      }
      return new Promise<void>((release) => resolve(() => release()));
    });
  });
}
