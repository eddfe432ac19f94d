// An app that writes an older record schema than the server accepts is told to update (close 4427): it stops
// syncing, shows "update required", and keeps every local change for the updated app to send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, mainRecord, writeFields } from '@telehealth/domain';
import { SyncState } from '@telehealth/sync-client';
import { device, startTestSystem, waitFor, type TestSystem } from './harness';

describe('apps too old for the server’s record schema', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ env: { MIN_APP_SCHEMA_VERSION: String(SCHEMA_VERSION) } });
  });
  afterAll(() => system.stop());

  it('closes an older app with "app update required", which keeps its queued change', async () => {
    const old = await device(system.url, 'tram.yty', { start: false, schemaVersion: undefined });
    old.store.edit('patient:p-old-app', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-old-app' }, (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Viết bởi bản cũ' }));
    old.client.start();
    await waitFor(() => old.client.currentStatus.state === SyncState.updateRequired, 10_000, 'update required');
    expect((await old.store.outbox()).length).toBe(1);
    expect(await system.storage.log.getDoc('patient:p-old-app')).toBeUndefined();
    expect(system.logs.some((l) => l.includes('"sync.app_too_old"'))).toBe(true);
    old.client.stop();
  });

  it('lets the current app sync', async () => {
    const current = await device(system.url, 'tram.yty');
    await current.synced();
    expect(current.client.currentStatus.state).toBe(SyncState.synced);
    current.client.stop();
  });
});
