// Stable client ids: the same id on every page load, a different one for a second tab open at the same time.
import { describe, expect, it } from 'vitest';
import { deviceIdFor, leaseClientId } from './device';

/** Web Locks as the browser implements them for `ifAvailable` requests, in memory. */
function memoryLocks(): LockManager {
  const held = new Set<string>();
  return {
    async request(name: string, options: LockOptions, callback: (lock: Lock | null) => unknown) {
      if (held.has(name) && options.ifAvailable) return callback(null);
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' } as Lock);
      } finally {
        held.delete(name);
      }
    },
    query: async () => ({ held: [], pending: [] })
  } as unknown as LockManager;
}

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) } as unknown as Storage;
}

describe('device identity', () => {
  it('gives a page load the same client id as the load before it', async () => {
    const storage = memoryStorage();
    const locks = memoryLocks();
    const first = await leaseClientId('user-1', storage, locks);
    first.release();
    await new Promise((r) => setTimeout(r, 0));
    const second = await leaseClientId('user-1', storage, locks);
    expect(second.clientId).toBe(first.clientId);
  });

  it('gives a second open tab a different client id, and a third tab after one closes a pooled one', async () => {
    const storage = memoryStorage();
    const locks = memoryLocks();
    const tabA = await leaseClientId('user-1', storage, locks);
    const tabB = await leaseClientId('user-1', storage, locks);
    expect(tabB.clientId).not.toBe(tabA.clientId);
    tabA.release();
    await new Promise((r) => setTimeout(r, 0));
    const tabC = await leaseClientId('user-1', storage, locks);
    expect([tabA.clientId, tabB.clientId]).toContain(tabC.clientId);
    expect(JSON.parse(storage.getItem('telehealth.clientIds.user-1')!)).toHaveLength(2);
  });

  it('keeps one device id per account on this browser', () => {
    const storage = memoryStorage();
    expect(deviceIdFor('user-1', storage)).toBe(deviceIdFor('user-1', storage));
    expect(deviceIdFor('user-2', storage)).not.toBe(deviceIdFor('user-1', storage));
    expect(deviceIdFor('user-1', storage)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});
