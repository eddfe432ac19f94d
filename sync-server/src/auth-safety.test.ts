// Safe by default: first-admin setup with a one-time code, login limits (per address, per account, concurrent
// hashing), JSON-only bounded bodies, the password rule, logout revoking the refresh token, named and logged errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'hono';
import { createApp, type AppDeps } from './app';
import { createTokenIssuer } from './auth/tokens';
import { createSetupCode, memorySetupCode } from './auth/setup';
import { demoLogins, seedDemo } from './demo-seed';
import { createLogger } from './log';
import { startEmbeddedPostgres } from './storage/embedded-postgres';
import { connectPostgres, createPostgresStorage } from './storage/postgres-storage';
import type { Storage } from './storage/storage';

type Body = { error?: string; reason?: string; request?: string; retryAfterSeconds?: number; accessToken?: string; refreshToken?: string; user?: Record<string, unknown> };
const fastHashing = { N: 2 ** 10, r: 8, p: 1 };

async function database() {
  const embedded = await startEmbeddedPostgres(undefined);
  const storage = createPostgresStorage(connectPostgres(embedded.url, 1));
  await storage.migrate();
  return { embedded, storage };
}

function appWith(storage: Storage, logged: string[], extra: Partial<AppDeps> = {}) {
  const app = createApp({
    storage,
    tokens: createTokenIssuer('x'.repeat(32), 900),
    log: createLogger('debug', (line) => logged.push(line)),
    refreshTokenTtlSeconds: 3600,
    scryptCost: fastHashing,
    addressOf: (c: Context) => c.req.header('x-test-address') ?? '203.0.113.1',
    ...extra
  });
  const post = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => ({}))) as Body };
  };
  return { app, post };
}

describe('first-admin setup on an empty database', () => {
  let db: Awaited<ReturnType<typeof database>>;
  beforeAll(async () => (db = await database()));
  afterAll(async () => {
    await db.storage.close();
    await db.embedded.stop();
  });

  it('writes the one-time code to DATA_DIR/setup-code readable only by the server user', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'setup-code-'));
    const setup = createSetupCode(dir);
    expect(setup.code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    expect(statSync(setup.file!).mode & 0o777).toBe(0o600);
    setup.finish();
    expect([setup.code, existsSync(setup.file!)]).toEqual([undefined, false]);
  });

  it('creates the first admin only with the right code and an acceptable password, then never again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'setup-code-'));
    const setup = createSetupCode(dir);
    const code = setup.code!;
    const logged: string[] = [];
    const { app, post } = appWith(db.storage, logged, { setup });
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: true });

    const wrong = await post('/api/setup', { code: 'AAAAA-BBBBB-CCCCC', username: 'quantri', displayName: 'Quản trị', password: 'Sở Y tế 2026!' });
    expect([wrong.status, wrong.body.error]).toEqual([403, 'bad_setup_code']);
    const weak = await post('/api/setup', { code, username: 'quantri', displayName: 'Quản trị', password: 'quantri2026' });
    expect([weak.status, weak.body.error, weak.body.reason]).toEqual([400, 'weak_password', 'same_as_account']);

    // The code is read from a console or a file: lower case and without dashes is still the code.
    const ok = await post('/api/setup', { code: code.toLowerCase().replace(/-/g, ''), username: 'QuanTri', displayName: 'Quản trị Sở Y tế', password: 'Sở Y tế 2026!' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ username: 'quantri', role: 'admin', displayName: 'Quản trị Sở Y tế' });
    expect(existsSync(path.join(dir, 'setup-code'))).toBe(false);
    const me = await app.request('/api/me', { headers: { authorization: `Bearer ${ok.body.accessToken}` } });
    expect(me.status).toBe(200);

    const again = await post('/api/setup', { code, username: 'other', displayName: 'Khác', password: 'Sở Y tế 2026!' });
    expect([again.status, again.body.error]).toEqual([409, 'setup_done']);
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: false });
    expect((await post('/api/auth/login', { username: 'quantri', password: 'Sở Y tế 2026!' })).status).toBe(200);
    expect(logged.some((l) => l.includes('"setup.admin_created"'))).toBe(true);
  });

  it('creates one admin when two setups race with the right code', async () => {
    const fresh = await database();
    try {
      const { post } = appWith(fresh.storage, [], { setup: memorySetupCode('K7QM4-XPA9R-TD3WE') });
      const tries = await Promise.all(
        ['alpha', 'bravo'].map((username) => post('/api/setup', { code: 'K7QM4-XPA9R-TD3WE', username, displayName: username, password: 'Sở Y tế 2026!' }))
      );
      expect(tries.map((t) => t.status).sort()).toEqual([200, 409]);
      expect(await fresh.storage.countUsers()).toBe(1);
    } finally {
      await fresh.storage.close();
      await fresh.embedded.stop();
    }
  });
});

