// The backup benchmark (issue 13, `backup.*`): the reference commune (5,000 charts with 20,000 forms, bench/sync) on
// a station's device, 50 of its charts edited offline and still queued; backed up with the real key derivation,
// restored on a wiped device. Prints and writes the `backup` part of bench-results/interop.json:
// seconds to make the file, its bytes, seconds to restore, and restoreDiffs — documents, index rows or queued
// changes that differ between the two devices (target 0). Node with fake-indexeddb, not a phone: see BENCHMARKS.md.
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { mainRecord, writeFields } from '@telehealth/domain';
import type { ChunkEntry } from '@telehealth/protocol';
import { openLocalDb } from '../../app/lib/sync/local-db';
import { LocalStore } from '../../app/lib/sync/local-store';
import { createBackup, restoreBackup } from '../../app/lib/backup/backup';
import { generateCommune } from '../sync/generate';
import { commmuneCharts } from '../sync/ours';
import { writeInteropPart } from '../lib/results';

const account = { userId: 'user-tram.yty', unitId: 'tyt-02701' };
const passphrase = 'sao lưu trạm Y Tý tháng 12';

function device(name: string, clientId: number) {
  const db = openLocalDb(`bench-backup-${name}`);
  return { db, store: new LocalStore(`bench-backup-${name}`, clientId, db, { changed() {}, outboxChanged() {} }) };
}

const charts = commmuneCharts(generateCommune());
const a = device('station', 7_001);
// Received from the server in chunks of 250 charts, as a first sync stores them.
for (let i = 0; i < charts.length; i += 250) {
  const entries = charts.slice(i, i + 250).map((c) => ({ docId: c.id, update: c.update }) as ChunkEntry);
  await a.store.applyChunk(entries, { e: 1, s: i + entries.length });
}
// A day offline: 50 charts edited, still queued.
for (const c of charts.slice(0, 50)) {
  const doc = await a.store.openDoc(c.id);
  writeFields(mainRecord(doc, 'patient'), { phone: '0912000000', occupation: 'Làm nương' });
  await a.store.closeDoc(c.id);
}

let t = performance.now();
const { file, summary } = await createBackup(a.store, account, passphrase);
const seconds = (performance.now() - t) / 1000;

const b = device('wiped', 7_002);
t = performance.now();
const restored = await restoreBackup(b.store, account, file, passphrase);
const restoreSeconds = (performance.now() - t) / 1000;
if ('error' in restored) throw new Error(`restore refused: ${restored.error}`);

// What differs between the station's device and the restored one.
let restoreDiffs = 0;
const docsA = (await a.db.docs.toArray()).map((d) => d.docId).sort();
const docsB = new Set((await b.db.docs.toArray()).map((d) => d.docId));
restoreDiffs += docsA.filter((id) => !docsB.has(id)).length + Math.max(0, docsB.size - docsA.length);
const same = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((v, i) => v === y[i]);
for (const id of docsA) {
  const [x, y] = [await a.store.openDoc(id), await b.store.openDoc(id)];
  if (!same(Y.encodeStateVector(x), Y.encodeStateVector(y)) || !same(Y.encodeStateAsUpdate(x), Y.encodeStateAsUpdate(y))) restoreDiffs++;
  await a.store.closeDoc(id);
  await b.store.closeDoc(id);
}
const indexA = new Map((await a.db.patients.toArray()).map(({ updatedAt: _, ...r }) => [r.id, JSON.stringify(r)]));
for (const { updatedAt: _, ...r } of await b.db.patients.toArray()) if (indexA.get(r.id) !== JSON.stringify(r)) restoreDiffs++;
restoreDiffs += Math.abs(indexA.size - (await b.db.patients.count()));
const outbox = async (s: LocalStore) => (await s.outbox()).map((e) => `${e.docId}:${Y.encodeStateVectorFromUpdateV2(e.update).join(',')}`);
const [outA, outB] = [await outbox(a.store), await outbox(b.store)];
restoreDiffs += outA.filter((e, i) => outB[i] !== e).length + Math.max(0, outB.length - outA.length);

const backup = {
  seconds: Number(seconds.toFixed(2)),
  bytes: file.length,
  restoreSeconds: Number(restoreSeconds.toFixed(2)),
  restoreDiffs,
  documents: summary.documents,
  queued: summary.queued,
  kdf: 'scrypt N=2^15 r=8 p=1',
  where: `Node ${process.version}, fake-indexeddb`
};
console.log(`backup.seconds ${backup.seconds} (target ≤ 5)`);
console.log(`backup.bytes ${backup.bytes} (${(backup.bytes / 1_048_576).toFixed(2)} MB, target ≤ 3 MB)`);
console.log(`backup.restoreSeconds ${backup.restoreSeconds}`);
console.log(`backup.restoreDiffs ${backup.restoreDiffs} (target 0) over ${summary.documents} documents, ${summary.queued} queued changes`);

writeInteropPart('backup', backup);
