// Access that ends while a device is connected: an administrator disables an account (its open sockets close with
// 4403 at once, on every node; login, refresh and the API refuse it; enabling it restores login), and a station
// withdraws a sent request (the upper unit's open sockets stop receiving the chart, and a reconnect does not send it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, MessageType, PROTOCOL_VERSION, decodeServerMessage, encodeClientMessage, type ServerMessage } from '@telehealth/protocol';
import { SyncState } from '@telehealth/sync-client';
import { mainRecord, readFields, writeFields } from '@telehealth/domain';
import { demoLogins } from '../src/demo-seed';
import { device, login, startTestSystem, waitFor, wsUrl, type Device, type TestSystem } from './harness';
import { backends, type TestDatabase } from './databases';

const station = 'tyt-02701';
const centre = 'ttyt-bat-xat';
const doctorId = 'user-bacsi.batxat';

type Session = { accessToken: string; refreshToken: string };

async function post(baseUrl: string, path: string, token: string | undefined, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

const password = (username: string) => demoLogins.find((l) => l.username === username)!.password;
const loginAs = (baseUrl: string, username: string) => post(baseUrl, '/api/auth/login', undefined, { username, password: password(username) });
const session = async (baseUrl: string, username: string): Promise<Session> => (await loginAs(baseUrl, username)).body as Session;

/** A raw sync socket that says hello: what it receives, and how it was closed. */
type Raw = { ws: WebSocket; received: ServerMessage[]; closed: Promise<number>; closeCode: number | undefined };
async function socket(baseUrl: string, token: string, deviceId: string): Promise<Raw> {
  const ws = new WebSocket(wsUrl(baseUrl));
  const r: Raw = { ws, received: [], closed: Promise.resolve(0), closeCode: undefined };
  r.closed = new Promise((resolve) =>
    ws.on('close', (code) => {
      r.closeCode = code;
      resolve(code);
    })
  );
  ws.on('message', (data) => {
    const d = decodeServerMessage(new Uint8Array(data as Buffer));
    if (d.ok) r.received.push(d.message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId, cursor: { e: 0, s: 0 } }));
  return r;
}
const welcomed = (r: Raw) => waitFor(() => r.received.some((m) => m.type === MessageType.welcome), 5_000, 'welcome');

describe('disabling an account', () => {
  let system: TestSystem;
  let admin: Session;
  const devices: Device[] = [];

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await session(system.url, 'admin');
  });

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    await system.stop();
  });

  it('is for administrators only, with JSON, and names every refusal', async () => {
    const disable = (token: string | undefined, id = doctorId, body: unknown = {}, type?: string) => post(system.url, `/api/admin/accounts/${id}/disable`, token, body, type);
    const stationToken = (await session(system.url, 'tram.yty')).accessToken;
    const patientToken = (await session(system.url, '0912345678')).accessToken;
    expect((await disable(undefined)).status).toBe(401);
    for (const token of [stationToken, patientToken]) expect(await disable(token)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    // The doctor disabling themself is not an admin either.
    const doctorToken = (await session(system.url, 'bacsi.batxat')).accessToken;
    expect(await disable(doctorToken)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await loginAs(system.url, 'bacsi.batxat')).status).toBe(200);

    expect(await disable(admin.accessToken, doctorId, 'reason=x', 'application/x-www-form-urlencoded')).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    for (const body of [[], { other: 1 }, { reason: '' }, { reason: 'x'.repeat(201) }, 'not json']) {
      expect(await disable(admin.accessToken, doctorId, body), JSON.stringify(body)).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    }
    expect(await disable(admin.accessToken, 'user-nobody')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await disable(admin.accessToken, 'user-admin')).toMatchObject({ status: 409, body: { error: 'cannot_disable_self' } });
    // None of these disabled anyone.
    expect((await loginAs(system.url, 'bacsi.batxat')).status).toBe(200);
    expect(system.logs.some((l) => l.includes('"http.refused"') && l.includes('cannot_disable_self'))).toBe(true);
  });

  it('closes every open socket of the account with 4403 at once; login, refresh and the API refuse it; enabling restores login', async () => {
    const first = await session(system.url, 'bacsi.batxat');
    const second = await session(system.url, 'bacsi.batxat');
    const sockets = [await socket(system.url, first.accessToken, 'doctor-dev-1'), await socket(system.url, second.accessToken, 'doctor-dev-2')];
    for (const s of sockets) await welcomed(s);
    const app = await device(system.url, 'bacsi.batxat');
    const bystander = await socket(system.url, (await session(system.url, 'tram.yty')).accessToken, 'station-dev-1');
    devices.push(app);
    await welcomed(bystander);
    await app.synced();

    const res = await post(system.url, `/api/admin/accounts/${doctorId}/disable`, admin.accessToken, { reason: 'rời đơn vị' });
    expect(res).toMatchObject({ status: 200, body: { account: { id: doctorId, disabled: true }, closedConnections: 3 } });
    for (const s of sockets) await waitFor(() => s.closeCode !== undefined, 5_000, 'the socket to close');
    expect(sockets.map((s) => s.closeCode)).toEqual([CloseCode.accountDisabled.code, CloseCode.accountDisabled.code]);
    // The app stops and says why, without reconnecting.
    await waitFor(() => app.client.currentStatus.state === SyncState.accountDisabled, 5_000, 'the app to show "account disabled"');
    // Another account's socket stays open.
    expect(bystander.ws.readyState).toBe(WebSocket.OPEN);
    bystander.ws.close();

    expect(await loginAs(system.url, 'bacsi.batxat')).toMatchObject({ status: 403, body: { error: 'account_disabled' } });
    // A wrong password is still just wrong: the state of the account is told only to whoever knows its password.
    expect(await post(system.url, '/api/auth/login', undefined, { username: 'bacsi.batxat', password: 'not-the-password' })).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    // Its refresh tokens were revoked.
    for (const s of [first, second]) expect((await post(system.url, '/api/auth/refresh', undefined, { refreshToken: s.refreshToken })).status).toBe(401);
    // An access token still within its 15 minutes opens nothing: not the API, not a new socket.
    const me = await fetch(`${system.url}/api/me`, { headers: { authorization: `Bearer ${first.accessToken}` } });
    expect([me.status, ((await me.json()) as { error: string }).error]).toEqual([403, 'account_disabled']);
    const late = await socket(system.url, first.accessToken, 'doctor-dev-3');
    expect(await late.closed).toBe(CloseCode.accountDisabled.code);
    expect(late.received.some((m) => m.type === MessageType.chunk)).toBe(false);

    // Who did it is in the audit trail.
    const trail = await fetch(`${system.url}/api/admin/audit?docId=account:${doctorId}`, { headers: { authorization: `Bearer ${admin.accessToken}` } });
    expect(((await trail.json()) as { entries: { action: string; userId: string }[] }).entries).toEqual([expect.objectContaining({ action: 'disable', userId: 'user-admin' })]);

    expect(await post(system.url, `/api/admin/accounts/${doctorId}/enable`, admin.accessToken, {})).toMatchObject({ status: 200, body: { account: { disabled: false, disabledAt: null } } });
    const again = await loginAs(system.url, 'bacsi.batxat');
    expect(again.status).toBe(200);
    const back = await socket(system.url, (again.body as unknown as Session).accessToken, 'doctor-dev-4');
    await welcomed(back);
    back.ws.close();
    expect(system.logs.some((l) => l.includes('"account.disabled"'))).toBe(true);
  });
});

