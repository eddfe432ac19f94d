// The HTTP API through app.request(): health, login, refresh rotation, authenticated access, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { createTokenIssuer } from './auth/tokens';
import { demoLogins, seedDemo } from './demo-seed';
import { createLogger } from './log';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './storage/embedded-postgres';
import { connectPostgres, createPostgresStorage } from './storage/postgres-storage';
import type { Storage } from './storage/storage';

type SessionBody = { accessToken: string; refreshToken: string; user: Record<string, unknown> };
type ErrorBody = { error: string };
const session = async (res: Response) => (await res.json()) as SessionBody;
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

const fastHashing = { N: 2 ** 10, r: 8, p: 1 };
const secret = 'x'.repeat(32);

describe('HTTP API', () => {
  let embedded: EmbeddedPostgres;
  let storage: Storage;
  let clock = Date.parse('2026-11-22T08:00:00Z');
  const logged: string[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres(undefined);
    storage = createPostgresStorage(connectPostgres(embedded.url, 1));
    await storage.migrate();
    await seedDemo(storage, fastHashing);
    app = createApp({
      storage,
      tokens: createTokenIssuer(secret, 900),
      log: createLogger('debug', (line) => logged.push(line)),
      refreshTokenTtlSeconds: 3600,
      now: () => clock,
      scryptCost: fastHashing
    });
  });

  afterAll(async () => {
    await storage.close();
    await embedded.stop();
  });

  const station = demoLogins.find((l) => l.username === 'tram.yty')!;
  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('publishes the official ICD-10 list with the version the app build carries, compressed, and answers 304 to a device that has it', async () => {
    const list = (await (await app.request('/api/catalogs')).json()) as { catalogs: { name: string; version: string; count: number }[] };
    const entry = list.catalogs.find((x) => x.name === 'icd10')!;
    const { icd10Shipped } = await import('@telehealth/catalogs');
    expect(entry).toEqual({ name: 'icd10', version: icd10Shipped.version, source: 'official', count: 15_844 });
    const res = await app.request('/api/catalogs/icd10', { headers: { 'accept-encoding': 'gzip' } });
    expect([res.status, res.headers.get('etag')?.replace(/^W\//, ''), res.headers.get('content-encoding')]).toEqual([200, `"${entry.version}"`, 'gzip']);
    const { readIcd10Publication } = await import('@telehealth/catalogs');
    const body = await new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).json();
    expect(readIcd10Publication(body)?.entries.length).toBe(entry.count);
    for (const tag of [`"${entry.version}"`, `W/"${entry.version}"`]) {
      expect((await app.request('/api/catalogs/icd10', { headers: { 'if-none-match': tag } })).status).toBe(304);
    }
  });

  it('lists the units with the upper units each station may send requests to and their facility codes', async () => {
    const res = await app.request('/api/units');
    const { units } = (await res.json()) as { units: { id: string; links: string[]; facilityCode: string | null }[] };
    expect(units.find((u) => u.id === 'tyt-02701')?.links).toEqual(['ttyt-bat-xat']);
    // Mã cơ sở y tế (appendix 3's header), for the device to print; a Sở Y tế has none.
    expect(Object.fromEntries(units.map((u) => [u.id, u.facilityCode]))).toEqual({
      'syt-15': null,
      'ttyt-bat-xat': '15010',
      'tyt-02701': '15122',
      'tyt-02686': '15115'
    });
  });

  it('registers a patient with their phone at a station, then logs them in; refuses a taken phone or bad fields', async () => {
    const res = await post('/api/auth/register', { phone: '0987654321', password: 'mat-khau-1', fullName: 'Sùng Thị Mỷ', unitId: 'tyt-02686' });
    expect(res.status).toBe(200);
    const body = await session(res);
    expect(body.user).toMatchObject({ role: 'patient', unitId: 'tyt-02686', displayName: 'Sùng Thị Mỷ' });
    expect(String(body.user.patientId)).toMatch(/^patient-/);
    expect((await post('/api/auth/login', { username: '0987654321', password: 'mat-khau-1' })).status).toBe(200);
    const again = await post('/api/auth/register', { phone: '0987654321', password: 'mat-khau-2', fullName: 'X', unitId: 'tyt-02686' });
    expect([again.status, await errorOf(again)]).toEqual([409, 'phone_taken']);
    for (const bad of [
      { phone: '12345', password: 'mat-khau-1', fullName: 'A', unitId: 'tyt-02686' },
      { phone: '0987000000', password: 'short', fullName: 'A', unitId: 'tyt-02686' },
      { phone: '0987000000', password: 'mat-khau-1', fullName: 'A', unitId: 'ttyt-bat-xat' }
    ]) {
      expect((await post('/api/auth/register', bad)).status).toBe(400);
    }
    expect((await post('/api/auth/login', { username: '0987000000', password: 'mat-khau-1' })).status).toBe(401);
  });

  it('reports healthy storage on /healthz', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
  });

  it('logs a demo station worker in and returns their role and unit', async () => {
    const res = await post('/api/auth/login', { username: station.username, password: station.password });
    expect(res.status).toBe(200);
    const body = await session(res);
    expect(body.user).toMatchObject({ username: 'tram.yty', role: 'station_worker', unitId: 'tyt-02701' });
    expect(body.user.passwordHash).toBeUndefined();
    const me = await app.request('/api/me', { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect((await session(me)).user.id).toBe('user-tram.yty');
  });

  it('accepts the username in any letter case', async () => {
    const res = await post('/api/auth/login', { username: 'TRAM.YTY', password: station.password });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong password with a named error and logs it', async () => {
    const res = await post('/api/auth/login', { username: station.username, password: 'wrong' });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toBe('invalid_credentials');
    expect(logged.some((l) => l.includes('"login.failed"'))).toBe(true);
  });

  it.each([
    ['not JSON', 'username=a'],
    ['missing password', { username: 'a' }],
    ['a number for username', { username: 5, password: 'x' }],
    ['an oversized field', { username: 'a'.repeat(5000), password: 'x' }]
  ])('answers 400 to a login body with %s', async (_label, body) => {
    const res = await post('/api/auth/login', body);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe('bad_request');
  });

  it('rotates refresh tokens: each can be used once', async () => {
    const login = await session(await post('/api/auth/login', { username: station.username, password: station.password }));
    const first = await post('/api/auth/refresh', { refreshToken: login.refreshToken });
    expect(first.status).toBe(200);
    const replay = await post('/api/auth/refresh', { refreshToken: login.refreshToken });
    expect(replay.status).toBe(401);
    const next = await post('/api/auth/refresh', { refreshToken: (await session(first)).refreshToken });
    expect(next.status).toBe(200);
  });

  it('rejects an expired, tampered or missing access token', async () => {
    const login = await session(await post('/api/auth/login', { username: station.username, password: station.password }));
    const token: string = login.accessToken;
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await app.request('/api/me', { headers: { authorization: `Bearer ${tampered}` } })).status).toBe(401);
    expect((await app.request('/api/me')).status).toBe(401);
    clock += 901_000;
    expect((await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.request('/nothing-here');
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toBe('not_found');
  });
});
