// A station's device is lost after days offline: its backup file, restored on a fresh device of the same account,
// sends the changes that never reached the server on the next sync, and every device then reads them.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { docId, mainRecord, readFields, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SyncEngine } from '../sync/engine';
import { MemoryStorage } from '../memory-storage';
import { createBackup, restoreBackup } from './backup';

describe('a backup restored on a fresh device', () => {
  let system: TestSystem;
  let token: string;
  let account: { userId: string; unitId: string | null };
  const engines: SyncEngine[] = [];

  async function started(namespace: string) {
    const seen = { status: '' };
    const e = new SyncEngine({
      namespace,
      origin: system.url,
      getToken: async () => token,
      storage: new MemoryStorage(),
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => (seen.status = `${s.state}/${s.pending}`)
    });
    engines.push(e);
    await e.start();
    await waitFor(() => seen.status === 'synced/0', 15_000, `${namespace} to sync`);
    return { e, seen };
  }

  beforeAll(async () => {
    system = await startTestSystem();
    const session = await login(system.url, 'tram.yty');
    token = session.accessToken;
    account = { userId: session.user.id, unitId: session.user.unitId };
  });

  afterAll(async () => {
    for (const e of engines) await e.stop().catch(() => {});
    await system.stop();
  });

  it('sends the lost device’s unsynced changes on the next sync, and another device reads them', async () => {
    const patientId = 'p-backup-lost';
    const chart = docId('patient', patientId);
    const lost = await started('backup-lost-pc');
    const doc = await lost.e.openDoc(chart, { kind: 'patient', unitId: account.unitId!, patientId });
    writeFields(mainRecord(doc, 'patient'), { id: patientId, fullName: 'Chảo Thị Mẩy', gender: 'female', dateOfBirth: '1979-09-09' });
    await waitFor(async () => (await lost.e.db.docs.get(chart))?.known === 1 && lost.seen.status === 'synced/0', 15_000, 'the chart on the server');
    // Days offline: the edits wait on the device, then the backup is made, then the device is gone.
    lost.e.offline();
    writeFields(mainRecord(doc, 'patient'), { phone: '0911222333', occupation: 'Làm ruộng' });
    await waitFor(async () => (await lost.e.store.queuedDocIds()).length > 0, 5_000, 'the edit queued');
    const { file } = await createBackup(lost.e.store, account, 'sao lưu trạm Y Tý', { kdf: { name: 'scrypt', logN: 10, r: 8, p: 1 } });
    await lost.e.stop();

    const fresh = await started('backup-new-pc');
    const restored = await restoreBackup(fresh.e.store, account, file, 'sao lưu trạm Y Tý');
    if ('error' in restored) throw new Error(restored.error);
    expect(restored.summary.queued).toBeGreaterThan(0);
    // Queued again on the fresh device (the summary counts them), then acknowledged by the server.
    await waitFor(async () => (await fresh.e.store.queuedDocIds()).length === 0 && fresh.seen.status === 'synced/0', 15_000, 'the restored changes sent');

    const other = await started('backup-other-tablet');
    const onOther = await other.e.openDoc(chart);
    await waitFor(() => readFields(mainRecord(onOther, 'patient')).phone === '0911222333', 15_000, 'the restored edit on another device');
    const onFresh = await fresh.e.openDoc(chart);
    expect(readFields(mainRecord(onOther, 'patient'))).toEqual(readFields(mainRecord(onFresh, 'patient')));
    expect(Y.encodeStateVector(onOther)).toEqual(Y.encodeStateVector(onFresh));
  });
});
