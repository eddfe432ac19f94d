// The app's sync engine in Node: IndexedDB (fake-indexeddb), y-indexeddb, Dexie, against the real server.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, readFields, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SyncEngine } from './engine';
import { PatientIndex } from '../records/patient-index';

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

describe('the app sync engine', () => {
  let system: TestSystem;
  let token: string;
  const engines: SyncEngine[] = [];
  const statuses = new Map<SyncEngine, string>();

  const engine = (namespace: string, storage: Storage, origin = system.url) => {
    const e: SyncEngine = new SyncEngine({
      namespace,
      origin,
      getToken: async () => token,
      storage,
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => {
        if (process.env.ENGINE_DEBUG) console.log(namespace, s.state, s.pending);
        statuses.set(e, `${s.state}/${s.pending}`);
      }
    });
    engines.push(e);
    return e;
  };

  beforeAll(async () => {
    system = await startTestSystem();
    token = (await login(system.url, 'tram.yty')).accessToken;
  });

  afterAll(async () => {
    for (const e of engines) await e.stop();
    await system.stop();
  });

  it('keeps an offline edit and its outbox across a restart, with the same Yjs client id', async () => {
    const storage = new MemoryStorage();
    const offline = engine('station-pc', storage, 'http://127.0.0.1:1');
    await offline.start();
    const meta = { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-off' } as const;
    const doc = await offline.openDoc(docId('patient', 'p-off'), meta);
    const clientId = doc.clientID;
    writeFields(mainRecord(doc, 'patient'), { fullName: 'Nguyễn Thị Đào', dateOfBirth: '1990-01-02' });
    await waitFor(() => statuses.get(offline)?.endsWith('/1') ?? false, 5_000, 'the change in the outbox');
    await offline.stop();

    const again = engine('station-pc', storage);
    await again.start();
    const reopened = await again.openDoc(docId('patient', 'p-off'));
    expect(readFields(mainRecord(reopened, 'patient')).fullName).toBe('Nguyễn Thị Đào');
    expect(reopened.clientID).toBe(clientId);
    await waitFor(() => statuses.get(again) === 'synced/0', 10_000, 'the outbox to drain');
    expect(await again.db.outbox.count()).toBe(0);
  });

  it('brings the chart to another device, indexed for search with or without diacritics', async () => {
    const tablet = engine('station-tablet', new MemoryStorage());
    await tablet.start();
    await waitFor(() => statuses.get(tablet) === 'synced/0', 10_000, 'the tablet to sync');
    const index = new PatientIndex();
    await index.load(tablet.db);
    expect(index.search('nguyen thi dao').map((p) => p.id)).toEqual(['p-off']);
    expect(index.search('Đào').map((p) => p.fullName)).toEqual(['Nguyễn Thị Đào']);
    const doc = await tablet.openDoc(docId('patient', 'p-off'));
    expect(readFields(mainRecord(doc, 'patient')).dateOfBirth).toBe('1990-01-02');
    expect(await tablet.db.snapshots.count()).toBe(0);
    await tablet.closeDoc(docId('patient', 'p-off'));

    // Edited elsewhere while closed here: the update goes into the chart's own database.
    const pc = engine('station-pc-2', new MemoryStorage());
    await pc.start();
    await waitFor(() => statuses.get(pc) === 'synced/0', 10_000, 'the second pc to sync');
    const onPc = await pc.openDoc(docId('patient', 'p-off'));
    writeFields(mainRecord(onPc, 'patient'), { phone: '0912345678' });
    await waitFor(() => statuses.get(pc) === 'synced/0', 10_000, 'the edit sent');
    for (let i = 0; (await tablet.db.patients.get('p-off'))?.phone !== '0912345678'; i++) {
      if (i > 200) throw new Error('the tablet never received the edit');
      await new Promise((r) => setTimeout(r, 25));
    }
    const reopened = await tablet.openDoc(docId('patient', 'p-off'));
    expect(readFields(mainRecord(reopened, 'patient')).phone).toBe('0912345678');
  });
});
