// After the server's database was restored from a backup, the device store queues again its own changes to the
// documents the server acknowledged after the backup, with their metadata, and nothing else (LocalStore.serverLog).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { openLocalDb } from './local-db';
import { LocalStore } from './local-store';

describe('LocalStore.serverLog', () => {
  it("re-queues this device's changes made after the restore point, once, with the document's metadata", async () => {
    let changed = 0;
    const store = new LocalStore('server-log', 41, openLocalDb('server-log'), { changed() {}, outboxChanged: () => changed++ });
    store.ownClientIds = () => [41, 42];
    const ack = async (seq: number) => {
      for (const e of await store.outbox()) await store.acknowledged(e.docId, e.localId, seq);
    };
    const write = async (id: string, fields: Record<string, string>, create = false) => {
      const chart = docId('patient', id);
      writeFields(mainRecord(await store.openDoc(chart, create ? { kind: 'patient', unitId: 'tyt-02701', patientId: id } : undefined), 'patient'), fields);
      await store.closeDoc(chart);
    };

    await store.serverLog({ id: 'log-1', restoredSeq: 0 });
    await write('old', { fullName: 'Lò Văn A' }, true);
    await ack(10);
    await write('new', { fullName: 'Hà Thị B' }, true);
    await ack(20);
    // Another account's edit of the new chart arrives from the server.
    const other = new Y.Doc();
    other.clientID = 99;
    Y.applyUpdateV2(other, await stateOf(store, docId('patient', 'new')));
    mainRecord(other, 'patient').set('phone', '0912000111');
    await store.applyChunk([{ docId: docId('patient', 'new'), update: Y.encodeStateAsUpdateV2(other) }], { e: 21, s: 0 });
    expect(await store.outbox()).toEqual([]);

    // The same log again: nothing to do.
    await store.serverLog({ id: 'log-1', restoredSeq: 0 });
    expect(await store.outbox()).toEqual([]);

    // Restored from a backup that ends at 15: the new chart's acknowledged change is lost there, the old one is not.
    const before = changed;
    await store.serverLog({ id: 'log-2', restoredSeq: 15 });
    const queued = await store.outbox();
    expect(queued.map((e) => e.docId)).toEqual([docId('patient', 'new')]);
    expect(JSON.parse(queued[0]!.meta)).toMatchObject({ kind: 'patient', patientId: 'new' });
    expect(changed).toBeGreaterThan(before);
    const server = new Y.Doc();
    for (const e of queued) Y.applyUpdateV2(server, e.update);
    // This device's fields, not the other account's edit (that one's device sends it again).
    expect(mainRecord(server, 'patient').toJSON()).toEqual({ fullName: 'Hà Thị B' });

    // Seen once: a reconnection with the same identity queues nothing more.
    await ack(1_099_511_627_800);
    await store.serverLog({ id: 'log-2', restoredSeq: 15 });
    expect(await store.outbox()).toEqual([]);
    store.db.close();
  });
});

async function stateOf(store: LocalStore, id: string): Promise<Uint8Array> {
  const doc = await store.openDoc(id);
  const update = Y.encodeStateAsUpdateV2(doc);
  await store.closeDoc(id);
  return update;
}