describe('login, registration and logout', () => {
  let db: Awaited<ReturnType<typeof database>>;
  const station = demoLogins.find((l) => l.username === 'tram.yty')!;
  beforeAll(async () => {
    db = await database();
    await seedDemo(db.storage, fastHashing);
  });
  afterAll(async () => {
    await db.storage.close();
    await db.embedded.stop();
  });

  it('slows down guessing from one address with 429 and Retry-After, and lets it try again after the wait', async () => {
    let clock = Date.parse('2026-11-22T08:00:00Z');
    const logged: string[] = [];
    const { post } = appWith(db.storage, logged, { now: () => clock, authLimits: { perAddress: { capacity: 3, refillMs: 20_000 } } });
    const guesses = [];
    for (const password of ['a1', 'b2', 'c3', 'd4']) guesses.push(await post('/api/auth/login', { username: `user${password}`, password }));
    expect(guesses.map((g) => g.status)).toEqual([401, 401, 401, 429]);
    expect([guesses[3]!.body.error, guesses[3]!.headers.get('retry-after'), guesses[3]!.body.retryAfterSeconds]).toEqual(['rate_limited', '20', 20]);
    // Another address is not slowed down.
    expect((await post('/api/auth/login', { username: station.username, password: station.password }, { 'x-test-address': '198.51.100.7' })).status).toBe(200);
    clock += 20_000;
    expect((await post('/api/auth/login', { username: station.username, password: station.password })).status).toBe(200);
    expect(logged.some((l) => l.includes('"http.refused"') && l.includes('"rate_limited"') && l.includes('POST /api/auth/login'))).toBe(true);
  });

  it('makes a hash of another cost again at sign-in (the operator changed PASSWORD_HASH_N), keeping the sessions', async () => {
    const account = demoLogins.find((l) => l.username === 'bacsi.batxat')!;
    const before = (await db.storage.findUserByUsername(account.username))!;
    expect(before.passwordHash.split('$')[1]).toBe('1024');
    // The server now hashes at 2^11: the first sign-in is checked against the old hash, then the hash is remade.
    const logged: string[] = [];
    const { post } = appWith(db.storage, logged, { scryptCost: { N: 2 ** 11, r: 8, p: 1 }, addressOf: () => '192.0.2.44' });
    const first = await post('/api/auth/login', { username: account.username, password: account.password });
    expect(first.status).toBe(200);
    const after = (await db.storage.findUserByUsername(account.username))!;
    expect(after.passwordHash.split('$')[1]).toBe('2048');
    expect(logged.some((l) => l.includes('"login.rehashed"'))).toBe(true);
    // The session of that sign-in goes on (a re-hash is not a password change), and the password still works.
    expect((await post('/api/auth/refresh', { refreshToken: first.body.refreshToken })).status).toBe(200);
    expect((await post('/api/auth/login', { username: account.username, password: account.password })).status).toBe(200);
    expect((await post('/api/auth/login', { username: account.username, password: 'not-the-password' })).status).toBe(401);
  });

  it('slows down guessing one account from many addresses', async () => {
    let clock = Date.parse('2026-11-22T08:00:00Z');
    const { post } = appWith(db.storage, [], { now: () => clock, authLimits: { perAccount: { capacity: 2, refillMs: 60_000 } } });
    const statuses = [];
    for (const n of [1, 2, 3]) statuses.push((await post('/api/auth/login', { username: 'TRAM.YTY', password: `guess-${n}` }, { 'x-test-address': `192.0.2.${n}` })).status);
    expect(statuses).toEqual([401, 401, 429]);
    // Even the right password waits: the account is what is being guessed.
    expect((await post('/api/auth/login', { username: station.username, password: station.password }, { 'x-test-address': '192.0.2.9' })).status).toBe(429);
    clock += 60_000;
    expect((await post('/api/auth/login', { username: station.username, password: station.password }, { 'x-test-address': '192.0.2.9' })).status).toBe(200);
  });

  it('checks at most the allowed number of passwords at once and answers 503 when the queue is full, for unknown accounts too', async () => {
    // A realistic hash cost so that the checks overlap; one at a time, no queue.
    const { post } = appWith(db.storage, [], { scryptCost: { N: 2 ** 14, r: 8, p: 1 }, authLimits: { hashConcurrency: 1, hashQueue: 0 } });
    const attempts = await Promise.all(
      [1, 2, 3, 4].map((n) => post('/api/auth/login', { username: `nobody-${n}`, password: 'wrong-password' }, { 'x-test-address': `192.0.2.${20 + n}` }))
    );
    const statuses = attempts.map((a) => a.status).sort();
    // An unknown account takes the hashing slot like a known one (the same work, the same time).
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(503);
    expect(attempts.find((a) => a.status === 503)!.body.error).toBe('busy');
  });

  it('refuses anything but a JSON body (415) and bodies over 16 KiB (413), naming the request', async () => {
    const { app, post } = appWith(db.storage, []);
    const form = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=tram.yty&password=x' });
    expect([form.status, ((await form.json()) as Body).error]).toEqual([415, 'unsupported_media_type']);
    const plain = await app.request('/api/auth/register', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    const big = await post('/api/auth/login', { username: 'a', password: 'x'.repeat(17 * 1024) });
    expect([big.status, big.body.error, big.body.request]).toEqual([413, 'payload_too_large', 'POST /api/auth/login']);
    const json = await post('/api/auth/login', { username: station.username, password: 'wrong' }, { 'content-type': 'application/json; charset=utf-8' });
    expect([json.status, json.body.request]).toEqual([401, 'POST /api/auth/login']);
  });

  it('refuses a guessable password at registration with the reason', async () => {
    const { post } = appWith(db.storage, []);
    const cases: [string, string][] = [
      ['matkhau123', 'too_common'],
      ['12345678', 'all_digits'],
      ['0977111222x', 'same_as_account'],
      ['ngắn', 'too_short']
    ];
    for (const [password, reason] of cases) {
      const res = await post('/api/auth/register', { phone: '0977111222', password, fullName: 'Giàng A Páo', unitId: 'tyt-02701' });
      expect([res.status, res.body.error, res.body.reason], password).toEqual([400, 'weak_password', reason]);
    }
    expect((await post('/api/auth/register', { phone: '0977111222', password: 'Núi cao 2026', fullName: 'Giàng A Páo', unitId: 'tyt-02701' })).status).toBe(200);
  });

  it('ends the session on the server at logout: the refresh token no longer works', async () => {
    const { post } = appWith(db.storage, []);
    const login = await post('/api/auth/login', { username: station.username, password: station.password }, { 'x-test-address': '192.0.2.50' });
    expect((await post('/api/auth/logout', { refreshToken: login.body.refreshToken })).status).toBe(200);
    const refresh = await post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
    expect([refresh.status, refresh.body.error]).toEqual([401, 'unauthorized']);
  });
});
