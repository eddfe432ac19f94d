// A station's backup restores on a wiped device as the same state (documents, state vectors, indexes, changes still
// waiting for the server), and an older backup restored on a device with newer edits merges without losing them.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docId, mainRecord, readFields, writeFields } from '@telehealth/domain';
import { openLocalDb } from '../sync/local-db';
import { LocalStore } from '../sync/local-store';
import { createBackup, restoreBackup } from './backup';
import { BackupError, type KdfParams } from './format';

const kdf: KdfParams = { name: 'scrypt', logN: 10, r: 8, p: 1 };
const account = { userId: 'u-tram-yty', unitId: 'tyt-02701' };
const passphrase = 'mật khẩu sao lưu trạm';
const unit = 'tyt-02701';

let devices = 0;
/** A device of the station's account: its own database, as after a fresh install. */
function device(clientId = 1000 + devices) {
  const events = { outbox: 0, changed: [] as string[], replaced: [] as string[] };
  const db = openLocalDb(`backup-${++devices}`);
  const store = new LocalStore(`backup-${devices}`, clientId, db, {
    changed: (ids) => events.changed.push(...ids),
    outboxChanged: () => events.outbox++,
    replaced: (id) => events.replaced.push(id)
  });
  return { db, store, events };
}

/** A chart written on another device and received from the server (acknowledged). */
function serverChart(id: string, fields: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  writeFields(mainRecord(doc, 'patient'), { id, gender: 'female', dateOfBirth: '1985-01-01', ...fields });
  return Y.encodeStateAsUpdateV2(doc);
}

/** What the server sent: the same updates reach every device of the account. */
const received = {
  recv1: serverChart('p-recv-1', { fullName: 'Lò Văn Páo' }),
  recv2: serverChart('p-recv-2', { fullName: 'Giàng Thị Dợ', phone: '0912345000' })
};

async function edit(store: LocalStore, id: string, fields: Record<string, unknown>, create = false) {
  const chart = docId('patient', id);
  const doc = await store.openDoc(chart, create ? { kind: 'patient', unitId: unit, patientId: id } : undefined);
  writeFields(mainRecord(doc, 'patient'), fields);
  await store.closeDoc(chart);
}

async function stateOf(store: LocalStore, chart: string) {
  const doc = await store.openDoc(chart);
  const out = { vector: Y.encodeStateVector(doc), fields: readFields(mainRecord(doc, 'patient')) };
  await store.closeDoc(chart);
  return out;
}

const withoutTime = <T extends { updatedAt: number }>(rows: T[]) => rows.map(({ updatedAt: _, ...rest }) => rest);

/** A station with received charts, an appointment, and two charts edited here offline (still queued). */
async function station() {
  const a = device();
  await a.store.applyChunk(
    [
      { docId: docId('patient', 'p-recv-1'), update: received.recv1 },
      { docId: docId('patient', 'p-recv-2'), update: received.recv2 }
    ] as never,
    { e: 2, s: 57 }
  );
  const appointment = new Y.Doc();
  writeFields(mainRecord(appointment, 'appointment'), { id: 'a-1', patientId: 'p-recv-1', status: 'requested' });
  await a.store.applyDocUpdate(docId('appointment', 'a-1'), Y.encodeStateAsUpdateV2(appointment));
  await edit(a.store, 'p-new', { id: 'p-new', fullName: 'Vàng A Sử', gender: 'male', dateOfBirth: '2001-07-07' }, true);
  await edit(a.store, 'p-new', { phone: '0977111222' });
  await edit(a.store, 'p-recv-2', { occupation: 'Nông dân' });
  return a;
}

