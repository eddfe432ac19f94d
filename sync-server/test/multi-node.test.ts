// Two sync-server nodes sharing one PostgreSQL deliver each other's updates through LISTEN/NOTIFY.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mainRecord, readFields, writeFields } from '@telehealth/domain';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from './harness';
import { backends, type TestDatabase } from './databases';

const postgresBackend = backends.find((b) => b.name === 'PostgreSQL')!;

describe('two nodes on one PostgreSQL', () => {
  let db: TestDatabase;
  let nodeA: TestSystem;
  let nodeB: TestSystem;
  const devices: Device[] = [];

  beforeAll(async () => {
    db = await postgresBackend.create();
    nodeA = await startTestSystem({ databaseUrl: db.url, env: { SYNC_BUS: 'notify', NODE_ID: 'node-a' } });
    nodeB = await startTestSystem({ databaseUrl: db.url, env: { SYNC_BUS: 'notify', NODE_ID: 'node-b' } });
  });

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    await nodeA.stop();
    await nodeB.stop();
    await db.drop();
  });

  it('delivers an edit made on one node to a device on the other, live, both ways', async () => {
    const onA = await device(nodeA.url, 'tram.yty');
    const onB = await device(nodeB.url, 'tram.yty');
    devices.push(onA, onB);
    await onA.synced();
    await onB.synced();
    onA.store.edit('patient:p-n1', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-n1' }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { fullName: 'Từ nút A' })
    );
    await onA.client.localChange();
    await waitFor(() => readFields(mainRecord(onB.store.doc('patient:p-n1'), 'patient')).fullName === 'Từ nút A', 5_000, 'node B device to get it');
    onB.store.edit('patient:p-n1', undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { phone: '0912345678' }));
    await onB.client.localChange();
    await waitFor(() => readFields(mainRecord(onA.store.doc('patient:p-n1'), 'patient')).phone === '0912345678', 5_000, 'node A device to get it');
  });

  it('delivers a grant made on one node to an upper-unit device connected to the other', async () => {
    const station = await device(nodeA.url, 'tram.yty');
    const doctor = await device(nodeB.url, 'bacsi.batxat');
    devices.push(station, doctor);
    await doctor.synced();
    station.store.edit('patient:p-n2', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-n2' }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { fullName: 'Chuyển tuyến qua nút A' })
    );
    station.store.edit('request:r-n2', { kind: 'request', unitId: 'tyt-02701', patientId: 'p-n2', peerUnitId: 'ttyt-bat-xat' }, (doc) =>
      writeFields(mainRecord(doc, 'request'), { requestContent: 'Xin hội chẩn', sentAt: new Date().toISOString() })
    );
    await station.client.localChange();
    await waitFor(() => readFields(mainRecord(doctor.store.doc('patient:p-n2'), 'patient')).fullName === 'Chuyển tuyến qua nút A', 5_000, 'the chart on node B');
    await waitFor(() => readFields(mainRecord(doctor.store.doc('request:r-n2'), 'request')).requestContent === 'Xin hội chẩn', 5_000, 'the request on node B');
  });
});
