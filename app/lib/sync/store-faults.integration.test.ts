// Fault injection on the device store: a write is cut short at every point between its steps (as when the
// browser is killed before IndexedDB commits, or the storage refuses a write), the device starts again from what
// it had stored, and then it must hold exactly what the server holds: nothing sent that is not stored, nothing
// stored that is not sent, nothing that was stored lost, and later edits still reaching every device.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { docId, mainRecord, readFields, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SyncEngine } from './engine';
import type { FaultPoint } from './local-store';
import { MemoryStorage } from '../memory-storage';

class Crash extends Error {}

describe('the device store under faults', () => {
  let system: TestSystem;
  let token: string;
  const engines: SyncEngine[] = [];

  /** An engine that reports its state as "state/pending" and counts writes it could not store. */
  function engine(namespace: string, storage: Storage) {
    const seen = { status: '', notStored: 0 };
    const e = new SyncEngine({
      namespace,
      origin: system.url,
      getToken: async () => token,
      storage,
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => (seen.status = `${s.state}/${s.pending}`),
      onNotStored: () => seen.notStored++
    });
    engines.push(e);
    return { e, seen };
  }

  async function started(namespace: string, storage = new MemoryStorage()) {
    const device = engine(namespace, storage);
    await device.e.start();
    await waitFor(() => device.seen.status === 'synced/0', 15_000, `${namespace} to sync`);
    return device;
  }

  const fields = (doc: Y.Doc) => readFields(mainRecord(doc, 'patient'));

  beforeAll(async () => {
    system = await startTestSystem();
    token = (await login(system.url, 'tram.yty')).accessToken;
  });

  afterAll(async () => {
    for (const e of engines) await e.stop().catch(() => {});
    await system.stop();
  });

  /** Where the cut falls, and what the change cut short must look like afterwards. */
  const cases: { point: FaultPoint; path: 'local' | 'remote' | 'ack'; kept: boolean }[] = [
    // Cut before or inside the transaction: nothing of the change is stored, and the device says so.
    { point: 'local:before-write', path: 'local', kept: false },
    { point: 'local:stored', path: 'local', kept: false },
    { point: 'local:indexed', path: 'local', kept: false },
    // Cut after the commit (before the outbox is told): stored and queued, so it is sent after the restart.
    { point: 'local:committed', path: 'local', kept: true },
    // A chunk from the server cut inside its transaction or after it: fetched again, or already stored.
    { point: 'remote:stored', path: 'remote', kept: true },
    { point: 'remote:committed', path: 'remote', kept: true },
    // The acknowledgement cut: the change is sent again, and the server keeps it once.
    { point: 'ack:in-write', path: 'ack', kept: true },
    { point: 'ack:committed', path: 'ack', kept: true }
  ];

  for (const { point, path, kept } of cases) {
    it(`cut at ${point}: the device starts again holding what the server holds, and later edits flow`, async () => {
      const name = point.replace(/\W/g, '-');
      const patientId = `p-fault-${name}`;
      const chart = docId('patient', patientId);
      const storage = new MemoryStorage();
      const a = await started(`pc-${name}`, storage);
      const doc = await a.e.openDoc(chart, { kind: 'patient', unitId: 'tyt-02701', patientId });
      writeFields(mainRecord(doc, 'patient'), { id: patientId, fullName: 'Giàng Thị Mỷ', gender: 'female', dateOfBirth: '1988-03-04' });
      await waitFor(async () => (await a.e.db.docs.get(chart))?.known === 1 && a.seen.status === 'synced/0', 15_000, 'the chart on the server');
      const other = await started(`tablet-${name}`);
      const onOther = await other.e.openDoc(chart);

      let fired = false;
      a.e.store.fault = (p) => {
        if (p !== point || fired) return;
        fired = true;
        throw new Crash(`cut at ${p}`);
      };
      if (path === 'remote') writeFields(mainRecord(onOther, 'patient'), { phone: '0988111222' });
      else writeFields(mainRecord(doc, 'patient'), { phone: '0988111222' });
      await waitFor(() => fired, 15_000, `the write to reach ${point}`);
      // The browser is gone: nothing more runs on this device.
      a.e.store.fault = () => {
        throw new Crash('stopped');
      };
      await a.e.stop();

      // Started again on the same storage: it syncs, then an edit made there reaches the other device.
      const again = await started(`pc-${name}`, storage);
      const reopened = await again.e.openDoc(chart);
      writeFields(mainRecord(reopened, 'patient'), { occupation: `sau ${point}` });
      await waitFor(() => fields(onOther).occupation === `sau ${point}`, 15_000, 'the later edit on the other device');
      await waitFor(() => again.seen.status === 'synced/0' && other.seen.status === 'synced/0', 15_000, 'both synced');

      // One state on both devices and on a fresh one that reads only what the server has.
      const fresh = await started(`fresh-${name}`);
      const onFresh = await fresh.e.openDoc(chart);
      await waitFor(() => fields(onFresh).occupation === `sau ${point}`, 15_000, 'the server state on a fresh device');
      const states = [reopened, onOther, onFresh].map((d) => Y.encodeStateVector(d));
      expect(states[0]).toEqual(states[2]);
      expect(states[1]).toEqual(states[2]);
      expect(fields(reopened)).toEqual(fields(onFresh));
      expect(fields(onOther)).toEqual(fields(onFresh));
      // What the cut change became, everywhere alike.
      expect(fields(onFresh).phone).toBe(kept ? '0988111222' : undefined);
      // The user was told when (and only when) the change typed was not stored.
      expect(a.seen.notStored).toBe(path === 'local' && !kept ? 1 : 0);
      // The device's index says what its document says, and nothing is left queued.
      expect((await again.e.db.patients.get(patientId))?.phone || undefined).toBe(fields(reopened).phone);
      expect(await again.e.store.queuedDocIds()).toEqual([]);
    });
  }
});
