// Stable client ids: the same id on every page load, a different one for a second tab open at the same time.
import { describe, expect, it } from 'vitest';
import { deviceIdFor, leaseClientId } from './device';
import { MemoryStorage } from '../memory-storage';

/** Web Locks as the browser implements them for `ifAvailable` requests, in memory. */
class MemoryLocks implements LockManager {
  readonly #held = new Set<string>();
  request<T>(name: string, callback: LockGrantedCallback<T>): Promise<Awaited<T>>;
  request<T>(name: string, options: LockOptions, callback: LockGrantedCallback<T>): Promise<Awaited<T>>;
  async request<T>(name: string, optionsOrCallback: LockOptions | LockGrantedCallback<T>, maybeCallback?: LockGrantedCallback<T>): Promise<Awaited<T>> {
    const options: LockOptions = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
    if (!callback) throw new TypeError('a lock request needs a callback');
    if (this.#held.has(name) && options.ifAvailable) return await callback(null);
    this.#held.add(name);
    try {
      return await callback({ name, mode: 'exclusive' });
    } finally {
      this.#held.delete(name);
    }
  }
  async query(): Promise<LockManagerSnapshot> {
    return { held: [], pending: [] };
  }
}

const memoryLocks = () => new MemoryLocks();
const memoryStorage = () => new MemoryStorage();

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
