// Co-editing the minutes (M7) with the app's own sync engine (IndexedDB through fake-indexeddb) against the real
// server: the station and the upper unit type in the same field at once, the station cut off, and after it comes
// back both people's words are in the minutes on both devices, and on a third that was never part of it.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, readRecord, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SyncEngine } from '../sync/engine';
import { MemoryStorage } from '../memory-storage';
import { TextBinding } from './co-edit';
import { Box } from './co-edit.testing';

const station = 'tyt-02701';
const upper = 'ttyt-bat-xat';
const minutesId = docId('minutes', 'r-coedit');

/** Types `typed` key by key at `at` in a box bound to a text. */
const typeAt = (box: Box, binding: TextBinding, at: number, typed: string) => {
  box.setSelectionRange(at, at);
  for (const ch of typed) {
    const caret = box.selectionStart!;
    box.value = box.value.slice(0, caret) + ch + box.value.slice(caret);
    box.setSelectionRange(caret + ch.length, caret + ch.length);
    binding.input();
  }
};

describe('the minutes co-edited by the station and the upper unit', () => {
  let system: TestSystem;
  const tokens = new Map<string, string>();
  const engines: SyncEngine[] = [];
  const statuses = new Map<SyncEngine, string>();

  const engine = (namespace: string, username: string, storage: Storage, origin = system.url) => {
    const e: SyncEngine = new SyncEngine({
      namespace,
      origin,
      getToken: async () => tokens.get(username),
      storage,
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => statuses.set(e, `${s.state}/${s.pending}`)
    });
    engines.push(e);
    return e;
  };
  const synced = (e: SyncEngine, what: string) => waitFor(() => statuses.get(e) === 'synced/0', 15_000, what);
  const conclusion = async (e: SyncEngine) => (await e.openDoc(minutesId)).getText('conclusion').toString();

  beforeAll(async () => {
    system = await startTestSystem();
    for (const u of ['tram.yty', 'bacsi.batxat']) tokens.set(u, (await login(system.url, u)).accessToken);
  });

  afterAll(async () => {
    for (const e of engines) await e.stop();
    await system.stop();
  });

  it('keeps both people’s words typed in one field at once while the station was offline', async () => {
    // The station's chart and the minutes it opens for the consultation, with the start of a conclusion.
    const stationStorage = new MemoryStorage();
    const stationPc = engine('minutes-station', 'tram.yty', stationStorage);
    await stationPc.start();
    await synced(stationPc, 'the station to sync');
    const chart = await stationPc.openDoc(docId('patient', 'p-coedit'), { kind: 'patient', unitId: station, patientId: 'p-coedit' });
    writeFields(mainRecord(chart, 'patient'), { id: 'p-coedit', fullName: 'Lù Thị Mai', gender: 'female', dateOfBirth: '1985-04-04' });
    const minutes = await stationPc.openDoc(minutesId, { kind: 'minutes', unitId: station, patientId: 'p-coedit', peerUnitId: upper });
    minutes.transact(() => {
      writeFields(mainRecord(minutes, 'minutes'), { id: 'r-coedit', requestId: 'r-coedit', patientId: 'p-coedit', requestingUnitId: station, heldAt: '2026-12-01T09:00:00+07:00', createdAt: '2026-12-01T01:00:00.000Z', createdBy: 'user-tram.yty' });
      minutes.getText('conclusion').insert(0, 'Viêm phổi.');
    });
    await waitFor(async () => (await stationPc.db.docs.get(minutesId))?.known === 1, 15_000, 'the minutes on the server');
    await stationPc.stop();

    // The doctor of the upper unit has them, and a text box on them.
    const doctorPc = engine('minutes-doctor', 'bacsi.batxat', new MemoryStorage());
    await doctorPc.start();
    await waitFor(async () => (await doctorPc.db.docs.get(minutesId)) !== undefined, 15_000, 'the minutes at the upper unit');
    const onDoctor = await doctorPc.openDoc(minutesId);
    const doctorBox = new Box();
    const doctorBinding = new TextBinding(onDoctor.getText('conclusion'), doctorBox);
    expect(doctorBox.value).toBe('Viêm phổi.');

    // The station loses its link and types at the end while the doctor types at the start of the same field.
    const offline = engine('minutes-station', 'tram.yty', stationStorage, 'http://127.0.0.1:1');
    await offline.start();
    const onStation = await offline.openDoc(minutesId);
    const stationBox = new Box();
    const stationBinding = new TextBinding(onStation.getText('conclusion'), stationBox);
    typeAt(stationBox, stationBinding, stationBox.value.length, ' Điều trị tại TYT.');
    typeAt(doctorBox, doctorBinding, 0, 'Kết luận: ');
    await waitFor(async () => (await offline.store.queuedDocIds()).includes(minutesId), 5_000, 'the station’s words queued');
    await synced(doctorPc, 'the doctor’s words sent');
    expect(stationBox.value).toBe('Viêm phổi. Điều trị tại TYT.');
    expect(doctorBox.value).toBe('Kết luận: Viêm phổi.');
    await offline.stop();

    // Back online: both words on both sides, in the box the doctor is typing in too.
    const back = engine('minutes-station', 'tram.yty', stationStorage);
    await back.start();
    const merged = 'Kết luận: Viêm phổi. Điều trị tại TYT.';
    await waitFor(async () => (await conclusion(back)) === merged, 15_000, 'the doctor’s words at the station');
    await waitFor(() => doctorBox.value === merged, 15_000, 'the station’s words in the doctor’s box');
    expect(onDoctor.getText('conclusion').toString()).toBe(merged);

    // A device that was never part of it reads the same minutes from the server.
    const fresh = engine('minutes-fresh', 'bacsi.batxat', new MemoryStorage());
    await fresh.start();
    await waitFor(async () => (await fresh.db.docs.get(minutesId)) !== undefined, 15_000, 'the minutes on a fresh device');
    await waitFor(async () => readRecord(await fresh.openDoc(minutesId), 'minutes').conclusion === merged, 15_000, 'the merged conclusion on a fresh device');
    expect((await back.db.records.get(minutesId))?.fields).toMatchObject({ conclusion: merged });
    expect(await back.db.refused.count()).toBe(0);
    expect(await doctorPc.db.refused.count()).toBe(0);
  });
});
