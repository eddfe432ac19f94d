// Backing up and restoring one account's device data (ARCHITECTURE.md, "Backup files"): every document this device
// holds — its acknowledged rows merged into one update, its still-queued changes kept apart so that they are sent
// after a restore — and the sync cursor, in one encrypted file (format.ts). Restoring merges: a document's rows from
// the file are added only where they bring something this device lacks (Yjs updates merge, so newer edits made
// here are never overwritten), indexes are rebuilt from the merged state, and it is all one transaction.
import * as Y from 'yjs';
import { parseDocId } from '@telehealth/domain';
import type { Cursor } from '@telehealth/protocol';
import { deflate, inflate } from '../sync/compression';
import type { LocalStore, RestoredDoc } from '../sync/local-store';
import type { UpdateRow } from '../sync/local-db';
import { BackupError, readBackup, readBackupHeader, writeBackup, type BackupAccount, type BackupDoc, type BackupHeader, type Limits, type WriteOptions } from './format';

export type BackupSummary = { documents: number; patients: number; queued: number; bytes: number };

/** The document rows of this device, grouped by document, with the cursor: read in one transaction. */
async function storedRows(store: LocalStore) {
  const { db } = store;
  // Documents an older app version kept in y-indexeddb move into the rows when first opened.
  for (const d of await db.docs.filter((d) => d.legacy === 1).toArray()) {
    await store.openDoc(d.docId);
    await store.closeDoc(d.docId);
  }
  return db.transaction('r', [db.docs, db.updates, db.state], async () => {
    const docs = await db.docs.toArray();
    const rows = await db.updates.toArray();
    const cursor = (await db.state.get('cursor'))?.value as Cursor | undefined;
    const byDoc = new Map<string, UpdateRow[]>();
    for (const r of rows) byDoc.set(r.docId, [...(byDoc.get(r.docId) ?? []), r]);
    return { docs: new Map(docs.map((d) => [d.docId, d])), byDoc, cursor };
  });
}

const rowUpdate = (r: UpdateRow) => (r.z ? inflate(r.data) : r.data);

/** Writes the backup file of everything `store` holds for `account`. */
export async function createBackup(
  store: LocalStore,
  account: BackupAccount,
  passphrase: string,
  options: WriteOptions = {}
): Promise<{ file: Uint8Array; summary: BackupSummary }> {
  const { docs, byDoc, cursor } = await storedRows(store);
  const out: BackupDoc[] = [];
  let queued = 0;
  for (const [docId, rows] of byDoc) {
    if (!parseDocId(docId)) continue;
    const acked = await Promise.all(rows.filter((r) => r.q === 0).map(rowUpdate));
    const pending = rows.filter((r) => r.q === 1).sort((a, b) => a.seq! - b.seq!);
    const state = acked.length === 1 ? acked[0]! : Y.mergeUpdatesV2(acked.length ? acked : [Y.encodeStateAsUpdateV2(new Y.Doc())]);
    const meta = docs.get(docId);
    out.push({ docId, meta: meta?.meta ?? '', known: meta ? meta.known : 1, state, queued: pending.map((r) => ({ update: r.data, at: r.at })) });
    queued += pending.length;
  }
  const file = await writeBackup({ docs: out, cursor }, account, passphrase, options);
  const patients = out.filter((d) => parseDocId(d.docId)?.kind === 'patient').length;
  return { file, summary: { documents: out.length, patients, queued, bytes: file.length } };
}

export type RestoreSummary = {
  /** Documents in the file. */
  documents: number;
  patients: number;
  /** Documents this device lacked or held an older state of: they now hold the file's too. */
  changed: number;
  /** Queued changes from the file still waiting for the server, queued here again. */
  queued: number;
  createdAt: string;
};

/** A snapshot's identity: what a document holds (state vector and deletions), and whether it waits on missing parts. */
function holds(doc: Y.Doc): Uint8Array {
  const pending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null ? 1 : 0;
  return Uint8Array.from([pending, ...Y.encodeSnapshotV2(Y.snapshot(doc))]);
}
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Restores a backup file into `store` for `account`, merging with what the device holds. Nothing changes unless
 * the whole file reads, belongs to this account and is stored (one transaction).
 */
export async function restoreBackup(
  store: LocalStore,
  account: BackupAccount,
  file: Uint8Array,
  passphrase: string,
  limits?: Limits,
  now: () => number = Date.now
): Promise<{ summary: RestoreSummary } | { error: BackupError }> {
  // The account is in the clear header: another account's file is refused before the passphrase is tried.
  const clear = readBackupHeader(file, limits);
  if ('error' in clear) return clear;
  if (!sameAccount(clear.header, account)) return { error: BackupError.wrongAccount };
  const opened = await readBackup(file, passphrase, limits);
  if ('error' in opened) return opened;
  const { header, payload } = opened;
  const { byDoc } = await storedRows(store);
  const at = now();
  const plans: RestoredDoc[] = [];
  let queued = 0;
  for (const d of payload.docs) {
    const kind = parseDocId(d.docId)!.kind;
    const local = byDoc.get(d.docId) ?? [];
    const doc = new Y.Doc({ gc: false });
    const add: UpdateRow[] = [];
    try {
      for (const u of await Promise.all(local.map(rowUpdate))) Y.applyUpdateV2(doc, u);
      // Only what this device lacks is added: an older file brings nothing new to a newer device.
      let before = holds(doc);
      Y.applyUpdateV2(doc, d.state);
      let after = holds(doc);
      if (!sameBytes(before, after)) add.push({ docId: d.docId, data: await deflate(d.state), q: 0, z: 1, at });
      for (const q of d.queued) {
        before = after;
        Y.applyUpdateV2(doc, q.update);
        after = holds(doc);
        if (!sameBytes(before, after)) add.push({ docId: d.docId, data: q.update, q: 1, at: q.at });
      }
    } catch {
      doc.destroy();
      return { error: BackupError.damaged };
    }
    if (add.length) {
      plans.push({ docId: d.docId, kind, meta: d.meta, known: d.known, add, index: store.indexRow(d.docId, doc), existed: local.length > 0 });
      queued += add.filter((r) => r.q === 1).length;
    }
    doc.destroy();
  }
  await store.restoreDocs(plans, payload.cursor);
  return {
    summary: {
      documents: payload.docs.length,
      patients: payload.docs.filter((d) => parseDocId(d.docId)?.kind === 'patient').length,
      changed: plans.length,
      queued,
      createdAt: header.createdAt
    }
  };
}

/**
 * A backup is restored only into the account that made it: its acknowledged rows are what the server sent that
 * account, and its queued changes were made by it (another account's device gets its data from the server).
 */
function sameAccount(header: BackupHeader, account: BackupAccount): boolean {
  return header.account.userId === account.userId && header.account.unitId === account.unitId;
}
