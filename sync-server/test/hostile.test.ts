// Hostile input on the sync endpoint: each bad message gets a named close code or error, is logged, changes
// nothing stored, and a well-behaved device on the same server keeps syncing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  CloseCode,
  MessageType,
  PROTOCOL_VERSION,
  SyncStep,
  decodeServerMessage,
  encodeClientMessage,
  type ClientMessage,
  type ServerMessage
} from '@telehealth/protocol';
import { mainRecord, writeFields } from '@telehealth/domain';
import { createTokenIssuer } from '../src/auth/tokens';
import { device, login, startTestSystem, waitFor, wsUrl, type Device, type TestSystem } from './harness';

type Raw = { ws: WebSocket; received: ServerMessage[]; closed: Promise<{ code: number; reason: string }> };

function raw(url: string): Promise<Raw> {
  const ws = new WebSocket(url);
  const received: ServerMessage[] = [];
  ws.on('message', (data) => {
    const d = decodeServerMessage(new Uint8Array(data as Buffer));
    if (d.ok) received.push(d.message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, received, closed }));
    ws.on('error', reject);
  });
}

const send = (r: Raw, m: ClientMessage) => r.ws.send(encodeClientMessage(m));
const validUpdate = () => {
  const doc = new Y.Doc();
  writeFields(mainRecord(doc, 'patient'), { fullName: 'Kẻ xấu' });
  return Y.encodeStateAsUpdateV2(doc);
};

