// The app's sync engine in Node: IndexedDB (fake-indexeddb) through Dexie, against the real server.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, readFields, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SyncEngine } from './engine';
import { PatientIndex } from '../records/patient-index';
import { MemoryStorage } from '../memory-storage';


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

  /** A started engine on a fresh device, caught up with the server. */
  const syncedEngine = async (namespace: string) => {
    const e = engine(namespace, new MemoryStorage());
    await e.start();
    await waitFor(() => statuses.get(e) === 'synced/0', 10_000, `${namespace} to sync`);
    return e;
  };

  /** Until the server has acknowledged the document (it exists there). */
  const acknowledged = async (e: SyncEngine, id: string) => {
    for (let i = 0; (await e.db.docs.get(id))?.known !== 1; i++) {
      if (i > 200) throw new Error(`${id} never acknowledged; refused: ${JSON.stringify((await e.db.refused.toArray()).map((r) => r.code))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
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
    expect(await again.store.queuedDocIds()).toEqual([]);
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
    await tablet.closeDoc(docId('patient', 'p-off'));

    // Edited elsewhere while closed here: the update is stored and indexed without opening the chart.
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

  it('after a refused change, rebuilds the chart from the server and sends again what was typed and is valid', async () => {
    const pc = await syncedEngine('station-pc-rebase');
    const chart = docId('patient', 'p-rebase');
    const doc = await pc.openDoc(chart, { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-rebase' });
    writeFields(mainRecord(doc, 'patient'), { id: 'p-rebase', fullName: 'Thào Seo Lử', gender: 'male', dateOfBirth: '1979-09-09' });
    await acknowledged(pc, chart);
    // A value the server refuses (an old app version, say), and a valid one typed with it.
    writeFields(mainRecord(doc, 'patient'), { phone: 'gọi trưởng bản', occupation: 'Chăn nuôi' });
    await waitFor(() => (statuses.get(pc)?.endsWith('/0') ?? false) && statuses.get(pc)?.startsWith('synced') === true, 10_000, 'the refusal');
    // Rebuilt: the screen's copy is the server's plus the valid value, sent again and accepted.
    for (let i = 0; ; i++) {
      const now = await pc.openDoc(chart);
      const fields = readFields(mainRecord(now, 'patient'));
      await pc.closeDoc(chart);
      if (fields.phone === undefined && fields.occupation === 'Chăn nuôi' && statuses.get(pc) === 'synced/0') break;
      if (i > 200) throw new Error(`not rebuilt: ${JSON.stringify(fields)} ${statuses.get(pc)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await pc.db.refused.count()).toBeGreaterThan(0);
    // Later edits build on the server's state again: accepted.
    const refusedBefore = await pc.db.refused.count();
    const again = await pc.openDoc(chart);
    writeFields(mainRecord(again, 'patient'), { address: 'Thôn Sín Chải' });
    const fresh = await syncedEngine('station-fresh');
    const onFresh = await fresh.openDoc(chart);
    // "synced/0" may be read before the edit is even queued: wait for it where it must arrive, on another device.
    await waitFor(() => readFields(mainRecord(onFresh, 'patient')).address === 'Thôn Sín Chải', 10_000, 'the later edit on a fresh device');
    expect(readFields(mainRecord(onFresh, 'patient'))).toMatchObject({ occupation: 'Chăn nuôi', address: 'Thôn Sín Chải' });
    expect(readFields(mainRecord(onFresh, 'patient')).phone).toBeUndefined();
    expect(await pc.db.refused.count()).toBe(refusedBefore);
  });

  it('creates again a new chart refused at creation, without the invalid value', async () => {
    const pc = await syncedEngine('station-pc-rebase-new');
    const chart = docId('patient', 'p-rebase-new');
    const doc = await pc.openDoc(chart, { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-rebase-new' });
    writeFields(mainRecord(doc, 'patient'), { id: 'p-rebase-new', fullName: 'Sùng A Dơ', gender: 'male', dateOfBirth: '1980-02-02', personalId: '12' });
    await acknowledged(pc, chart);
    const fresh = await syncedEngine('station-fresh-2');
    const onFresh = readFields(mainRecord(await fresh.openDoc(chart), 'patient'));
    expect(onFresh).toMatchObject({ fullName: 'Sùng A Dơ', dateOfBirth: '1980-02-02' });
    expect(onFresh.personalId).toBeUndefined();
    expect((await pc.db.refused.toArray()).map((r) => r.code)).toEqual(['invalid_value']);
  });

  it('counts the records waiting, not the edits; tells which record the server has; keeps the last sync time offline', async () => {
    const storage = new MemoryStorage();
    const offline = engine('station-pending', storage, 'http://127.0.0.1:1');
    await offline.start();
    const a = await offline.openDoc(docId('patient', 'p-pend-a'), { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-pend-a' });
    const b = await offline.openDoc(docId('patient', 'p-pend-b'), { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-pend-b' });
    writeFields(mainRecord(a, 'patient'), { id: 'p-pend-a', fullName: 'Lò Văn A', gender: 'male', dateOfBirth: '1970-01-01' });
    writeFields(mainRecord(a, 'patient'), { phone: '0912000111' });
    writeFields(mainRecord(a, 'patient'), { occupation: 'Làm ruộng' });
    writeFields(mainRecord(b, 'patient'), { id: 'p-pend-b', fullName: 'Lò Thị B', gender: 'female', dateOfBirth: '1972-02-02' });
    await waitFor(async () => (await offline.store.queuedDocIds()).length >= 4, 5_000, 'the four edits queued');
    // Four edits of two charts: two records waiting.
    await waitFor(() => statuses.get(offline)?.endsWith('/2') ?? false, 5_000, 'two records pending');
    expect(await offline.hasPending(docId('patient', 'p-pend-a'))).toBe(true);
    expect(await offline.hasPending(docId('patient', 'p-other'))).toBe(false);
    await offline.stop();

    let lastSyncAt: number | undefined;
    const online = new SyncEngine({
      namespace: 'station-pending',
      origin: system.url,
      getToken: async () => token,
      storage,
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => {
        statuses.set(online, `${s.state}/${s.pending}`);
        lastSyncAt = s.lastSyncAt;
      }
    });
    engines.push(online);
    await online.start();
    await waitFor(() => statuses.get(online) === 'synced/0', 10_000, 'the outbox to drain');
    expect(await online.hasPending(docId('patient', 'p-pend-a'))).toBe(false);
    expect(lastSyncAt).toBeGreaterThan(0);
    const synced = lastSyncAt;
    await online.stop();

    // Restarted with no network: the last sync time is still known (the bar shows it), not forgotten.
    let shown: number | undefined;
    const later = new SyncEngine({
      namespace: 'station-pending',
      origin: 'http://127.0.0.1:1',
      getToken: async () => token,
      storage,
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => (shown = s.lastSyncAt)
    });
    engines.push(later);
    await later.start();
    await waitFor(() => shown !== undefined, 5_000, 'a status');
    expect(shown).toBe(synced);
  });
});