/** The station's edits of its own records, made on its device and acknowledged. */
async function edit(d: Device, docId: string, meta: object | undefined, kind: 'patient' | 'request', fields: Record<string, unknown>) {
  d.store.edit(docId, meta, (doc) => writeFields(mainRecord(doc, kind), fields));
  await d.client.localChange();
  await d.synced();
}
const chart = (patientId: string) => ({ kind: 'patient', unitId: station, patientId });
const requestTo = (patientId: string) => ({ kind: 'request', unitId: station, patientId, peerUnitId: centre });
const sent = () => ({ requestContent: 'Xin hội chẩn', sentAt: new Date().toISOString() });
const occupation = (d: Device, patientId: string) => (d.store.docs.has(`patient:${patientId}`) ? readFields(mainRecord(d.store.doc(`patient:${patientId}`), 'patient')).occupation : undefined);

describe('a withdrawn request', () => {
  let system: TestSystem;
  let tram: Device;
  let doctor: Device;
  const devices: Device[] = [];
  const centreReads = async (docId: string) => (await system.storage.log.docAccess(docId)).some((a) => a.reader === `unit:${centre}`);

  beforeAll(async () => {
    system = await startTestSystem();
    tram = await device(system.url, 'tram.yty');
    doctor = await device(system.url, 'bacsi.batxat');
    devices.push(tram, doctor);
    await doctor.synced();
  });

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    await system.stop();
  });

  it('stops the chart going to the upper unit’s open socket, and a reconnect does not send it', async () => {
    await edit(tram, 'patient:p-w1', chart('p-w1'), 'patient', { fullName: 'Giàng Thị Rút', occupation: 'trước khi rút' });
    await edit(tram, 'request:r-w1', requestTo('p-w1'), 'request', sent());
    await waitFor(() => occupation(doctor, 'p-w1') === 'trước khi rút', 5_000, 'the chart at the upper unit');

    await edit(tram, 'request:r-w1', undefined, 'request', { withdrawnAt: new Date().toISOString() });
    expect(tram.store.refusedEntries).toEqual([]);
    expect(await centreReads('patient:p-w1')).toBe(false);
    // The upper unit still reads the request itself: that is how its devices learn it was withdrawn.
    await waitFor(() => doctor.store.docs.has('request:r-w1') && readFields(mainRecord(doctor.store.doc('request:r-w1'), 'request')).withdrawnAt !== undefined, 5_000, 'the withdrawal at the upper unit');

    // A later change of the chart, then a change the doctor does read (another patient's sent request): entries go
    // to a device in log order, so once the second arrives the first would have arrived too.
    await edit(tram, 'patient:p-w1', undefined, 'patient', { occupation: 'sau khi rút' });
    await edit(tram, 'patient:p-w2', chart('p-w2'), 'patient', { fullName: 'Người chứng' });
    await edit(tram, 'request:r-w2', requestTo('p-w2'), 'request', sent());
    await waitFor(() => doctor.store.docs.has('patient:p-w2') && readFields(mainRecord(doctor.store.doc('patient:p-w2'), 'patient')).fullName === 'Người chứng', 5_000, 'the witness chart');
    await doctor.synced();
    expect(occupation(doctor, 'p-w1')).toBe('trước khi rút');

    // A device of the upper unit that connects now (from the start of the log) gets neither the chart nor its changes.
    const fresh = await device(system.url, 'bacsi.batxat');
    devices.push(fresh);
    await fresh.synced();
    expect(fresh.store.docs.has('patient:p-w1')).toBe(false);
    expect(fresh.store.docs.has('request:r-w1')).toBe(true);
    expect(fresh.store.docs.has('patient:p-w2')).toBe(true);
    // The doctor's old device reconnecting from its cursor gets nothing of it either.
    doctor.client.dropConnection();
    await doctor.synced();
    expect(occupation(doctor, 'p-w1')).toBe('trước khi rút');
    expect(system.logs.some((l) => l.includes('"sync.access_revoked"') && l.includes('patient:p-w1'))).toBe(true);
    // An opening of the chart recorded on the device before the withdrawal is still reported; a chart never read is not.
    const opened = (docId: string) => post(system.url, '/api/audit/opened', doctor.token, { device: 'doctor-dev-9', entries: [{ docId, at: new Date().toISOString() }] });
    expect(await opened('patient:p-w1')).toMatchObject({ status: 200, body: { recorded: 1 } });
    expect((await opened('patient:p-never')).status).toBe(403);
  });

  it('is final: the station changes it no more', async () => {
    const before = tram.store.refusedEntries.length;
    tram.store.edit('request:r-w1', undefined, (doc) => writeFields(mainRecord(doc, 'request'), { requestContent: 'Sửa sau khi rút' }));
    await tram.client.localChange();
    await tram.synced();
    expect(tram.store.refusedEntries.slice(before).map((e) => e.code)).toEqual(['forbidden']);
  });

  it('takes the chart back only when no other sent request or minutes grants it, and a new request grants it again', async () => {
    await edit(tram, 'patient:p-w3', chart('p-w3'), 'patient', { fullName: 'Hai phiếu', occupation: 'một' });
    await edit(tram, 'request:r-w3a', requestTo('p-w3'), 'request', sent());
    await edit(tram, 'request:r-w3b', requestTo('p-w3'), 'request', sent());
    await waitFor(() => occupation(doctor, 'p-w3') === 'một', 5_000, 'the chart at the upper unit');
    await edit(tram, 'request:r-w3a', undefined, 'request', { withdrawnAt: new Date().toISOString() });
    expect(await centreReads('patient:p-w3')).toBe(true);
    await edit(tram, 'patient:p-w3', undefined, 'patient', { occupation: 'hai' });
    await waitFor(() => occupation(doctor, 'p-w3') === 'hai', 5_000, 'the change through the other request');
    await edit(tram, 'request:r-w3b', undefined, 'request', { withdrawnAt: new Date().toISOString() });
    expect(await centreReads('patient:p-w3')).toBe(false);

    // A new request opens the chart again, with what changed meanwhile.
    await edit(tram, 'patient:p-w1', undefined, 'patient', { occupation: 'gửi lại' });
    await edit(tram, 'request:r-w1b', requestTo('p-w1'), 'request', sent());
    await waitFor(() => occupation(doctor, 'p-w1') === 'gửi lại', 5_000, 'the chart granted again');
  });
});