describe('backing up and restoring a station', () => {
  it('restores on a wiped device the same documents, state vectors, indexes and queued changes, and catches up from the backup’s cursor', async () => {
    const a = await station();
    const { file, summary } = await createBackup(a.store, account, passphrase, { kdf });
    expect(summary).toMatchObject({ documents: 4, patients: 3, queued: 3 });

    const b = device();
    const restored = await restoreBackup(b.store, account, file, passphrase);
    if ('error' in restored) throw new Error(restored.error);
    expect(restored.summary).toMatchObject({ documents: 4, patients: 3, changed: 4, queued: 3 });

    const ids = (await a.db.docs.toArray()).map((d) => d.docId).sort();
    expect((await b.db.docs.toArray()).map((d) => d.docId).sort()).toEqual(ids);
    for (const id of ids) expect(await stateOf(b.store, id)).toEqual(await stateOf(a.store, id));
    // Lists and search read the same rows, rebuilt from the restored documents.
    expect(withoutTime(await b.db.patients.orderBy('id').toArray())).toEqual(withoutTime(await a.db.patients.orderBy('id').toArray()));
    expect(withoutTime(await b.db.records.toArray())).toEqual(withoutTime(await a.db.records.toArray()));
    expect((await b.db.patients.get('p-new'))?.phone).toBe('0977111222');
    // What was waiting for the server still is, in order, with the new chart's metadata for the server.
    const outbox = (o: Awaited<ReturnType<LocalStore['outbox']>>) => o.map(({ docId, meta, update }) => ({ docId, meta, update }));
    expect(outbox(await b.store.outbox())).toEqual(outbox(await a.store.outbox()));
    expect(JSON.parse((await b.store.outbox())[0]!.meta)).toMatchObject({ kind: 'patient', patientId: 'p-new' });
    expect(b.events.outbox).toBe(1);
    expect(await b.store.cursor()).toEqual({ e: 2, s: 57 });
  });

  it('merges an older backup into a device with newer edits: nothing newer is lost, nothing is queued twice', async () => {
    const a = await station();
    const { file } = await createBackup(a.store, account, passphrase, { kdf });
    // After the backup: the queued changes reach the server, and the worker edits again.
    for (const e of await a.store.outbox()) await a.store.acknowledged(e.docId, e.localId, 1);
    await edit(a.store, 'p-new', { phone: '0977999888', occupation: 'Giáo viên' });
    await edit(a.store, 'p-recv-1', { fullName: 'Lò Văn Páo (đã sửa)' });
    const before = { newChart: await stateOf(a.store, docId('patient', 'p-new')), rows: await a.db.updates.count(), outbox: await a.store.outbox() };

    const restored = await restoreBackup(a.store, account, file, passphrase);
    if ('error' in restored) throw new Error(restored.error);
    expect(restored.summary).toMatchObject({ documents: 4, changed: 0, queued: 0 });
    expect(await stateOf(a.store, docId('patient', 'p-new'))).toEqual(before.newChart);
    expect(readFields(mainRecord(await a.store.openDoc(docId('patient', 'p-recv-1')), 'patient')).fullName).toBe('Lò Văn Páo (đã sửa)');
    await a.store.closeDoc(docId('patient', 'p-recv-1'));
    expect(await a.db.updates.count()).toBe(before.rows);
    expect(await a.store.outbox()).toEqual(before.outbox);
  });

  it('adds to a device what only the backup holds, merged field by field with the device’s newer edits', async () => {
    const a = await station();
    const { file } = await createBackup(a.store, account, passphrase, { kdf });
    // Another device of the account has the received charts, but never got the offline edits (the first device was lost).
    const b = device();
    await b.store.applyDocUpdate(docId('patient', 'p-recv-2'), received.recv2);
    await edit(b.store, 'p-recv-2', { phone: '0912345999' });
    const chart = docId('patient', 'p-recv-2');
    // The chart is open on a screen while the file is restored.
    const open = await b.store.openDoc(chart);

    const restored = await restoreBackup(b.store, account, file, passphrase);
    if ('error' in restored) throw new Error(restored.error);
    expect(restored.summary.changed).toBe(4);
    // Both sides' edits of different fields survive, and the screen's copy has them at once.
    expect(readFields(mainRecord(open, 'patient'))).toMatchObject({ phone: '0912345999', occupation: 'Nông dân' });
    expect(b.events.replaced).toContain(chart);
    expect((await b.db.patients.get('p-recv-2'))?.phone).toBe('0912345999');
    expect((await b.db.patients.get('p-new'))?.fullName).toBe('Vàng A Sử');
    // The lost device's changes are queued here (its chart edit and the new chart), the device's own edit too.
    expect((await b.store.outbox()).map((e) => e.docId).sort()).toEqual([chart, chart, docId('patient', 'p-new'), docId('patient', 'p-new')].sort());
    await b.store.closeDoc(chart);
  });

  it('refuses another account’s backup, a wrong passphrase and a changed file, changing nothing', async () => {
    const a = await station();
    const { file } = await createBackup(a.store, account, passphrase, { kdf });
    const b = device();
    await edit(b.store, 'p-own', { id: 'p-own', fullName: 'Thào A Dìa', gender: 'male', dateOfBirth: '1970-01-01' }, true);
    const snapshot = async () => ({ rows: await b.db.updates.toArray(), docs: await b.db.docs.toArray(), patients: await b.db.patients.toArray(), cursor: await b.store.cursor() });
    const before = await snapshot();

    expect(await restoreBackup(b.store, { userId: 'u-tram-amusung', unitId: 'tyt-02702' }, file, passphrase)).toEqual({ error: BackupError.wrongAccount });
    expect(await restoreBackup(b.store, { ...account, unitId: 'tyt-02702' }, file, passphrase)).toEqual({ error: BackupError.wrongAccount });
    expect(await restoreBackup(b.store, account, file, 'sai mật khẩu rồi')).toEqual({ error: BackupError.wrongPassphrase });
    const changed = file.slice();
    changed[changed.length - 3]! ^= 0x80;
    expect(await restoreBackup(b.store, account, changed, passphrase)).toEqual({ error: BackupError.tampered });
    expect(await restoreBackup(b.store, account, file.subarray(0, file.length - 100), passphrase)).toEqual({ error: BackupError.truncated });
    expect(await snapshot()).toEqual(before);
    expect(b.events.changed.filter((id) => id !== docId('patient', 'p-own'))).toEqual([]);
  });
});
