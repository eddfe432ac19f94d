// A device that ran an older version of the app (documents in y-indexeddb databases, a separate outbox, deflated
// snapshots) keeps every record and every unsent change when the app updates: the database upgrade moves the
// outbox and snapshots into the document rows, and a document's y-indexeddb database moves when first read.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { docId, mainRecord, readFields, writeFields } from '@telehealth/domain';
import { deflate } from './compression';
import { legacyDocDbName, openLocalDb } from './local-db';
import { LocalStore } from './local-store';

const names = async () => (await indexedDB.databases()).map((d) => d.name);

describe('the device database upgrade', () => {
  it('keeps documents, snapshots and unsent changes written by version 2', async () => {
    const ns = 'upgrade-user';
    const opened = docId('patient', 'p-old-opened');
    const received = docId('patient', 'p-old-received');

    // Version 2 as the older app wrote it.
    const old = new Dexie(`telehealth-${ns}`);
    old.version(1).stores({ state: 'key', outbox: '++localId, docId', refused: 'localId, docId', docs: 'docId, kind', snapshots: 'docId', patients: 'id' });
    old.version(2).stores({ records: 'docId, kind, patientId' });
    await old.open();
    // A chart opened on this device: its state in y-indexeddb, its last edit also still in the outbox.
    const chart = new Y.Doc();
    const persistence = new IndexeddbPersistence(legacyDocDbName(ns, opened), chart);
    await persistence.whenSynced;
    writeFields(mainRecord(chart, 'patient'), { id: 'p-old-opened', fullName: 'Vàng Thị Sua', gender: 'female', dateOfBirth: '1995-05-05' });
    const before = Y.encodeStateVector(chart);
    let unsent: Uint8Array | undefined;
    chart.once('updateV2', (u: Uint8Array) => (unsent = u));
    writeFields(mainRecord(chart, 'patient'), { phone: '0977000111' });
    await persistence.destroy();
    await old.table('outbox').add({ docId: opened, meta: '', update: unsent!, at: 1 });
    await old.table('docs').put({ docId: opened, kind: 'patient', meta: '', known: 1, opened: 1 });
    // A chart received but never opened: a deflated snapshot.
    const other = new Y.Doc();
    writeFields(mainRecord(other, 'patient'), { id: 'p-old-received', fullName: 'Lý A Páo', gender: 'male', dateOfBirth: '1960-06-06' });
    await old.table('snapshots').put({ docId: received, data: await deflate(Y.encodeStateAsUpdateV2(other)) });
    await old.table('docs').put({ docId: received, kind: 'patient', meta: '', known: 1, opened: 0 });
    old.close();
    expect(await names()).toContain(legacyDocDbName(ns, opened));

    const db = openLocalDb(ns);
    const store = new LocalStore(ns, 1234, db, { changed() {}, outboxChanged() {} });
    // The unsent change is still queued, as it was.
    const outbox = await store.outbox();
    expect(outbox.map((e) => e.docId)).toEqual([opened]);
    expect(outbox[0]!.update).toEqual(unsent);
    // Both charts read as they were; the opened one leaves its y-indexeddb database behind.
    const reopened = await store.openDoc(opened);
    expect(readFields(mainRecord(reopened, 'patient'))).toMatchObject({ fullName: 'Vàng Thị Sua', phone: '0977000111' });
    expect(Y.encodeStateVector(reopened).length).toBeGreaterThanOrEqual(before.length);
    expect(await names()).not.toContain(legacyDocDbName(ns, opened));
    expect((await db.docs.get(opened))?.legacy).toBe(0);
    const never = await store.openDoc(received);
    expect(readFields(mainRecord(never, 'patient')).fullName).toBe('Lý A Páo');
    expect(db.tables.map((t) => t.name).sort()).toEqual(['docs', 'patients', 'records', 'refused', 'state', 'updates']);
    await store.closeDoc(opened);
    await store.closeDoc(received);
    db.close();
  });

  it('merges a document’s acknowledged rows into one when they pile up, keeping its state', async () => {
    const db = openLocalDb('compact-user');
    const store = new LocalStore('compact-user', 99, db, { changed() {}, outboxChanged() {} });
    const id = docId('patient', 'p-many');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('updateV2', (u: Uint8Array) => updates.push(u));
    writeFields(mainRecord(source, 'patient'), { id: 'p-many', fullName: 'Hờ A Chá', gender: 'male', dateOfBirth: '1991-01-01' });
    for (let i = 0; i < 150; i++) writeFields(mainRecord(source, 'patient'), { phone: `09120${String(i).padStart(5, '0')}` });
    // Received from the server one by one while the chart is not open here.
    for (const u of updates) await store.applyDocUpdate(id, u);
    expect(await db.updates.where('docId').equals(id).count()).toBeLessThan(70);
    const doc = await store.openDoc(id);
    expect(readFields(mainRecord(doc, 'patient')).phone).toBe('0912000149');
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(source));
    expect((await db.patients.get('p-many'))?.phone).toBe('0912000149');
    await store.closeDoc(id);
    db.close();
  });
});
