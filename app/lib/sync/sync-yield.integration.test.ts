// Sync yields to a call (M8): with yield on, a device's bulk catch-up pauses after the two chunks the server sends
// unacknowledged, while its own edit (the minutes) is still sent and acknowledged; off, the held acknowledgements go
// and catch-up resumes where it stopped, until the device holds everything and the other device has its edit.
// The app's engine on fake-indexeddb against the real server and a real WebSocket.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, readFields, writeFields, writeForm, type DocMeta } from '@telehealth/domain';
import { SyncState, type SocketLike } from '@telehealth/sync-client';
import { device, login, startTestSystem, waitFor, type Device, type TestSystem } from '../../../sync-server/test/harness';
import { MemoryStorage } from '../memory-storage';
import { SyncEngine } from './engine';

const station = 'tyt-02701';
const backlog = 48;
const chartMeta = (patientId: string): DocMeta => ({ kind: 'patient', unitId: station, patientId });
/** About 14 KB of UTF-8 text per form, so that the backlog is about 670 KB: four catch-up chunks of 200,000 bytes. */
const long = (n: number, seed: string) => `${seed}: ho khan kéo dài, sốt về chiều, đau ngực khi thở sâu. `.repeat(Math.ceil(n / 60)).slice(0, n);

describe('sync yields to a call', () => {
  let system: TestSystem;
  let writer: Device;
  let engine: SyncEngine | undefined;
  let status = '';

  beforeAll(async () => {
    system = await startTestSystem();
    writer = await device(system.url, 'tram.yty');
    await writer.synced();
    for (let i = 0; i < backlog; i++) {
      const id = `yb-${i}`;
      writer.store.edit(docId('patient', id), chartMeta(id), (doc) => {
        writeFields(mainRecord(doc, 'patient'), { id, unitId: station, fullName: `Người bệnh ${i}`, gender: 'female', dateOfBirth: '1980-01-01' });
        writeForm(doc, 'f1', {
          id: 'f1',
          patientId: id,
          unitId: station,
          history: long(2000, `${i}`),
          symptoms: long(2000, `${i}`),
          diagnosis: long(1000, `${i}`),
          treatmentMethod: long(2000, `${i}`),
          advice: long(4000, `${i}`)
        });
      });
    }
    await writer.client.localChange();
    await writer.synced(30_000);
    expect(writer.store.refusedEntries).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
    writer?.client.stop();
    await system?.stop();
  });

  it('pauses the backlog while a local edit is acknowledged, and completes it when the call ends', async () => {
    const token = (await login(system.url, 'tram.yty')).accessToken;
    engine = new SyncEngine({
      namespace: 'yielding-station',
      origin: system.url,
      getToken: async () => token,
      storage: new MemoryStorage(),
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => (status = s.state)
    });
    const e = engine;
    const backlogHeld = async () => (await e.db.patients.toArray()).filter((p) => p.id.startsWith('yb-')).length;

    // A call starts on a thin link before this device caught up: it yields from the first chunk.
    e.setYield(true);
    await e.start();
    await waitFor(() => (e.client?.heldAckCount ?? 0) === 2, 20_000, 'two catch-up chunks stored, their acks held');
    const pausedAt = await backlogHeld();
    expect(pausedAt).toBeGreaterThan(0);
    expect(pausedAt).toBeLessThan(backlog);

    // The minutes of the call: a small edit made here goes and is acknowledged while catch-up waits.
    const editId = docId('patient', 'p-during-call');
    const doc = await e.openDoc(editId, chartMeta('p-during-call'));
    writeFields(mainRecord(doc, 'patient'), { id: 'p-during-call', unitId: station, fullName: 'Ghi trong cuộc gọi', gender: 'male', dateOfBirth: '1975-05-05' });
    await e.closeDoc(editId);
    await waitFor(async () => (await e.db.docs.get(editId))?.known === 1 && (await e.store.queuedDocIds()).length === 0, 20_000, 'the edit acknowledged');
    await waitFor(() => writer.store.docs.get(editId)?.getMap('patient').get('fullName') === 'Ghi trong cuộc gọi', 20_000, 'the edit on the other device');
    // Still paused: the server sends nothing more until an ack, so the device holds no more of the backlog.
    expect(await backlogHeld()).toBe(pausedAt);
    expect(e.client?.heldAckCount).toBe(2);
    expect(status).not.toBe(SyncState.synced);

    // The call ends: catch-up resumes where it stopped and the device converges.
    e.setYield(false);
    await waitFor(() => status === SyncState.synced, 30_000, 'the device synced');
    expect(await backlogHeld()).toBe(backlog);
    const last = await e.openDoc(docId('patient', `yb-${backlog - 1}`));
    expect(readFields(mainRecord(last, 'patient')).fullName).toBe(`Người bệnh ${backlog - 1}`);
    await e.closeDoc(docId('patient', `yb-${backlog - 1}`));
  }, 90_000);
});