describe('hostile input on the sync endpoint', () => {
  let system: TestSystem;
  let token: string;
  let witness: Device;
  let reader: Device;
  const hello = (r: Raw, overrides: Partial<Extract<ClientMessage, { type: 1 }>> = {}) =>
    send(r, { type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId: 'hostile-device-1', cursor: { e: 0, s: 0 }, ...overrides });
  const welcomed = async (r: Raw) => {
    hello(r);
    await waitFor(() => r.received.some((m) => m.type === MessageType.welcome), 5_000, 'welcome');
  };

  beforeAll(async () => {
    system = await startTestSystem({ env: { SYNC_HELLO_TIMEOUT_MS: '500' } });
    token = (await login(system.url, 'tram.yty')).accessToken;
    witness = await device(system.url, 'tram.yty');
    reader = await device(system.url, 'tram.yty');
  });

  afterAll(async () => {
    witness.client.stop();
    reader.client.stop();
    await system.stop();
  });

  it('closes with "malformed" on random bytes, seeded, and logs it', async () => {
    let seed = 77;
    const rnd = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    for (let i = 0; i < 20; i++) {
      const r = await raw(wsUrl(system.url));
      const junk = new Uint8Array(1 + Math.floor(rnd() * 300)).map(() => Math.floor(rnd() * 256));
      junk[0] = 20 + (junk[0]! % 200);
      r.ws.send(junk);
      expect((await r.closed).code, `junk #${i}`).toBe(CloseCode.malformed.code);
    }
    expect(system.logs.filter((l) => l.includes('"sync.malformed"')).length).toBeGreaterThanOrEqual(20);
  });

  it('closes with "malformed" on every truncation of a hello and on a text frame', async () => {
    const full = encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId: 'hostile-device-1', cursor: { e: 1, s: 1 } });
    for (const n of [1, 5, full.length - 1]) {
      const r = await raw(wsUrl(system.url));
      r.ws.send(full.slice(0, n));
      expect((await r.closed).code).toBe(CloseCode.malformed.code);
    }
    const r = await raw(wsUrl(system.url));
    r.ws.send('hello');
    expect((await r.closed).code).toBe(CloseCode.malformed.code);
  });

  it('closes with "unauthorized" on a message before hello, a forged token and an expired one', async () => {
    const early = await raw(wsUrl(system.url));
    send(early, { type: MessageType.ack, cursor: { e: 0, s: 0 } });
    expect((await early.closed).code).toBe(CloseCode.unauthorized.code);

    const forged = await raw(wsUrl(system.url));
    hello(forged, { token: token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect((await forged.closed).code).toBe(CloseCode.unauthorized.code);

    const secret = readFileSync(path.join(system.config.dataDir, 'auth-secret'), 'utf8').trim();
    const stale = createTokenIssuer(secret, 60).issueAccess({ userId: 'user-tram.yty', role: 'station_worker', unitId: 'tyt-02701', patientId: null }, Date.now() - 3_600_000);
    const expired = await raw(wsUrl(system.url));
    hello(expired, { token: stale.token });
    expect((await expired.closed).code).toBe(CloseCode.unauthorized.code);
  });

  it('closes with "no hello in time" a connection that never says hello', async () => {
    const r = await raw(wsUrl(system.url));
    const started = Date.now();
    expect((await r.closed).code).toBe(CloseCode.helloTimeout.code);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('closes with "version mismatch" when the protocol versions differ', async () => {
    const r = await raw(wsUrl(system.url));
    hello(r, { version: PROTOCOL_VERSION + 1 });
    expect(await r.closed).toEqual({ code: CloseCode.versionMismatch.code, reason: CloseCode.versionMismatch.reason });
  });

  it('closes an oversized frame with 1009 (message too big)', async () => {
    const r = await raw(wsUrl(system.url));
    await welcomed(r);
    r.ws.send(new Uint8Array(300 * 1024));
    expect((await r.closed).code).toBe(1009);
  });

  it('refuses bad updates with named errors, keeps the connection, and stores nothing', async () => {
    const r = await raw(wsUrl(system.url));
    await welcomed(r);
    const before = await system.storage.log.maxSeq();
    const update = (localId: number, docId: string, data: Uint8Array, meta = '') =>
      send(r, { type: MessageType.update, localId, docId, meta, sync: { step: SyncStep.update, data } });
    update(1, '../../etc/passwd', validUpdate());
    update(2, 'patient:never-created', validUpdate());
    update(3, 'patient:p-junk', new Uint8Array([200, 1, 2, 3]), JSON.stringify({ kind: 'patient', unitId: 'tyt-02701', patientId: 'p-junk' }));
    update(4, 'patient:p-meta', validUpdate(), '{not json');
    update(5, 'patient:p-meta', validUpdate(), JSON.stringify({ kind: 'patient', unitId: 'tyt-02701', patientId: 'p-meta', admin: true }));
    update(6, 'patient:p-big', new Uint8Array(200 * 1024), JSON.stringify({ kind: 'patient', unitId: 'tyt-02701', patientId: 'p-big' }));
    await waitFor(() => r.received.filter((m) => m.type === MessageType.error).length === 6, 5_000, 'six refusals');
    const codes = r.received.flatMap((m) => (m.type === MessageType.error ? [[m.localId, m.code]] : []));
    expect(codes).toEqual([
      [1, 'bad_doc_id'],
      [2, 'unknown_doc'],
      [3, 'bad_update'],
      [4, 'bad_meta'],
      [5, 'bad_meta'],
      [6, 'update_too_large']
    ]);
    expect(r.ws.readyState).toBe(WebSocket.OPEN);
    expect(await system.storage.log.maxSeq()).toBe(before);
    r.ws.close();
  });

  it('closes a flooding connection with "rate limited"', async () => {
    const r = await raw(wsUrl(system.url));
    await welcomed(r);
    const ack = encodeClientMessage({ type: MessageType.ack, cursor: { e: 0, s: 0 } });
    for (let i = 0; i < 3_000 && r.ws.readyState === WebSocket.OPEN; i++) r.ws.send(ack);
    expect((await r.closed).code).toBe(CloseCode.rateLimited.code);
  });

  it('kept serving the well-behaved devices through all of it', async () => {
    witness.store.edit('patient:p-witness', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-witness' }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { fullName: 'Vẫn đồng bộ' })
    );
    await witness.client.localChange();
    await waitFor(() => mainRecord(reader.store.doc('patient:p-witness'), 'patient').get('fullName') === 'Vẫn đồng bộ', 5_000, 'the edit to reach the other device');
    expect(reader.client.currentStatus.state).toBe('synced');
  });
});