describe('on two nodes sharing one PostgreSQL', () => {
  const postgres = backends.find((b) => b.name === 'PostgreSQL')!;
  let db: TestDatabase;
  let nodeA: TestSystem;
  let nodeB: TestSystem;
  const devices: Device[] = [];

  beforeAll(async () => {
    db = await postgres.create();
    nodeA = await startTestSystem({ databaseUrl: db.url, env: { SYNC_BUS: 'notify', NODE_ID: 'node-a' } });
    nodeB = await startTestSystem({ databaseUrl: db.url, env: { SYNC_BUS: 'notify', NODE_ID: 'node-b' } });
  }, 60_000);

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    await nodeA.stop();
    await nodeB.stop();
    await db.drop();
  });

  it('a withdrawal on one node stops the chart going to an upper-unit socket on the other', async () => {
    const tram = await device(nodeA.url, 'tram.yty');
    const doctor = await device(nodeB.url, 'bacsi.batxat');
    devices.push(tram, doctor);
    await doctor.synced();
    await edit(tram, 'patient:p-n1', chart('p-n1'), 'patient', { fullName: 'Qua hai nút', occupation: 'trước' });
    await edit(tram, 'request:r-n1', requestTo('p-n1'), 'request', sent());
    await waitFor(() => occupation(doctor, 'p-n1') === 'trước', 5_000, 'the chart on node B');
    await edit(tram, 'request:r-n1', undefined, 'request', { withdrawnAt: new Date().toISOString() });
    await edit(tram, 'patient:p-n1', undefined, 'patient', { occupation: 'sau' });
    await edit(tram, 'patient:p-n2', chart('p-n2'), 'patient', { fullName: 'Người chứng' });
    await edit(tram, 'request:r-n2', requestTo('p-n2'), 'request', sent());
    await waitFor(() => doctor.store.docs.has('patient:p-n2') && readFields(mainRecord(doctor.store.doc('patient:p-n2'), 'patient')).fullName === 'Người chứng', 5_000, 'the witness on node B');
    expect(occupation(doctor, 'p-n1')).toBe('trước');
    expect(nodeB.logs.some((l) => l.includes('"sync.access_revoked"') && l.includes('patient:p-n1'))).toBe(true);
  });

  it('disabling an account through one node closes its socket on the other with 4403', async () => {
    const admin = await session(nodeA.url, 'admin');
    const doctor = await login(nodeB.url, 'bacsi.batxat');
    const onB = await socket(nodeB.url, doctor.accessToken, 'doctor-node-b');
    await welcomed(onB);
    expect(await post(nodeA.url, `/api/admin/accounts/${doctorId}/disable`, admin.accessToken, {})).toMatchObject({ status: 200, body: { closedConnections: 0 } });
    await waitFor(() => onB.closeCode !== undefined, 5_000, 'the socket on node B to close');
    expect(onB.closeCode).toBe(CloseCode.accountDisabled.code);
    expect((await loginAs(nodeB.url, 'bacsi.batxat')).status).toBe(403);
    await post(nodeA.url, `/api/admin/accounts/${doctorId}/enable`, admin.accessToken, {});
    expect((await loginAs(nodeB.url, 'bacsi.batxat')).status).toBe(200);
  });
});
