// Presence in the minutes (M7) between the app's engines of the station and the upper unit, through the real
// server: each sees who else is in the minutes and in which field, again after a dropped connection, and no more
// once the other leaves.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { MemoryStorage } from '../memory-storage';
import { SyncEngine } from './engine';
import { DocPresence } from './presence';

const station = 'tyt-02701';
const minutesId = docId('minutes', 'r-presence');

describe('presence in the minutes', () => {
  let system: TestSystem;
  const engines: SyncEngine[] = [];
  const statuses = new Map<SyncEngine, string>();
  const engine = async (namespace: string, username: string) => {
    const token = (await login(system.url, username)).accessToken;
    const e: SyncEngine = new SyncEngine({
      namespace,
      origin: system.url,
      getToken: async () => token,
      storage: new MemoryStorage(),
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => statuses.set(e, s.state)
    });
    engines.push(e);
    await e.start();
    await waitFor(() => statuses.get(e) === 'synced', 15_000, `${namespace} to sync`);
    return e;
  };

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    for (const e of engines) await e.stop();
    await system.stop();
  });

  it('shows who is in which field, again after a dropped link, and no one once they leave', async () => {
    const stationPc = await engine('presence-station', 'tram.yty');
    const chart = await stationPc.openDoc(docId('patient', 'p-presence'), { kind: 'patient', unitId: station, patientId: 'p-presence' });
    writeFields(mainRecord(chart, 'patient'), { id: 'p-presence', fullName: 'Vàng Thị Sử', gender: 'female', dateOfBirth: '1990-02-02' });
    const minutes = await stationPc.openDoc(minutesId, { kind: 'minutes', unitId: station, patientId: 'p-presence', peerUnitId: 'ttyt-bat-xat' });
    writeFields(mainRecord(minutes, 'minutes'), { id: 'r-presence', heldAt: '2026-12-01T09:00:00+07:00' });
    await waitFor(async () => (await stationPc.db.docs.get(minutesId))?.known === 1, 15_000, 'the minutes on the server');
    const doctorPc = await engine('presence-doctor', 'bacsi.batxat');
    await waitFor(async () => (await doctorPc.db.docs.get(minutesId)) !== undefined, 15_000, 'the minutes at the upper unit');

    const atStation = new DocPresence(stationPc, minutesId, minutes, { name: 'Lý Thị Mai', side: 'station' }, () => undefined);
    const atDoctor = new DocPresence(doctorPc, minutesId, await doctorPc.openDoc(minutesId), { name: 'BS. Hùng', side: 'upper' }, () => undefined);
    atStation.setField('conclusion');
    await waitFor(() => atDoctor.others().some((o) => o.field === 'conclusion'), 10_000, 'the station in the conclusion, at the doctor');
    expect(atDoctor.others()).toEqual([{ name: 'Lý Thị Mai', side: 'station', field: 'conclusion' }]);
    await waitFor(() => atStation.others().length === 1, 10_000, 'the doctor at the station');
    expect(atStation.others()).toEqual([{ name: 'BS. Hùng', side: 'upper' }]);

    // The doctor's link drops: once back, its presence is announced again and moves with it.
    doctorPc.client!.dropConnection();
    await waitFor(() => atStation.others().length === 0, 10_000, 'the doctor gone with the link');
    atDoctor.setField('treatment');
    await waitFor(() => atStation.others().some((o) => o.field === 'treatment'), 15_000, 'the doctor back, in the treatment');

    atStation.destroy();
    await waitFor(() => atDoctor.others().length === 0, 10_000, 'the station gone when it leaves');
    atDoctor.destroy();
  });
});
