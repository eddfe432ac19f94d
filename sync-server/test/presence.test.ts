// Presence in a co-edited document: relayed to the other devices in that document that may read it, and
// removed when a device leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { MessageType, PROTOCOL_VERSION, decodeServerMessage, encodeClientMessage, type ServerMessage } from '@telehealth/protocol';
import { mainRecord, writeFields } from '@telehealth/domain';
import { device, login, startTestSystem, waitFor, wsUrl, type TestSystem } from './harness';

type Peer = { ws: WebSocket; received: ServerMessage[] };

async function peer(url: string, token: string, deviceId: string): Promise<Peer> {
  const ws = new WebSocket(url);
  const received: ServerMessage[] = [];
  ws.on('message', (data) => {
    const d = decodeServerMessage(new Uint8Array(data as Buffer));
    if (d.ok) received.push(d.message);
  });
  await new Promise((r) => ws.on('open', r));
  ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId, cursor: { e: 0, s: 0 } }));
  await waitFor(() => received.some((m) => m.type === MessageType.chunk && m.caughtUp), 5_000, 'caught up');
  return { ws, received };
}

describe('presence', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
    const station = await device(system.url, 'tram.yty');
    station.store.edit('patient:p-live', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-live' }, (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Thào A Dình' }));
    station.store.edit('minutes:m-live', { kind: 'minutes', unitId: 'tyt-02701', patientId: 'p-live', peerUnitId: 'ttyt-bat-xat' }, (doc) => doc.getText('conclusion').insert(0, 'Bắt đầu hội chẩn'));
    await station.client.localChange();
    await station.synced();
    station.client.stop();
  });
  afterAll(() => system.stop());

  it('relays a participant to the others in the minutes, refuses outsiders, and removes one who leaves', async () => {
    const stationToken = (await login(system.url, 'tram.yty')).accessToken;
    const doctorToken = (await login(system.url, 'bacsi.batxat')).accessToken;
    const outsiderToken = (await login(system.url, 'tram.amusung')).accessToken;
    const a = await peer(wsUrl(system.url), stationToken, 'presence-station');
    const b = await peer(wsUrl(system.url), doctorToken, 'presence-doctor');
    const outsider = await peer(wsUrl(system.url), outsiderToken, 'presence-outsider');

    const awarenessA = new Awareness(new Y.Doc());
    awarenessA.setLocalState({ name: 'Lý Thị Mai', role: 'secretary' });
    const awarenessB = new Awareness(new Y.Doc());
    awarenessB.setLocalState({ name: 'BS. Hùng', role: 'chair' });
    const announce = (p: Peer, aw: Awareness) =>
      p.ws.send(encodeClientMessage({ type: MessageType.awareness, docId: 'minutes:m-live', data: encodeAwarenessUpdate(aw, [aw.clientID]) }));
    announce(b, awarenessB);
    await new Promise((r) => setTimeout(r, 100));
    announce(a, awarenessA);
    announce(outsider, new Awareness(new Y.Doc()));

    const seenByB = new Awareness(new Y.Doc());
    await waitFor(() => b.received.some((m) => m.type === MessageType.awareness), 5_000, 'presence at the doctor');
    for (const m of b.received) if (m.type === MessageType.awareness) applyAwarenessUpdate(seenByB, m.data, 'server');
    expect(seenByB.getStates().get(awarenessA.clientID)).toEqual({ name: 'Lý Thị Mai', role: 'secretary' });
    await waitFor(() => outsider.received.some((m) => m.type === MessageType.error), 5_000, 'the outsider refused');
    expect(outsider.received.find((m) => m.type === MessageType.error)).toMatchObject({ code: 'forbidden' });

    a.ws.close();
    await waitFor(() => {
      for (const m of b.received) if (m.type === MessageType.awareness) applyAwarenessUpdate(seenByB, m.data, 'server');
      return !seenByB.getStates().has(awarenessA.clientID);
    }, 5_000, 'the station to leave');
    b.ws.close();
    outsider.ws.close();
  });
});
