// Administration (M12): an administrator creates the staff accounts and units a province runs on, resets a password
// and moves a person to another unit (their sessions end: open sockets close with 4401 and the old refresh token is
// gone), within the units they administer; every change is refused with a reason when it is wrong, and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, MessageType, PROTOCOL_VERSION, decodeServerMessage, encodeClientMessage, type ServerMessage } from '@telehealth/protocol';
import { readFileSync } from 'node:fs';
import { readDrugPublication, readIcd10Publication } from '@telehealth/catalogs';
import { demoLogins } from '../src/demo-seed';
import { SyncState } from '@telehealth/sync-client';
import { canonicalJson, mainRecord, writeFields } from '@telehealth/domain';
import { createHash } from 'node:crypto';
import { p12Signer, signPdf } from '@telehealth/signing/sign';
import { makeTestP12, minimalPdf } from '@telehealth/signing/signing.testing';
import { device, startTestSystem, waitFor, wsUrl, type TestSystem } from './harness';

type Session = { accessToken: string; refreshToken: string; user: { id: string; role: string; unitId: string | null } };
type Reply = { status: number; body: Record<string, unknown> & { error?: string; message?: string } };

let system: TestSystem;

async function call(method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown): Promise<Reply> {
  const res = await fetch(`${system.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Reply['body'] };
}
const post = (path: string, token: string | undefined, body: unknown) => call('POST', path, token, body);
const get = (path: string, token: string | undefined) => call('GET', path, token);
const login = async (username: string, password = demoLogins.find((l) => l.username === username)?.password ?? '') => post('/api/auth/login', undefined, { username, password });
const session = async (username: string, password?: string) => (await login(username, password)).body as unknown as Session;

/** An open sync socket that said hello; how it was closed. */
async function socket(token: string, deviceId: string) {
  const ws = new WebSocket(wsUrl(system.url));
  const received: ServerMessage[] = [];
  let closeCode: number | undefined;
  ws.on('close', (code) => (closeCode = code));
  ws.on('message', (data) => {
    const d = decodeServerMessage(new Uint8Array(data as Buffer));
    if (d.ok) received.push(d.message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId, cursor: { e: 0, s: 0 } }));
  await waitFor(() => received.some((m) => m.type === MessageType.welcome), 5_000, 'welcome');
  return { ws, closeCode: () => closeCode };
}

const trail = async (token: string, docId: string) => ((await get(`/api/admin/audit?docId=${docId}`, token)).body.entries as { action: string; userId: string }[]) ?? [];

describe('administration', () => {
  let admin: Session;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await session('admin');
  });
  afterAll(async () => {
    await system.stop();
  });

  it('is for administrators only, and never shows a password hash', async () => {
    expect((await get('/api/admin/accounts', undefined)).status).toBe(401);
    for (const who of ['tram.yty', 'bacsi.batxat', '0912345678']) {
      const token = (await session(who)).accessToken;
      expect(await get('/api/admin/accounts', token), who).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect(await post('/api/admin/accounts', token, { username: 'x.y.z', displayName: 'X', role: 'station_worker', unitId: 'tyt-02701', password: 'Mot-hai-ba-bon' }), who).toMatchObject({ status: 403 });
      expect(await post('/api/admin/units', token, { id: 'tyt-x', kind: 'station', name: 'X', provinceCode: '15', communeCode: '02701' }), who).toMatchObject({ status: 403 });
    }
    const list = await get('/api/admin/accounts', admin.accessToken);
    expect(list.status).toBe(200);
    const accounts = list.body.accounts as Record<string, unknown>[];
    expect(accounts.map((a) => a.username)).toEqual(expect.arrayContaining(['admin', 'tram.yty', 'bacsi.batxat']));
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash|password_hash/);
  });

  it('creates a station health worker who can sign in at once, and refuses what is wrong with a reason', async () => {
    const good = { username: 'cbyt.yty2', displayName: 'Sùng Thị Pà', role: 'station_worker', unitId: 'tyt-02701', password: 'Tram-Y-Ty-2026' };
    const created = await post('/api/admin/accounts', admin.accessToken, good);
    expect(created).toMatchObject({ status: 201, body: { account: { username: 'cbyt.yty2', role: 'station_worker', unitId: 'tyt-02701', disabled: false } } });
    const id = (created.body.account as { id: string }).id;
    const signedIn = await login('cbyt.yty2', 'Tram-Y-Ty-2026');
    expect(signedIn).toMatchObject({ status: 200, body: { user: { role: 'station_worker', unitId: 'tyt-02701' } } });
    expect(await trail(admin.accessToken, `account:${id}`)).toEqual([expect.objectContaining({ action: 'account_create', userId: admin.user.id })]);

    const refusals: [unknown, number, string][] = [
      [{ ...good }, 409, 'username_taken'],
      [{ ...good, username: 'cbyt.a', password: 'matkhau123' }, 400, 'weak_password'],
      [{ ...good, username: 'cbyt.b', role: 'doctor' }, 400, 'bad_request'], // a doctor does not belong to a station
      [{ ...good, username: 'cbyt.c', unitId: 'ttyt-bat-xat' }, 400, 'bad_request'], // a station worker belongs to a station
      [{ ...good, username: 'cbyt.d', role: 'patient' }, 400, 'bad_request'],
      [{ ...good, username: 'cbyt.e', unitId: 'tyt-nowhere' }, 400, 'bad_request'],
      [{ ...good, username: 'Có Dấu' }, 400, 'bad_request'],
      [{ ...good, username: 'cbyt.f', isAdmin: true }, 400, 'bad_request'], // closed schema
      ['{"username":', 400, 'bad_request']
    ];
    for (const [body, status, error] of refusals) expect(await post('/api/admin/accounts', admin.accessToken, body), JSON.stringify(body)).toMatchObject({ status, body: { error } });
    expect(await post('/api/admin/accounts', admin.accessToken, { ...good, username: 'cbyt.g', displayName: 'x'.repeat(5000) })).toMatchObject({ status: 413 });
    // None of the refused ones exists.
    const names = ((await get('/api/admin/accounts', admin.accessToken)).body.accounts as { username: string }[]).map((a) => a.username);
    expect(names.filter((n) => /^cbyt\.[a-g]$/.test(n))).toEqual([]);
  });

  it('resets a password: the old one stops working, open sockets close with 4401 and the old refresh token is gone', async () => {
    const before = await session('tram.amusung');
    const open = await socket(before.accessToken, 'amusung-dev-1');
    const id = before.user.id;
    expect(await post(`/api/admin/accounts/${id}/password`, admin.accessToken, { password: '123456789' })).toMatchObject({ status: 400, body: { error: 'weak_password' } });
    // Refused: nothing changed.
    expect((await login('tram.amusung')).status).toBe(200);

    const reset = await post(`/api/admin/accounts/${id}/password`, admin.accessToken, { password: 'A-Mu-Sung-moi-2026' });
    expect(reset).toMatchObject({ status: 200, body: { sessionsEnded: true, closedConnections: 1 } });
    await waitFor(() => open.closeCode() !== undefined, 5_000, 'the socket to close');
    expect(open.closeCode()).toBe(CloseCode.unauthorized.code);
    expect((await post('/api/auth/refresh', undefined, { refreshToken: before.refreshToken })).status).toBe(401);
    expect((await login('tram.amusung')).status).toBe(401);
    expect((await login('tram.amusung', 'A-Mu-Sung-moi-2026')).status).toBe(200);
    expect(await trail(admin.accessToken, `account:${id}`)).toEqual([expect.objectContaining({ action: 'password_reset' })]);
  });

  it('moves a person to another unit: their sessions end; an administrator keeps their own role', async () => {
    const created = await post('/api/admin/accounts', admin.accessToken, { username: 'bs.luanchuyen', displayName: 'BS. Lò Văn Sinh', role: 'doctor', unitId: 'ttyt-bat-xat', password: 'Luan-chuyen-2026' });
    const id = (created.body.account as { id: string }).id;
    const before = await session('bs.luanchuyen', 'Luan-chuyen-2026');
    const open = await socket(before.accessToken, 'sinh-dev-1');
    // A new name alone does not end anything.
    expect(await post(`/api/admin/accounts/${id}`, admin.accessToken, { displayName: 'BS. Lò Văn Sinh (CKI)' })).toMatchObject({ status: 200, body: { sessionsEnded: false } });
    expect(open.ws.readyState).toBe(WebSocket.OPEN);
    const moved = await post(`/api/admin/accounts/${id}`, admin.accessToken, { role: 'station_worker', unitId: 'tyt-02686' });
    expect(moved).toMatchObject({ status: 200, body: { account: { role: 'station_worker', unitId: 'tyt-02686', displayName: 'BS. Lò Văn Sinh (CKI)' }, sessionsEnded: true } });
    await waitFor(() => open.closeCode() !== undefined, 5_000, 'the socket to close');
    expect(open.closeCode()).toBe(CloseCode.unauthorized.code);
    expect((await post('/api/auth/refresh', undefined, { refreshToken: before.refreshToken })).status).toBe(401);
    expect(await login('bs.luanchuyen', 'Luan-chuyen-2026')).toMatchObject({ status: 200, body: { user: { unitId: 'tyt-02686', role: 'station_worker' } } });

    expect(await post(`/api/admin/accounts/${admin.user.id}`, admin.accessToken, { role: 'doctor', unitId: 'ttyt-bat-xat' })).toMatchObject({ status: 409, body: { error: 'cannot_demote_self' } });
    expect(await post(`/api/admin/accounts/${id}`, admin.accessToken, { role: 'station_worker', unitId: 'ttyt-bat-xat' })).toMatchObject({ status: 400 });
    expect(await post(`/api/admin/accounts/user-nobody`, admin.accessToken, { displayName: 'X' })).toMatchObject({ status: 404 });
  });

  it("keeps a unit's administrator within their units", async () => {
    // The department's administrator creates an IT focal point for the centre…
    const focal = await post('/api/admin/accounts', admin.accessToken, { username: 'qt.batxat', displayName: 'Quản trị TTYT Bát Xát', role: 'admin', unitId: 'ttyt-bat-xat', password: 'Quan-tri-Bat-Xat-26' });
    expect(focal.status).toBe(201);
    const centre = await session('qt.batxat', 'Quan-tri-Bat-Xat-26');
    // …who sees the centre's and its stations' accounts, not the department's.
    const seen = ((await get('/api/admin/accounts', centre.accessToken)).body.accounts as { username: string; unitId: string }[]).map((a) => a.username);
    expect(seen).toEqual(expect.arrayContaining(['tram.yty', 'bacsi.batxat', 'qt.batxat']));
    expect(seen).not.toContain('admin');
    // Creates a station worker at one of its stations, not at the department, and no administrator without a unit.
    expect((await post('/api/admin/accounts', centre.accessToken, { username: 'cbyt.amusung2', displayName: 'Giàng A Páo', role: 'station_worker', unitId: 'tyt-02686', password: 'Giang-A-Pao-2026' })).status).toBe(201);
    expect(await post('/api/admin/accounts', centre.accessToken, { username: 'bs.syt', displayName: 'X', role: 'doctor', unitId: 'syt-15', password: 'Khong-duoc-2026' })).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(await post('/api/admin/accounts', centre.accessToken, { username: 'qt.all', displayName: 'X', role: 'admin', unitId: null, password: 'Khong-duoc-2026' })).toMatchObject({ status: 403 });
    // The department's own administrator is, to them, no account at all.
    expect(await post(`/api/admin/accounts/${admin.user.id}/disable`, centre.accessToken, {})).toMatchObject({ status: 404 });
    expect(await post(`/api/admin/accounts/${admin.user.id}/password`, centre.accessToken, { password: 'Chiem-quyen-2026' })).toMatchObject({ status: 404 });
    // The audit trail: of their units' accounts and units, not of the department's.
    expect((await get('/api/admin/audit?docId=account:user-tram.yty', centre.accessToken)).status).toBe(200);
    expect((await get('/api/admin/audit?userId=user-bacsi.batxat', centre.accessToken)).status).toBe(200);
    expect(await get(`/api/admin/audit?userId=${admin.user.id}`, centre.accessToken)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await get('/api/admin/audit?docId=unit:syt-15', centre.accessToken)).status).toBe(403);
    // Units: a new station below the centre, yes; one below the department, or a change of where the centre hangs, no.
    expect((await post('/api/admin/units', centre.accessToken, { id: 'tyt-02725', kind: 'station', name: 'Trạm Y tế xã Bản Xèo', provinceCode: '15', communeCode: '02725', parentId: 'ttyt-bat-xat', links: ['ttyt-bat-xat'] })).status).toBe(201);
    expect(await post('/api/admin/units', centre.accessToken, { id: 'tyt-02695', kind: 'station', name: 'X', provinceCode: '15', communeCode: '02695', parentId: 'syt-15' })).toMatchObject({ status: 403 });
    expect(await post('/api/admin/units', centre.accessToken, { id: 'ttyt-bat-xat', kind: 'centre', name: 'Trung tâm Y tế khu vực Bát Xát', provinceCode: '15', communeCode: '02683', parentId: null })).toMatchObject({ status: 403 });
  });

  it('creates and changes units with their codes and links, checked against the catalogs, and the directory shows them', async () => {
    const station = { id: 'tyt-02707', kind: 'station', name: 'Trạm Y tế xã Dền Sáng', provinceCode: '15', communeCode: '02707', parentId: 'ttyt-bat-xat', facilityCode: '15124', phone: '02143880707', links: ['ttyt-bat-xat'] };
    const created = await post('/api/admin/units', admin.accessToken, station);
    expect(created).toMatchObject({ status: 201, body: { unit: { id: 'tyt-02707', facilityCode: '15124', links: ['ttyt-bat-xat'] } } });
    const changed = await post('/api/admin/units', admin.accessToken, { ...station, phone: '0912000707', links: undefined });
    expect(changed).toMatchObject({ status: 200, body: { unit: { phone: '0912000707', links: ['ttyt-bat-xat'] } } });
    const directory = (await get('/api/units', undefined)).body.units as { id: string; phone: string | null }[];
    expect(directory.find((u) => u.id === 'tyt-02707')).toMatchObject({ phone: '0912000707' });
    expect((await trail(admin.accessToken, 'unit:tyt-02707')).map((e) => e.action)).toEqual(['unit_change', 'unit_change']);

    const bad = await post('/api/admin/units', admin.accessToken, { id: 'tyt-bad', kind: 'clinic', name: '', provinceCode: '99', communeCode: '02707', facilityCode: '1512', phone: '12345', parentId: 'nowhere', links: ['nowhere'] });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as string[]).map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['kind', 'name', 'provinceCode', 'facilityCode', 'phone']));
    // A commune of another province is not this station's.
    expect(await post('/api/admin/units', admin.accessToken, { ...station, id: 'tyt-elsewhere', communeCode: '00004' })).toMatchObject({ status: 400 });
    expect((await get('/api/units', undefined)).body.units as { id: string }[]).not.toContainEqual(expect.objectContaining({ id: 'tyt-bad' }));
  });

  it('imports an official ICD-10 list from a file: checked first, published to devices only when every row is good', async () => {
    // A cut of the official list (packages/catalogs/test-fixtures/README.md says which rows).
    const csv = readFileSync(new URL('../../packages/catalogs/test-fixtures/icd10_tt06_cut.csv', import.meta.url), 'utf8');
    const upload = async (body: string, token: string, apply: boolean, type = 'text/csv; charset=utf-8') => {
      const res = await fetch(`${system.url}/api/admin/catalogs/icd10${apply ? '?apply=1' : ''}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
      type Answer = { error?: string; applied?: boolean; report: { rejections: { line: number }[] }; catalog: { version: string } };
      return { status: res.status, body: (await res.json()) as Answer };
    };
    const before = (await get('/api/catalogs', undefined)).body.catalogs as { version: string; count: number }[];
    expect(before[0]!.count).toBe(15_844);

    // Only the deployment's administrator; only CSV.
    for (const who of ['tram.yty', 'qt.batxat']) {
      const token = (await session(who, who === 'qt.batxat' ? 'Quan-tri-Bat-Xat-26' : undefined)).accessToken;
      expect((await upload(csv, token, true)).status, who).toBe(403);
    }
    expect((await upload(csv, admin.accessToken, true, 'application/json')).status).toBe(415);

    // A file with a bad row: the report names it, and nothing changes even when asked to apply.
    const lines = csv.split('\n');
    const broken = [...lines.slice(0, 3), lines[3]!.replace('A00.1,A001', 'A00.1,A009'), ...lines.slice(4)].join('\n');
    const check = await upload(broken, admin.accessToken, false);
    expect(check).toMatchObject({ status: 200, body: { applied: false, report: { read: 289, accepted: 288, rejected: 1 } } });
    expect(check.body.report.rejections[0]).toMatchObject({ line: 4 });
    expect(await upload(broken, admin.accessToken, true)).toMatchObject({ status: 400, body: { error: 'catalog_rejected', report: { rejected: 1 } } });
    expect(((await get('/api/catalogs', undefined)).body.catalogs as { version: string }[])[0]!.version).toBe(before[0]!.version);

    // The good file: checked, then applied; devices get the new list, and a device that has it gets 304.
    expect(await upload(csv, admin.accessToken, false)).toMatchObject({ status: 200, body: { applied: false, report: { accepted: 289, rejected: 0 } } });
    const applied = await upload(csv, admin.accessToken, true);
    expect(applied).toMatchObject({ status: 200, body: { applied: true, catalog: { name: 'icd10', count: 289, imported: { by: admin.user.id } } } });
    const version = applied.body.catalog.version as string;
    expect(version).not.toBe(before[0]!.version);
    const served = await fetch(`${system.url}/api/catalogs/icd10`);
    expect(served.headers.get('etag')).toContain(version);
    const publication = readIcd10Publication(await served.json());
    expect(publication?.entries.map((e) => e.code)).toContain('U07.1');
    expect(publication?.entries).toHaveLength(289);
    expect((await fetch(`${system.url}/api/catalogs/icd10`, { headers: { 'if-none-match': `"${version}"` } })).status).toBe(304);
    expect(await get('/api/admin/catalogs', admin.accessToken)).toMatchObject({ status: 200, body: { catalogs: [{ version, count: 289 }, { name: 'drugs' }] } });
    expect((await trail(admin.accessToken, 'catalog:icd10')).map((e) => e.action)).toEqual(['catalog_import']);
  });

  it('imports a drug list the same way: none until one is imported, then published to devices with its version', async () => {
    const upload = async (body: string, apply: boolean) => {
      const res = await fetch(`${system.url}/api/admin/catalogs/drugs${apply ? '?apply=1' : ''}`, { method: 'POST', headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'text/csv' }, body });
      return { status: res.status, body: (await res.json()) as { error?: string; applied?: boolean; report: { accepted: number; rejected: number; rejections: { line: number; reason: string }[] }; catalog: { version: string } } };
    };
    const none = await fetch(`${system.url}/api/catalogs/drugs`);
    expect(await none.json()).toEqual({ version: 'none', entries: [] });

    const csv = 'MA_THUOC,TEN_HOAT_CHAT,TEN_THUOC,HAM_LUONG,DANG_BAO_CHE,DON_VI_TINH,DUONG_DUNG\n40.48,Paracetamol,Panadol,500mg,Viên nén,Viên,Uống\n40.17,Amoxicilin,,500mg,Viên nang,Viên,Uống\n';
    const bad = await upload(`${csv}40.50,Salbutamol,,2mg,Viên nén,,Uống\n`, true);
    expect(bad).toMatchObject({ status: 400, body: { error: 'catalog_rejected', report: { rejected: 1, rejections: [{ line: 4, reason: 'no DON_VI_TINH' }] } } });
    expect(await (await fetch(`${system.url}/api/catalogs/drugs`)).json()).toEqual({ version: 'none', entries: [] });
    const tram = (await session('tram.yty')).accessToken;
    expect((await fetch(`${system.url}/api/admin/catalogs/drugs?apply=1`, { method: 'POST', headers: { authorization: `Bearer ${tram}`, 'content-type': 'text/csv' }, body: csv })).status).toBe(403);

    const applied = await upload(csv, true);
    expect(applied).toMatchObject({ status: 200, body: { applied: true, catalog: { name: 'drugs', count: 2 } } });
    const served = await fetch(`${system.url}/api/catalogs/drugs`);
    const version = applied.body.catalog.version;
    expect(served.headers.get('etag')).toContain(version);
    const publication = readDrugPublication(await served.json());
    expect(publication?.entries.map((e) => e.activeIngredient)).toEqual(['Paracetamol', 'Amoxicilin']);
    expect((await fetch(`${system.url}/api/catalogs/drugs`, { headers: { 'if-none-match': `"${version}"` } })).status).toBe(304);
    expect((await trail(admin.accessToken, 'catalog:drugs')).map((e) => e.action)).toEqual(['catalog_import']);
  });

  it('lists the devices that sync, and a revoked one is shut out at once and for good, the others go on', async () => {
    const lost = await device(system.url, 'tram.yty', { name: 'lost phone' });
    const kept = await device(system.url, 'tram.yty', { name: 'station PC' });
    await lost.synced();
    await kept.synced();
    const lostId = (lost.client as unknown as { options: { deviceId: string } }).options.deviceId;
    const listed = ((await get('/api/admin/devices', admin.accessToken)).body.devices as { username: string; deviceId: string; lastSeen: string; revokedAt: string | null }[]).filter((d) => d.username === 'tram.yty');
    expect(listed.map((d) => d.deviceId)).toEqual(expect.arrayContaining([lostId]));
    expect(listed.find((d) => d.deviceId === lostId)).toMatchObject({ revokedAt: null });

    // Another unit's administrator cannot (the account is none of theirs); a malformed body changes nothing.
    const centre = (await session('qt.batxat', 'Quan-tri-Bat-Xat-26')).accessToken;
    expect((await post('/api/admin/devices/revoke', centre, { userId: admin.user.id, deviceId: 'whatever-device' })).status).toBe(404);
    expect((await post('/api/admin/devices/revoke', admin.accessToken, { userId: 'user-tram.yty' })).status).toBe(400);
    expect((await post('/api/admin/devices/revoke', admin.accessToken, { userId: 'user-tram.yty', deviceId: 'never-synced-1' })).status).toBe(404);

    const revoked = await post('/api/admin/devices/revoke', admin.accessToken, { userId: 'user-tram.yty', deviceId: lostId });
    expect(revoked).toMatchObject({ status: 200, body: { revoked: true, closedConnections: 1 } });
    await waitFor(() => lost.client.currentStatus.state === SyncState.deviceRevoked, 5_000, 'the lost device to stop');
    // It does not come back: a new hello from it is refused with 4410, even with a fresh login.
    const token = (await session('tram.yty')).accessToken;
    const ws = new WebSocket(wsUrl(system.url));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => ws.on('open', () => resolve()));
    ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId: lostId, cursor: { e: 0, s: 0 } }));
    expect(await closed).toBe(CloseCode.deviceRevoked.code);
    // The account's other device goes on.
    expect(kept.client.currentStatus.state).toBe(SyncState.synced);
    const after = ((await get('/api/admin/devices', admin.accessToken)).body.devices as { deviceId: string; revokedAt: string | null }[]).find((d) => d.deviceId === lostId);
    expect(after?.revokedAt).toEqual(expect.any(String));
    expect((await trail(admin.accessToken, `device:user-tram.yty/${lostId}`)).map((e) => e.action)).toEqual(['device_revoke']);
    lost.client.stop();
    kept.client.stop();
  });

  it("keeps a person's profile, and lets a station's health worker create a citizen's account for the chart", async () => {
    // The profile a consultant's minutes and the reports read.
    const created = await post('/api/admin/accounts', admin.accessToken, {
      username: 'bs.chuyenkhoa', displayName: 'BS. Phàn Thị Mẩy', role: 'doctor', unitId: 'ttyt-bat-xat', password: 'Chuyen-khoa-2026',
      gender: 'female', qualification: 'Bác sĩ chuyên khoa I', jobTitle: 'Trưởng khoa Nội', practiceCertificate: '000123/LC-CCHN', practiceScope: 'Khám bệnh, chữa bệnh chuyên khoa nội'
    });
    expect(created).toMatchObject({ status: 201, body: { account: { gender: 'female', qualification: 'Bác sĩ chuyên khoa I', practiceCertificate: '000123/LC-CCHN', createdBy: admin.user.id } } });
    const id = (created.body.account as { id: string }).id;
    expect(await post(`/api/admin/accounts/${id}`, admin.accessToken, { jobTitle: null, gender: 'other' })).toMatchObject({ status: 400 });
    expect(await post(`/api/admin/accounts/${id}`, admin.accessToken, { jobTitle: '' })).toMatchObject({ status: 200, body: { account: { jobTitle: null, qualification: 'Bác sĩ chuyên khoa I' }, sessionsEnded: false } });

    // The station's chart of Mr Thào, who has no smartphone: his daughter will sign in for him.
    const station = await device(system.url, 'tram.yty', { name: 'station PC' });
    station.store.edit('patient:p-thao', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-thao' }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { id: 'p-thao', unitId: 'tyt-02701', fullName: 'Thào A Dế', gender: 'male', dateOfBirth: '1950-05-05', createdAt: '2026-11-30T02:00:00.000Z', createdBy: 'user-tram.yty' })
    );
    await station.synced();
    const worker = (await session('tram.yty')).accessToken;
    const citizen = { phone: '0977000111', fullName: 'Thào A Dế', password: 'Thao-A-De-1950', patientId: 'p-thao' };
    for (const who of ['bacsi.batxat', 'admin', '0912345678']) expect((await post('/api/accounts/citizen', (await session(who)).accessToken, citizen)).status, who).toBe(403);
    expect((await post('/api/accounts/citizen', (await session('tram.amusung', 'A-Mu-Sung-moi-2026')).accessToken, citizen)).status).toBe(404); // another station's worker: not their chart
    expect(await post('/api/accounts/citizen', worker, { ...citizen, password: '0977000111' })).toMatchObject({ status: 400, body: { error: 'weak_password' } });
    expect(await post('/api/accounts/citizen', worker, { ...citizen, patientId: 'p-nobody' })).toMatchObject({ status: 404 });
    const made = await post('/api/accounts/citizen', worker, citizen);
    expect(made).toMatchObject({ status: 201, body: { account: { role: 'patient', unitId: 'tyt-02701', createdBy: 'user-tram.yty' } } });
    expect(await post('/api/accounts/citizen', worker, { ...citizen, phone: '0977000222' })).toMatchObject({ status: 409, body: { error: 'patient_has_account' } });
    expect(await post('/api/accounts/citizen', worker, { ...citizen, patientId: undefined })).toMatchObject({ status: 409, body: { error: 'phone_taken' } });
    expect(await login('0977000111', 'Thao-A-De-1950')).toMatchObject({ status: 200, body: { user: { role: 'patient', patientId: 'p-thao', unitId: 'tyt-02701' } } });
    station.client.stop();
  });
  it("keeps a unit's yearly reports: the telehealth level self-assessment and the activity report, checked, audited, within the units one runs", async () => {
    // What the report forms print about the unit comes from the directory.
    const unit = { id: 'tyt-02701', kind: 'station', name: 'Trạm Y tế xã Y Tý', provinceCode: '15', communeCode: '02701', parentId: 'ttyt-bat-xat', facilityCode: '15122', phone: '02143880701' };
    expect(await post('/api/admin/units', admin.accessToken, { ...unit, address: 'Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai', licence: '123/LC-GPHĐ' })).toMatchObject({ status: 200, body: { unit: { address: 'Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai', licence: '123/LC-GPHĐ' } } });
    // A change that leaves them out keeps them.
    expect(await post('/api/admin/units', admin.accessToken, unit)).toMatchObject({ status: 200, body: { unit: { licence: '123/LC-GPHĐ' } } });
    // One line each, no control characters (a NUL would otherwise reach the database and fail there).
    const badLines = await post('/api/admin/units', admin.accessToken, { ...unit, address: 'a\u0000b', licence: 'x\ny' });
    expect(badLines.status).toBe(400);
    expect((badLines.body.problems as string[]).map((p) => p.split(':')[0])).toEqual(['address', 'licence']);

    const level = '/api/admin/unit-reports/level/tyt-02701?year=2026';
    const empty = await get(level, admin.accessToken);
    expect(empty).toMatchObject({ status: 200, body: { unit: { name: 'Trạm Y tế xã Y Tý', address: 'Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai', licence: '123/LC-GPHĐ', parentName: 'Trung tâm Y tế khu vực Bát Xát' }, report: null, saved: null, facts: { sfu: false }, result: { level: 0 } } });
    // The station and its centre (its parent and the unit its requests go to): two connection points.
    expect(empty.body.connectionPoints).toBe(2);

    const answers = { phone: { doctors: true, citizens: true, units: true }, met: [1, 2, 3, 4, 5, 6, 7, 8, 70], forms: [1, 2], head: 'Lò Thị Hoa', recipient: 'Trung tâm Y tế khu vực Bát Xát' };
    const saved = await post(level, admin.accessToken, { report: answers });
    expect(saved).toMatchObject({ status: 200, body: { report: { met: [1, 2, 3, 4, 5, 6, 7, 8, 70], head: 'Lò Thị Hoa' }, saved: { by: admin.user.id }, result: { level: 1, missing: { level: 2, criteria: [49, 72] } } } });
    // Another year is another assessment.
    expect((await get('/api/admin/unit-reports/level/tyt-02701?year=2025', admin.accessToken)).body).toMatchObject({ report: null, result: { level: 0 } });

    // Bad answers are refused, each problem named, and change nothing.
    const bad = await post(level, admin.accessToken, { report: { ...answers, met: [43], level: 5 } });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as string[]).map((p) => p.split(':')[0])).toEqual(['level', 'met']);
    expect(await post(level, admin.accessToken, { report: answers, extra: 1 })).toMatchObject({ status: 400 });
    expect(await post(level, admin.accessToken, 'not json')).toMatchObject({ status: 400 });
    expect(await post(level, admin.accessToken, { report: { ...answers, email: 'not an address', head: 'a\nb' } })).toMatchObject({ status: 400, body: { problems: ['head: one line of at most 120 characters', 'email: an email address'] } });
    expect(await get('/api/admin/unit-reports/level/tyt-02701?year=1999', admin.accessToken)).toMatchObject({ status: 400 });
    expect(await get('/api/admin/unit-reports/budget/tyt-02701?year=2026', admin.accessToken)).toMatchObject({ status: 404 });
    expect((await get(level, admin.accessToken)).body).toMatchObject({ report: { met: [1, 2, 3, 4, 5, 6, 7, 8, 70] }, result: { level: 1 } });

    // The activity report: the year's figures from the records and the unit's staff, to prefill; saved as edited.
    const activity = '/api/admin/unit-reports/activity/tyt-02701?year=2026';
    const fresh = await get(activity, admin.accessToken);
    expect(fresh).toMatchObject({ status: 200, body: { report: null, figures: { formsCompleted: expect.any(Number), calls: { consultation: expect.any(Number) } } } });
    expect((fresh.body.staff as { name: string }[]).map((s) => s.name)).toContain(demoLogins.find((l) => l.username === 'tram.yty')!.displayName);
    // A briefing the station logs in March counts in 2026's figures (from the projections), not in 2025's.
    type Figures = { calls: { briefing: number }; firstActivity: string | null };
    const briefings = (fresh.body.figures as Figures).calls.briefing;
    const yty = await device(system.url, 'tram.yty', { name: 'station PC' });
    const at = '2026-03-02T02:00:00.000Z';
    yty.store.edit('call:c-briefing-03', { kind: 'call', unitId: 'tyt-02701', patientId: 'c-briefing-03' }, (doc) =>
      writeFields(mainRecord(doc, 'call'), { id: 'c-briefing-03', unitId: 'tyt-02701', direction: 'outgoing', callerUnitId: 'tyt-02701', calleeUnitId: 'ttyt-bat-xat', purpose: 'briefing', channel: 'phone', startedAt: at, createdAt: at, createdBy: 'user-tram.yty' })
    );
    await yty.client.localChange();
    await yty.synced();
    await waitFor(async () => ((await get(activity, admin.accessToken)).body.figures as Figures).calls.briefing === briefings + 1, 15_000, 'the briefing in the figures');
    expect(((await get(activity, admin.accessToken)).body.figures as Figures).firstActivity! <= at).toBe(true);
    expect(((await get('/api/admin/unit-reports/activity/tyt-02701?year=2025', admin.accessToken)).body.figures as Figures).calls.briefing).toBe(0);
    yty.client.stop();
    const report = { number: '05/BC-TYT', content: 'Năm 2026: tư vấn khám, chữa bệnh từ xa với TTYT Bát Xát.', participants: [{ name: 'Lò Thị Hoa', jobTitle: 'Trưởng trạm', qualification: 'Y sĩ' }], consultations: [{ done: true, note: 'Hội chẩn hằng tuần' }, {}, {}, {}, {}] };
    expect(await post(activity, admin.accessToken, { report })).toMatchObject({ status: 200, body: { report: { number: '05/BC-TYT', participants: [{ name: 'Lò Thị Hoa', practiceCertificate: '' }], consultations: [{ done: true }, { done: false }, {}, {}, {}] } } });
    expect(await post(activity, admin.accessToken, { report: { ...report, participants: [{ jobTitle: 'x' }] } })).toMatchObject({ status: 400, body: { problems: ['participants[0].name: required'] } });
    expect((await get(activity, admin.accessToken)).body).toMatchObject({ report: { number: '05/BC-TYT' } });
    // The two kinds are kept apart.
    expect((await get(level, admin.accessToken)).body).toMatchObject({ report: { head: 'Lò Thị Hoa' } });

    // Administrators only, within their units: the centre's reads its station, not the department; a unit that does
    // not exist reads as one outside.
    expect(await get(level, (await session('tram.yty')).accessToken)).toMatchObject({ status: 403 });
    const centre = (await session('qt.batxat', 'Quan-tri-Bat-Xat-26')).accessToken;
    expect((await get(activity, centre)).status).toBe(200);
    expect(await get('/api/admin/unit-reports/level/syt-15?year=2026', centre)).toMatchObject({ status: 404 });
    expect(await post('/api/admin/unit-reports/activity/syt-15?year=2026', centre, { report })).toMatchObject({ status: 404 });
    expect(await get('/api/admin/unit-reports/level/nowhere?year=2026', admin.accessToken)).toMatchObject({ status: 404 });
    expect((await trail(admin.accessToken, 'unit:tyt-02701')).filter((e) => e.action === 'unit_report_change')).toHaveLength(2);
  });
  it("signs a unit's yearly report once, as it was saved, and keeps it so", async () => {
    const admin = await session('admin');
    const activity = '/api/admin/unit-reports/activity/tyt-02701?year=2024';
    const signature = '/api/admin/unit-reports/activity/tyt-02701/signature?year=2024';
    const report = { number: '07/BC-TYT', content: 'Năm 2024: hội chẩn từ xa với TTYT Bát Xát.', participants: [{ name: 'Lò Thị Hoa' }], consultations: [{}, {}, {}, {}, {}] };
    const saved = await post(activity, admin.accessToken, { report });
    expect(saved.status).toBe(200);
    const digest = createHash('sha256').update(canonicalJson(saved.body.report)).digest('hex');
    const p12 = makeTestP12('Lò Thị Hoa');
    const signed = await signPdf(minimalPdf('Báo cáo y tế từ xa năm 2024'), await p12Signer(p12.file, p12.password), { reason: 'Thủ trưởng đơn vị', fieldName: 'ThuTruong' });
    const upload = (pdf: Uint8Array, content = digest, type = 'application/pdf') =>
      fetch(`${system.url}${signature}&content=${content}`, { method: 'POST', headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': type }, body: pdf });

    // Refused: not a signed PDF, a file signed over a report other than the saved one, a JSON body.
    expect((await upload(minimalPdf())).status).toBe(400);
    expect(await (await upload(signed, 'a'.repeat(64))).json()).toMatchObject({ error: 'changed' });
    expect((await upload(signed, digest, 'application/json')).status).toBe(415);
    const tampered = signed.slice();
    tampered[tampered.length - 40]! ^= 1;
    expect((await upload(tampered)).status).toBe(400);
    expect((await get(signature, admin.accessToken)).status).toBe(404);

    // Signed: the report says who signed it, the signed file is kept byte for byte, the report changes no more.
    const ok = await upload(signed);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ signed: { signerName: 'Lò Thị Hoa', by: admin.user.id } });
    const back = await fetch(`${system.url}${signature}`, { headers: { authorization: `Bearer ${admin.accessToken}` } });
    expect(back.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(signed);
    expect(await post(activity, admin.accessToken, { report: { ...report, number: '08/BC-TYT' } })).toMatchObject({ status: 409, body: { error: 'report_signed' } });
    expect(await (await upload(signed)).json()).toMatchObject({ error: 'already_signed' });
    expect((await get(activity, admin.accessToken)).body).toMatchObject({ report: { number: '07/BC-TYT' }, signed: { signerName: 'Lò Thị Hoa' } });
    // Other units' administrators and staff neither sign nor read it.
    const centre = (await session('qt.batxat', 'Quan-tri-Bat-Xat-26')).accessToken;
    expect((await get('/api/admin/unit-reports/activity/syt-15/signature?year=2024', centre)).status).toBe(404);
    expect((await get(signature, (await session('tram.yty')).accessToken)).status).toBe(403);
    expect((await trail(admin.accessToken, 'unit:tyt-02701')).filter((e) => e.action === 'unit_report_sign')).toHaveLength(1);
  });

  it("publishes a Department of Health's bulletins to its province's staff and patients, withdraws them, and counts them", async () => {
    // The demo administrator is the Lào Cai Department of Health's: it publishes for its own unit only.
    const news = { title: 'Tiêm chủng sởi – rubella đợt tháng 12', body: 'Các trạm y tế tổ chức tiêm bù cho trẻ 1–5 tuổi.\nThời gian: 15–20/12.' };
    const published = await post('/api/admin/bulletins', admin.accessToken, news);
    expect(published).toMatchObject({ status: 201, body: { bulletin: { unitId: 'syt-15', unitName: 'Sở Y tế tỉnh Lào Cai', provinceCode: '15', title: news.title, body: news.body, withdrawnAt: null } } });
    const id = (published.body.bulletin as { id: string }).id;

    // Refused with every problem named, nothing published: no title, a body too long, an unknown field, another unit.
    const bad = await post('/api/admin/bulletins', admin.accessToken, { title: ' ', body: 'x'.repeat(5001), pinned: true, unitId: 'tyt-02701' });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as string[]).map((p) => p.split(':')[0])).toEqual(['pinned', 'title', 'body', 'unitId']);
    // A centre's administrator publishes nothing; a station worker has no admin route.
    const centre = (await session('qt.batxat', 'Quan-tri-Bat-Xat-26')).accessToken;
    expect(await post('/api/admin/bulletins', centre, { title: 'x', body: 'y' })).toMatchObject({ status: 403 });
    const worker = (await session('tram.yty')).accessToken;
    expect(await post('/api/admin/bulletins', worker, { title: 'x', body: 'y' })).toMatchObject({ status: 403 });

    // The province's station worker and patient read it (storage.contract.test.ts: only their province's); the same
    // list again is a 304.
    const read = async (token: string, etag?: string) =>
      fetch(`${system.url}/api/bulletins`, { headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) } });
    const list = await read(worker);
    const titles = ((await list.json()) as { bulletins: { title: string }[] }).bulletins.map((b) => b.title);
    expect(titles).toEqual([news.title]);
    expect((await read(worker, list.headers.get('etag')!)).status).toBe(304);
    const patient = (await session('0912345678')).accessToken;
    expect(((await (await read(patient)).json()) as { bulletins: { id: string }[] }).bulletins.map((b) => b.id)).toEqual([id]);

    // Withdrawn by its Department only: the devices drop it; it stays counted in its period.
    expect(await post(`/api/admin/bulletins/${id}/withdraw`, centre, {})).toMatchObject({ status: 404 });
    expect(await post(`/api/admin/bulletins/${id}/withdraw`, admin.accessToken, {})).toMatchObject({ status: 200 });
    expect(await post(`/api/admin/bulletins/${id}/withdraw`, admin.accessToken, {})).toMatchObject({ status: 409, body: { error: 'already_withdrawn' } });
    expect(((await (await read(worker)).json()) as { bulletins: unknown[] }).bulletins).toEqual([]);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(await get(`/api/reports/bulletins?from=${today}&to=${today}`, admin.accessToken)).toMatchObject({ status: 200, body: { rows: [{ unitId: 'syt-15', count: 1 }], total: 1 } });
    expect(await get(`/api/reports/bulletins?from=${today}&to=${today}&unitId=syt-15`, admin.accessToken)).toMatchObject({ body: { total: 1 } });
    expect(await get('/api/reports/bulletins?from=2026-12-31&to=2026-01-01', admin.accessToken)).toMatchObject({ status: 400 });
    expect(await get(`/api/reports/bulletins?from=${today}&to=${today}`, worker)).toMatchObject({ status: 403 });
    expect((await trail(admin.accessToken, `bulletin:${id}`)).map((e) => e.action)).toEqual(['bulletin_withdraw', 'bulletin_publish']);
    // A bulletin's trail is its Department's: the centre's administrator does not read it.
    expect(await get(`/api/admin/audit?docId=bulletin:${id}`, centre)).toMatchObject({ status: 403 });
  });
});
