// The session shared by the tabs of one browser: one refresh at a time (the one-use refresh token is spent
// once), every tab sees the rotated tokens and a logout, the server is told at logout, refusals are named.
import { describe, expect, it } from 'vitest';
import { Session, refusalKey, sessionStorageKey } from './session.svelte';
import { rememberCredentials, verifyOffline } from './offline-credentials';
import { MemoryStorage as SharedStorage } from '../memory-storage';

/** One browser's localStorage, shared by its tabs: a `storage` event for each change made through this object. */
class MemoryStorage extends SharedStorage {
  readonly tabs: EventTarget[] = [];
  protected override changed(key: string) {
    for (const tab of this.tabs) tab.dispatchEvent(Object.assign(new Event('storage'), { key }));
  }
}

/** A Web Lock manager shared by the tabs: one holder per name. */
function locks(): LockManager {
  const held = new Map<string, Promise<unknown>>();
  return {
    request: (async (name: string, task: () => Promise<unknown>) => {
      const before = held.get(name) ?? Promise.resolve();
      const run = before.then(task);
      held.set(name, run.catch(() => undefined));
      return run;
    }) as LockManager['request'],
    query: async () => ({ held: [], pending: [] })
  };
}

/** The server's refresh endpoint: each refresh token works once. */
function server(clock: () => number) {
  const valid = new Set(['r0']);
  const calls: string[] = [];
  let n = 0;
  const user = { id: 'user-tram.yty', username: 'tram.yty', displayName: 'Lý Thị Mai', role: 'station_worker', unitId: 'tyt-02701', patientId: null };
  const fetch: typeof globalThis.fetch = (async (url: string, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body ?? '{}')) as { refreshToken?: string };
    calls.push(`${url} ${body.refreshToken ?? ''}`);
    // The answer comes in a later turn of the event loop, as a network's does: the tabs' calls overlap.
    await new Promise((r) => setImmediate(r));
    if (url === '/api/auth/logout') {
      valid.delete(body.refreshToken!);
      return Response.json({ ok: true });
    }
    if (!valid.delete(body.refreshToken!)) return Response.json({ error: 'unauthorized' }, { status: 401 });
    n++;
    valid.add(`r${n}`);
    return Response.json({ user, accessToken: `a${n}`, accessExpiresAt: clock() + 900_000, refreshToken: `r${n}` });
  }) as typeof fetch;
  return { fetch, calls, valid };
}

describe('the session across tabs', () => {
  const setup = () => {
    let clock = Date.parse('2026-11-22T08:00:00Z');
    const now = () => clock;
    const storage = new MemoryStorage();
    storage.setItem(sessionStorageKey, JSON.stringify({ user: { id: 'user-tram.yty' }, accessToken: 'a0', accessExpiresAt: clock + 900_000, refreshToken: 'r0' }));
    const api = server(now);
    const lockManager = locks();
    const tab = () => {
      const events = new EventTarget();
      storage.tabs.push(events);
      return new Session({ storage, fetch: api.fetch, locks: lockManager, now, events });
    };
    return { storage, api, tab, advance: (ms: number) => (clock += ms) };
  };

  it('refreshes an expired token once when two tabs need it at the same moment, and both get the new token', async () => {
    const { api, tab, advance } = setup();
    const [one, two] = [tab(), tab()];
    expect(await one.accessToken()).toBe('a0');
    advance(900_000);
    const tokens = await Promise.all([one.accessToken(), two.accessToken(), one.accessToken()]);
    expect(tokens).toEqual(['a1', 'a1', 'a1']);
    expect(api.calls).toEqual(['/api/auth/refresh r0']);
    // The next expiry spends the rotated token, whichever tab refreshes.
    advance(900_000);
    expect(await two.accessToken()).toBe('a2');
    expect(one.current?.refreshToken).toBe('r2');
    expect(api.calls).toEqual(['/api/auth/refresh r0', '/api/auth/refresh r1']);
  });

  it('logs every tab out, and revokes the refresh token on the server', async () => {
    const { api, tab } = setup();
    const [one, two] = [tab(), tab()];
    await one.logout();
    expect([one.user, two.user, two.current]).toEqual([undefined, undefined, undefined]);
    expect(api.calls).toEqual(['/api/auth/logout r0']);
    expect(api.valid.has('r0')).toBe(false);
    expect(await two.accessToken()).toBeUndefined();
  });

  it('names each refusal in the catalog, never with the server’s English', () => {
    expect(refusalKey({ error: 'rate_limited' })).toBe('error.rate_limited');
    expect(refusalKey({ error: 'busy' })).toBe('error.busy');
    expect(refusalKey({ error: 'account_disabled' })).toBe('error.account_disabled');
    expect(refusalKey({ error: 'weak_password', reason: 'too_common' })).toBe('password.too_common');
    expect(refusalKey({ error: 'something_new' })).toBe('error.internal');
    expect(refusalKey(undefined)).toBe('error.internal');
  });
});

describe('an account an administrator disabled', () => {
  it('is told so at login, and can no longer log in offline on this device', async () => {
    const storage = new MemoryStorage();
    const user = { id: 'user-tram.yty', username: 'tram.yty' };
    await rememberCredentials('tram.yty', 'yty-demo-2025', user, storage);
    expect(await verifyOffline('tram.yty', 'yty-demo-2025', storage)).toEqual(user);
    const fetch = (async () => Response.json({ error: 'account_disabled', message: 'this account is disabled' }, { status: 403 })) as unknown as typeof globalThis.fetch;
    const session = new Session({ storage, fetch, events: new EventTarget() });
    expect(await session.login('tram.yty', 'yty-demo-2025')).toEqual({ ok: false, error: 'error.account_disabled' });
    expect(await verifyOffline('tram.yty', 'yty-demo-2025', storage)).toBeUndefined();
  });
});
