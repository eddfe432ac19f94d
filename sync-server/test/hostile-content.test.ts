// Hostile content from legitimate accounts: records are closed (known roots, fields and nested types only),
// histories are append-only, required fields stay set, a station cannot reach another unit's chart through
// the metadata of what it creates, and sessions and connections are bounded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode, MessageType, PROTOCOL_VERSION, encodeClientMessage } from '@telehealth/protocol';
import { actOnAppointment, appointmentEvents, docId, mainRecord, writeFields, writeForm, type DocMeta } from '@telehealth/domain';
import { createTokenIssuer } from '../src/auth/tokens';
import { device, login, startTestSystem, waitFor, wsUrl, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const chartMeta = (patientId: string, unitId = station): DocMeta => ({ kind: 'patient', unitId, patientId });

describe('closed records and ownership', () => {
  let system: TestSystem;
  let pc: Device;
  let other: Device;
  const send = async (d: Device) => {
    const before = d.store.refusedEntries.length;
    await d.client.localChange();
    await d.synced();
    return [...new Set(d.store.refusedEntries.slice(before).map((e) => e.code))];
  };

  beforeAll(async () => {
    system = await startTestSystem();
    pc = await device(system.url, 'tram.yty');
    other = await device(system.url, 'tram.amusung');
    pc.store.edit(docId('patient', 'p-own'), chartMeta('p-own'), (doc) => writeFields(mainRecord(doc, 'patient'), { id: 'p-own', fullName: 'Sần Thị Lan', gender: 'female', dateOfBirth: '1992-01-01' }));
    other.store.edit(docId('patient', 'p-theirs'), chartMeta('p-theirs', 'tyt-02686'), (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Vàng A Sử' }));
    expect(await send(pc)).toEqual([]);
    expect(await send(other)).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    pc.client.stop();
    other.client.stop();
    for (const d of attackers) d.client.stop();
    await system.stop();
  });

  // A refused change stays in its device's state, and later changes there build on it (the app rebuilds the
  // record then; this bare test device does not): each refused attempt comes from a device of its own.
  const attackers: Device[] = [];
  const attacker = async () => {
    const d = await device(system.url, 'tram.yty');
    attackers.push(d);
    await d.synced();
    return d;
  };
  const attempt = async (docId: string, change: (doc: Y.Doc) => void) => {
    const d = await attacker();
    d.store.edit(docId, undefined, change);
    return send(d);
  };

  it('refuses an unknown field, an unknown root type and a shared type nested where a value belongs', async () => {
    expect(await attempt('patient:p-own', (doc) => writeFields(mainRecord(doc, 'patient'), { isAdmin: true }))).toEqual(['invalid_value']);
    expect(await attempt('patient:p-own', (doc) => doc.getMap('payload').set('x', 1))).toEqual(['bad_update']);
    expect(await attempt('patient:p-own', (doc) => mainRecord(doc, 'patient').set('occupation', new Y.Map()))).toEqual(['invalid_value']);
    // A form nested one level deeper than the layout allows.
    pc.store.edit('patient:p-own', undefined, (doc) => writeForm(doc, 'f-deep', { id: 'f-deep' }));
    expect(await send(pc)).toEqual([]);
    expect(await attempt('patient:p-own', (doc) => (doc.getMap('forms').get('f-deep') as Y.Map<unknown>).set('history', new Y.Map()))).toEqual(['invalid_value']);
  });

  it('keeps required fields once set, and accepts emptying an optional one', async () => {
    expect(await attempt('patient:p-own', (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: '' }))).toEqual(['invalid_value']);
    pc.store.edit('patient:p-own', undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation: 'Làm nương' }));
    expect(await send(pc)).toEqual([]);
    pc.store.edit('patient:p-own', undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation: '' }));
    expect(await send(pc)).toEqual([]);
  });

  it('keeps an appointment’s event history append-only', async () => {
    const meta: DocMeta = { kind: 'appointment', unitId: station, patientId: 'p-own' };
    pc.store.edit('appointment:a-hist', meta, (doc) => {
      writeFields(mainRecord(doc, 'appointment'), { id: 'a-hist', patientId: 'p-own', unitId: station, purpose: 'station', patientName: 'Sần Thị Lan', wishedAt: '2026-12-03T01:00:00.000Z', consent: true, status: 'new' });
    });
    pc.store.edit('appointment:a-hist', undefined, (doc) => actOnAppointment(doc, 'user-tram.yty', 'station', { type: 'accept', at: '2026-12-03T01:00:00.000Z' }, '2026-12-01T01:00:00.000Z'));
    expect(await send(pc)).toEqual([]);
    expect(await attempt('appointment:a-hist', (doc) => appointmentEvents(doc).delete(0, 1))).toEqual(['invalid_value']);
    expect(await attempt('appointment:a-hist', (doc) => appointmentEvents(doc).push([{ at: 'never', by: '<script>', side: 'station', action: 'accept', status: 'waiting' }]))).toEqual(['invalid_value']);
  });

  it('keeps a call log closed: no unknown field, no invalid value, rungs appended only, its identity fixed', async () => {
    const at = '2026-12-01T02:00:00.000Z';
    pc.store.edit('call:c-hostile', { kind: 'call', unitId: station, patientId: 'p-own' }, (doc) => {
      writeFields(mainRecord(doc, 'call'), {
        id: 'c-hostile',
        unitId: station,
        direction: 'outgoing',
        callerUnitId: station,
        calleeUnitId: 'ttyt-bat-xat',
        purpose: 'consultation',
        channel: 'phone',
        patientId: 'p-own',
        startedAt: at,
        createdAt: at,
        createdBy: 'user-tram.yty'
      });
      doc.getArray('rungs').push([{ at, rung: 'phone', reason: 'tel' }]);
    });
    expect(await send(pc)).toEqual([]);
    expect(await attempt('call:c-hostile', (doc) => writeFields(mainRecord(doc, 'call'), { recordingUrl: 'http://x' }))).toEqual(['invalid_value']);
    expect(await attempt('call:c-hostile', (doc) => writeFields(mainRecord(doc, 'call'), { purpose: 'gossip' }))).toEqual(['invalid_value']);
    expect(await attempt('call:c-hostile', (doc) => doc.getArray('rungs').push([{ at, rung: 'ultra', reason: 'x' }]))).toEqual(['invalid_value']);
    expect(await attempt('call:c-hostile', (doc) => doc.getArray('rungs').delete(0, 1))).toEqual(['invalid_value']);
    expect(await attempt('call:c-hostile', (doc) => writeFields(mainRecord(doc, 'call'), { calleeUnitId: 'tyt-02686' }))).toEqual(['invalid_value']);
    // A log that names another patient than its metadata, or another unit than its own.
    const d = await attacker();
    d.store.edit('call:c-liar', { kind: 'call', unitId: station, patientId: 'p-own' }, (doc) => writeFields(mainRecord(doc, 'call'), { id: 'c-liar', patientId: 'p-theirs' }));
    expect(await send(d)).toEqual(['forbidden']);
    const e = await attacker();
    e.store.edit('call:c-liar2', { kind: 'call', unitId: station, patientId: 'c-liar2' }, (doc) => writeFields(mainRecord(doc, 'call'), { id: 'c-liar2', unitId: 'tyt-02686' }));
    expect(await send(e)).toEqual(['forbidden']);
  });

  it('keeps the minutes’ co-edited texts plain and bounded: no formatting, no embed, no plain value in their place', async () => {
    pc.store.edit('minutes:m-hostile', { kind: 'minutes', unitId: station, patientId: 'p-own', peerUnitId: 'ttyt-bat-xat' }, (doc) => {
      writeFields(mainRecord(doc, 'minutes'), { id: 'm-hostile', requestId: 'r-hostile', patientId: 'p-own', requestingUnitId: station, heldAt: '2026-12-01T02:00:00.000Z' });
      doc.getText('conclusion').insert(0, 'Viêm phổi, điều trị tại TYT.');
    });
    expect(await send(pc)).toEqual([]);
    expect(await attempt('minutes:m-hostile', (doc) => doc.getText('conclusion').insert(0, 'x'.repeat(4001)))).toEqual(['invalid_value']);
    // Formatting marks and embedded objects are content types no record uses: refused before they are even applied.
    expect(await attempt('minutes:m-hostile', (doc) => doc.getText('conclusion').format(0, 4, { bold: true }))).toEqual(['bad_update']);
    expect(await attempt('minutes:m-hostile', (doc) => doc.getText('advice').insertEmbed(0, { image: 'http://x' }))).toEqual(['bad_update']);
    expect(await attempt('minutes:m-hostile', (doc) => doc.getText('advice').insertEmbed(0, new Y.Map()))).toEqual(['invalid_value']);
    expect(await attempt('minutes:m-hostile', (doc) => writeFields(mainRecord(doc, 'minutes'), { conclusion: 'ghi đè cả đoạn' }))).toEqual(['invalid_value']);
    expect(await attempt('minutes:m-hostile', (doc) => doc.getText('gossip').insert(0, 'x'))).toEqual(['bad_update']);
    // The upper unit writes in the same field: accepted, and both texts are there.
    const doctor = await device(system.url, 'bacsi.batxat');
    await doctor.synced();
    doctor.store.edit('minutes:m-hostile', undefined, (doc) => doc.getText('conclusion').insert(0, 'Đồng ý: '));
    expect(await send(doctor)).toEqual([]);
    await pc.synced();
    await waitFor(() => pc.store.docs.get('minutes:m-hostile')?.getText('conclusion').toString() === 'Đồng ý: Viêm phổi, điều trị tại TYT.', 10_000, 'the doctor’s words at the station');
    doctor.client.stop();
  });

  it('refuses a request or minutes about a chart the station does not own, so no upper unit is given it', async () => {
    for (const kind of ['request', 'minutes'] as const) {
      const d = await attacker();
      d.store.edit(`${kind}:x-${kind}`, { kind, unitId: station, patientId: 'p-theirs', peerUnitId: 'ttyt-bat-xat' }, (doc) => writeFields(mainRecord(doc, kind), { id: `x-${kind}` }));
      expect(await send(d)).toEqual(['forbidden']);
    }
    const doctor = await device(system.url, 'bacsi.batxat');
    await doctor.synced();
    expect(doctor.store.docs.has('patient:p-theirs')).toBe(false);
    doctor.client.stop();
  });

  it('refuses a station creating the chart of a patient registered with another station', async () => {
    const res = await fetch(`${system.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '0977000111', password: 'núi-cao-2026-Y', fullName: 'Giàng Thị Dợ', unitId: 'tyt-02686' })
    });
    expect(res.ok).toBe(true);
    const { user } = (await res.json()) as { user: { patientId: string } };
    const d = await attacker();
    d.store.edit(docId('patient', user.patientId), chartMeta(user.patientId), (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Giàng Thị Dợ' }));
    expect(await send(d)).toEqual(['forbidden']);
  });
});

describe('sessions and connections are bounded', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ env: { SYNC_MAX_CONNECTIONS_PER_ACCOUNT: '2' } });
  });
  afterAll(() => system.stop());

  const connect = async (token: string, n: number) => {
    const ws = new WebSocket(wsUrl(system.url));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    // The server's first answer (its welcome): the connection is admitted and counted.
    const answered = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId: `bounded-device-${n}`, cursor: { e: 0, s: 0 } }));
    let open = true;
    void closed.then(() => (open = false));
    return { ws, closed, answered, isOpen: () => open };
  };

  it('closes a connection over the account’s cap with "too many connections"', async () => {
    const { accessToken } = await login(system.url, 'tram.yty');
    // One after the other: on a busy machine hellos sent at once may be handled in any order.
    const first = await connect(accessToken, 1);
    await first.answered;
    const second = await connect(accessToken, 2);
    await second.answered;
    const third = await connect(accessToken, 3);
    expect(await third.closed).toBe(CloseCode.tooManyConnections.code);
    expect(first.isOpen() && second.isOpen()).toBe(true);
    first.ws.close();
    await first.closed;
    // Once the server has let the first one go, there is room again.
    await waitFor(() => system.hub.connectionCount === 1, 5_000, 'the server to release the first connection');
    const fourth = await connect(accessToken, 4);
    await waitFor(() => system.logs.filter((l) => l.includes('"sync.hello"')).length >= 3, 5_000, 'the fourth hello');
    expect(fourth.isOpen()).toBe(true);
    second.ws.close();
    fourth.ws.close();
  });

  it('ends a connection when its token expires: the device must refresh it to go on reading', async () => {
    const secret = readFileSync(path.join(system.config.dataDir, 'auth-secret'), 'utf8').trim();
    const ttl = system.config.accessTokenTtlSeconds;
    // A token issued so that it has about one second left.
    const short = createTokenIssuer(secret, ttl).issueAccess({ userId: 'user-tram.amusung', role: 'station_worker', unitId: 'tyt-02686', patientId: null }, Date.now() - (ttl - 1) * 1000);
    const c = await connect(short.token, 5);
    expect(await c.closed).toBe(CloseCode.unauthorized.code);
  });
});
