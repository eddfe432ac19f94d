// The device store on IndexedDB: one Dexie database per account holds every document's updates, the outbox
// (the updates not yet acknowledged), the cursor and the indexes. A change is stored, queued and indexed in one
// transaction, so the device can never hold a change it will not send, or send one it does not hold.
// Implements the sync client's DeviceStore; the app opens documents through it.
import * as Y from 'yjs';
import * as idb from 'lib0/indexeddb';
import { chartForms, docLayouts, foldVietnamese, mainRecord, parseDocId, readFields, readRecord, reapplyLocal, upgradeRecord, type DocMeta } from '@telehealth/domain';
import { limits, type ChunkEntry, type Cursor } from '@telehealth/protocol';
import { ownChanges, type DeviceStore, type OutboxEntry } from '@telehealth/sync-client';
import { deflate, inflate } from './compression';
import { legacyDocDbName, type LocalDb, type PatientRow, type RecordRow, type UpdateRow } from './local-db';

/** Transactions with this origin came from the server: they are not local changes. */
export const remoteOrigin = Symbol('remote');
/** Transactions applying what is already stored (loading, or another tab's change): not local changes either. */
export const storedOrigin = Symbol('stored');

/** A document's rows are merged into one when it has more than this many acknowledged rows. */
export const COMPACT_AFTER = 64;

/**
 * Where a write can be cut short, for the fault-injection test: a hook called there may throw (the transaction
 * it is in is rolled back, as when the browser is killed before IndexedDB commits).
 */
export type FaultPoint =
  | 'local:before-write'
  | 'local:stored'
  | 'local:indexed'
  | 'local:committed'
  | 'remote:stored'
  | 'remote:committed'
  | 'ack:in-write'
  | 'ack:committed';

type OpenDoc = {
  doc: Y.Doc;
  refs: number;
  /** This document's writes, one after the other (a write never lands after a later one failed). */
  writes: Promise<void>;
  /** Rows stored for the document since it was last compacted (an estimate, to decide when to compact). */
  rows: number;
};

export type IndexRow = { table: 'patients'; row: PatientRow } | { table: 'records'; row: RecordRow } | undefined;

/** A document's rows restored from a backup file (app/lib/backup), with its index read from the merged state. */
export type RestoredDoc = { docId: string; kind: string; meta: string; known: 0 | 1; add: UpdateRow[]; index: IndexRow; existed: boolean };

export type StoreEvents = {
  /** Documents changed (here, by the server or by another tab). */
  changed(docIds: string[]): void;
  /** A local change was added to the outbox. */
  outboxChanged(): void;
  /** The server refused changes to this document (with the code it gave). */
  refused?(docId: string, code: string): void;
  /** The document was rebuilt from storage or from the server's state: screens holding it open it again. */
  replaced?(docId: string): void;
  /** A local change could not be stored (the storage refused the write): it was undone on the screen. */
  notStored?(docId: string, error: unknown): void;
};

export class LocalStore implements DeviceStore {
  private readonly open = new Map<string, Promise<OpenDoc>>();
  private readonly serverStates = new Map<string, (update: Uint8Array | undefined) => void>();
  /** For the fault-injection test only. */
  fault: ((point: FaultPoint) => void) | undefined;
  /** Every Yjs client id this device's tabs have written with (device.ts, clientIdPool): its own changes. */
  ownClientIds: () => number[] = () => [this.clientId];

  constructor(
    private readonly namespace: string,
    private readonly clientId: number,
    readonly db: LocalDb,
    private readonly events: StoreEvents,
    private readonly now: () => number = Date.now
  ) {}

  /** Opens a document for reading and editing; `meta` when creating it. Close it with closeDoc(). */
  async openDoc(docId: string, meta?: DocMeta): Promise<Y.Doc> {
    if (meta && !(await this.db.docs.get(docId))) {
      await this.db.docs.put({ docId, kind: meta.kind, meta: JSON.stringify(meta), known: 0 });
    }
    let opening = this.open.get(docId);
    if (!opening) {
      opening = this.load(docId);
      this.open.set(docId, opening);
      opening.catch(() => this.open.delete(docId));
    }
    const entry = await opening;
    entry.refs++;
    return entry.doc;
  }

  private async load(docId: string): Promise<OpenDoc> {
    const { doc, rows } = await this.readStored(docId);
    const entry: OpenDoc = { doc, refs: 0, writes: Promise.resolve(), rows: rows.length };
    this.recordLocalChanges(docId, entry, doc);
    if (rows.filter((r) => r.q === 0).length > COMPACT_AFTER) this.queueCompaction(docId, entry);
    return entry;
  }

  /** A document as stored here: its rows applied to a new Y.Doc (moving it first from y-indexeddb if needed). */
  private async readStored(docId: string, extra: Uint8Array[] = []): Promise<{ doc: Y.Doc; rows: UpdateRow[]; updates: Uint8Array[] }> {
    await this.moveLegacy(docId);
    const rows = await this.db.updates.where('docId').equals(docId).toArray();
    const updates = await Promise.all(rows.map((r) => (r.z ? inflate(r.data) : r.data)));
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const u of updates) Y.applyUpdateV2(doc, u, storedOrigin);
      for (const u of extra) Y.applyUpdateV2(doc, u, remoteOrigin);
    }, storedOrigin);
    return { doc, rows, updates };
  }

  /** From now on, edits made here to `doc` are stored and queued for the server. */
  private recordLocalChanges(docId: string, entry: OpenDoc, doc: Y.Doc) {
    // Set only after loading: stored updates written with this id are then not taken for another writer's.
    doc.clientID = this.clientId;
    doc.on('updateV2', (update: Uint8Array, origin: unknown) => {
      if (!LocalStore.isLocal(origin)) return;
      // The index is read now, from the state this change produced; the write waits for the earlier ones.
      const index = this.indexRow(docId, doc);
      entry.writes = entry.writes.then(() => this.storeLocal(docId, entry, doc, update, index));
    });
  }

  /** Stores a local change, queues it and indexes the document: one transaction. */
  private async storeLocal(docId: string, entry: OpenDoc, doc: Y.Doc, update: Uint8Array, index: IndexRow) {
    // The document was rebuilt or reloaded since (after a refusal or a failed write): this change is gone.
    if (entry.doc !== doc) return;
    let committed = false;
    try {
      this.fault?.('local:before-write');
      await this.db.transaction('rw', [this.db.updates, this.db.records, this.db.patients], async () => {
        await this.db.updates.add({ docId, data: update, q: 1, at: this.now() });
        this.fault?.('local:stored');
        await this.putIndex(index);
        this.fault?.('local:indexed');
      });
      committed = true;
      entry.rows++;
      this.fault?.('local:committed');
    } catch (error) {
      if (committed) {
        // Stored and queued: the outbox is read again at the next connection.
        console.error(`[store] after storing a change to ${docId}`, error);
        return;
      }
      // Nothing of it was stored (the transaction is all or nothing), but the open copy has it, and later edits
      // would build on it: the copy is read again from storage, and the screens with it.
      console.error(`[store] a change to ${docId} was not stored`, error);
      if (entry.doc === doc) await this.reload(docId).catch((e: unknown) => console.error(`[store] ${docId} could not be read again`, e));
      this.events.notStored?.(docId, error);
      this.events.replaced?.(docId);
      return;
    }
    this.events.outboxChanged();
    this.events.changed([docId]);
    if (entry.rows > 2 * COMPACT_AFTER) this.queueCompaction(docId, entry);
  }

  /** Merges the document's acknowledged rows into one deflated row, after the writes already queued. */
  private queueCompaction(docId: string, entry: OpenDoc) {
    entry.rows = 0;
    entry.writes = entry.writes.then(() => this.compact(docId)).catch((e: unknown) => console.error(`[store] compacting ${docId}`, e));
  }

  private async compact(docId: string) {
    const rows = (await this.db.updates.where('docId').equals(docId).toArray()).filter((r) => r.q === 0);
    if (rows.length < 2) return;
    const merged = Y.mergeUpdatesV2(await Promise.all(rows.map((r) => (r.z ? inflate(r.data) : r.data))));
    const data = await deflate(merged);
    await this.db.transaction('rw', this.db.updates, async () => {
      const seqs = rows.map((r) => r.seq!);
      // Another tab compacted them meanwhile: leave its result.
      if ((await this.db.updates.bulkGet(seqs)).some((r) => !r)) return;
      await this.db.updates.bulkDelete(seqs);
      await this.db.updates.add({ docId, data, q: 0, z: 1, at: this.now() });
    });
  }

  /** Waits for the server's answer to a request for a document's state (see SyncEngine.rebase). */
  awaitServerState(docId: string, timeoutMs: number): Promise<Uint8Array | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.serverStates.delete(docId);
        resolve(undefined);
      }, timeoutMs);
      this.serverStates.set(docId, (update) => {
        clearTimeout(timer);
        this.serverStates.delete(docId);
        resolve(update);
      });
    });
  }

  /**
   * Rebuilds a document from the server's state, after the server refused changes to it (later local changes
   * build on the refused ones and would be refused too): the device's copy becomes the server's, then — unless
   * the account may not make such changes at all — what was typed here that is still valid is written again as
   * new changes. The refused changes stay in the refused table.
   */
  async rebase(docId: string, serverState: Uint8Array, keepLocal: boolean) {
    const kind = parseDocId(docId)?.kind;
    if (!kind) return;
    const local = await this.openDoc(docId);
    const entry = await this.open.get(docId)!;
    await entry.writes;
    const fresh = new Y.Doc();
    Y.applyUpdateV2(fresh, serverState, remoteOrigin);
    const index = this.indexRow(docId, fresh);
    // One transaction: the document holds the server's state only, and nothing queued for it is still good
    // (it builds on the refused change).
    await this.db.transaction('rw', [this.db.updates, this.db.records, this.db.patients], async () => {
      await this.db.updates.where('docId').equals(docId).delete();
      await this.db.updates.add({ docId, data: serverState, q: 0, at: this.now() });
      await this.putIndex(index);
    });
    entry.doc = fresh;
    entry.rows = 1;
    this.recordLocalChanges(docId, entry, fresh);
    if (keepLocal) reapplyLocal(local, fresh, kind);
    local.destroy();
    await entry.writes;
    this.events.replaced?.(docId);
    this.events.changed([docId]);
    await this.closeDoc(docId);
  }

  /** Reads an open document again from storage (another tab rebuilt it, or a write failed); screens take the new copy. */
  async reload(docId: string) {
    const opening = this.open.get(docId);
    if (!opening) return;
    const entry = await opening;
    const old = entry.doc;
    const { doc, rows } = await this.readStored(docId);
    entry.doc = doc;
    entry.rows = rows.length;
    this.recordLocalChanges(docId, entry, doc);
    old.destroy();
  }

  /** True for transactions made here by the user (not from the server, storage or another tab). */
  static isLocal(origin: unknown): boolean {
    return origin !== remoteOrigin && origin !== storedOrigin;
  }

  async closeDoc(docId: string) {
    const opening = this.open.get(docId);
    if (!opening) return;
    const entry = await opening;
    if (--entry.refs > 0) return;
    this.open.delete(docId);
    await entry.writes;
    entry.doc.destroy();
  }

  /** Applies a change that another tab stored, to this tab's open copy. */
  async applyFromOtherTab(docId: string, update: Uint8Array) {
    const opening = this.open.get(docId);
    if (!opening) return;
    const { doc } = await opening;
    Y.applyUpdate(doc, update, storedOrigin);
  }

  async cursor(): Promise<Cursor> {
    const row = await this.db.state.get('cursor');
    return (row?.value as Cursor | undefined) ?? { e: 0, s: 0 };
  }

  async applyChunk(entries: ChunkEntry[], cursor: Cursor) {
    const byDoc = new Map<string, Uint8Array[]>();
    for (const e of entries) byDoc.set(e.docId, [...(byDoc.get(e.docId) ?? []), e.update]);
    await this.storeRemote(byDoc, cursor);
    if (byDoc.size) this.events.changed([...byDoc.keys()]);
  }

  /** The server refused to send this document's state (e.g. access ended): a rebuild waiting for it stops. */
  async docRefused(docId: string) {
    const waiting = this.serverStates.get(docId);
    this.serverStates.delete(docId);
    waiting?.(undefined);
  }

  async applyDocUpdate(docId: string, update: Uint8Array) {
    await this.storeRemote(new Map([[docId, [update]]]));
    this.events.changed([docId]);
    this.serverStates.get(docId)?.(update);
  }

  /**
   * Stores updates from the server — and the cursor after a chunk — in one transaction with the documents'
   * indexes: the cursor never passes an update that is not stored. Open documents get them at once.
   */
  private async storeRemote(byDoc: Map<string, Uint8Array[]>, cursor?: Cursor) {
    type Plan = { docId: string; add: UpdateRow[]; remove: number[]; index: IndexRow; newDoc: boolean; entry?: OpenDoc };
    const plans: Plan[] = [];
    const at = this.now();
    for (const [docId, updates] of byDoc) {
      const rows = updates.map((data): UpdateRow => ({ docId, data, q: 0, at }));
      const newDoc = !(await this.db.docs.get(docId));
      const opening = this.open.get(docId);
      if (opening) {
        const entry = await opening;
        const { doc } = entry;
        doc.transact(() => {
          for (const u of updates) Y.applyUpdateV2(doc, u, remoteOrigin);
        }, remoteOrigin);
        plans.push({ docId, add: rows, remove: [], index: this.indexRow(docId, doc), newDoc, entry });
        continue;
      }
      const stored = await this.readStored(docId, updates);
      const index = this.indexRow(docId, stored.doc);
      stored.doc.destroy();
      const acked = stored.rows.flatMap((r, i) => (r.q === 0 ? [{ row: r, update: stored.updates[i]! }] : []));
      if (acked.length + rows.length > COMPACT_AFTER) {
        // A document not open here that keeps receiving: its acknowledged rows and these become one.
        const merged = await deflate(Y.mergeUpdatesV2([...acked.map((a) => a.update), ...updates]));
        plans.push({ docId, add: [{ docId, data: merged, q: 0, z: 1, at }], remove: acked.map((a) => a.row.seq!), index, newDoc });
      } else {
        plans.push({ docId, add: rows, remove: [], index, newDoc });
      }
    }
    await this.db.transaction('rw', [this.db.updates, this.db.records, this.db.patients, this.db.docs, this.db.state], async () => {
      for (const plan of plans) {
        if (plan.remove.length) await this.db.updates.bulkDelete(plan.remove);
        await this.db.updates.bulkAdd(plan.add);
        await this.putIndex(plan.index);
        if (plan.newDoc) await this.db.docs.put({ docId: plan.docId, kind: parseDocId(plan.docId)?.kind ?? 'unknown', meta: '', known: 1 });
      }
      this.fault?.('remote:stored');
      if (cursor) await this.db.state.put({ key: 'cursor', value: cursor });
    });
    this.fault?.('remote:committed');
    for (const plan of plans) {
      if (!plan.entry) continue;
      plan.entry.rows += plan.add.length;
      if (plan.entry.rows > 2 * COMPACT_AFTER) this.queueCompaction(plan.docId, plan.entry);
    }
  }

  /**
   * A document that versions before 3 kept in its own y-indexeddb database: its state becomes one row here (its
   * unsent changes are already queued rows, moved by the database upgrade), then that database is deleted.
   */
  private async moveLegacy(docId: string) {
    if (!(await this.db.docs.get(docId))?.legacy) return;
    const name = legacyDocDbName(this.namespace, docId);
    const db = await idb.openDB(name, (d) => idb.createStores(d, [['updates', { autoIncrement: true }], ['custom']]));
    let stored: Uint8Array[];
    try {
      const [read] = idb.transact(db, ['updates'], 'readonly');
      stored = (await idb.getAll(read!)) as Uint8Array[];
    } finally {
      db.close();
    }
    const data = stored.length ? Y.convertUpdateFormatV1ToV2(Y.mergeUpdates(stored)) : undefined;
    await this.db.transaction('rw', [this.db.updates, this.db.docs], async () => {
      if (!(await this.db.docs.get(docId))?.legacy) return;
      if (data) await this.db.updates.add({ docId, data, q: 0, at: this.now() });
      await this.db.docs.update(docId, { legacy: 0 });
    });
    await idb.deleteDB(name);
  }

  /** The list or search index row of a document, read from its state. */
  indexRow(docId: string, doc: Y.Doc): IndexRow {
    const parsed = parseDocId(docId);
    if (!parsed) return undefined;
    const updatedAt = this.now();
    if (parsed.kind !== 'patient') {
      // The main record with its co-edited texts (the minutes' free-text fields are Y.Text roots beside its map).
      const fields = upgradeRecord(parsed.kind, readRecord(doc, parsed.kind));
      // The kind's append-only log, if it has one (an appointment's events, a call's rungs), is indexed beside its fields.
      const log = Object.entries(docLayouts[parsed.kind].roots).find(([, root]) => root.type === 'log')?.[0];
      const events = log && doc.share.has(log) ? doc.getArray(log).toArray() : undefined;
      const patientId = typeof fields.patientId === 'string' ? fields.patientId : '';
      return { table: 'records', row: { docId, kind: parsed.kind, id: parsed.id, patientId, fields, events, updatedAt } };
    }
    const f = upgradeRecord('patient', readFields(mainRecord(doc, 'patient')));
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      table: 'patients',
      row: {
        id: parsed.id,
        fullName: str(f.fullName),
        nameKey: foldVietnamese(str(f.fullName)),
        dateOfBirth: str(f.dateOfBirth),
        gender: str(f.gender),
        personalId: str(f.personalId),
        insuranceNumber: str(f.insuranceNumber),
        phone: str(f.phone),
        communeCode: str(f.communeCode),
        report: {
          unitId: str(f.unitId),
          ethnicityCode: str(f.ethnicityCode),
          provinceCode: str(f.provinceCode),
          oldDistrictCode: str(f.oldDistrictCode),
          forms: [...chartForms(doc).values()].map((form) => str(upgradeRecord('form', readFields(form)).completedAt))
        },
        updatedAt
      }
    };
  }

  /**
   * Stores documents restored from a backup file: their new rows (acknowledged state and still-queued changes),
   * indexes and metadata in one transaction, and the backup's cursor if this device has none (a wiped device then
   * catches up from where the backup stopped). Open copies get the new rows at once; other tabs reopen theirs.
   */
  async restoreDocs(docs: RestoredDoc[], cursor: Cursor | undefined) {
    await this.db.transaction('rw', [this.db.updates, this.db.records, this.db.patients, this.db.docs, this.db.state], async () => {
      const current = await this.db.docs.bulkGet(docs.map((d) => d.docId));
      await this.db.docs.bulkPut(
        docs.map((d, i) => {
          const had = current[i];
          if (!had) return { docId: d.docId, kind: d.kind, meta: d.meta, known: d.known };
          return { ...had, meta: had.meta || d.meta, known: had.known || d.known ? 1 : 0 };
        })
      );
      // Queued changes go out in the order they were made, across documents (a request after its patient's chart).
      const rows = docs.flatMap((d) => d.add);
      await this.db.updates.bulkAdd([...rows.filter((r) => r.q === 0), ...rows.filter((r) => r.q === 1).sort((a, b) => a.at - b.at)]);
      await this.db.patients.bulkPut(docs.flatMap((d) => (d.index?.table === 'patients' ? [d.index.row] : [])));
      await this.db.records.bulkPut(docs.flatMap((d) => (d.index?.table === 'records' ? [d.index.row] : [])));
      if (cursor && !(await this.db.state.get('cursor'))) await this.db.state.put({ key: 'cursor', value: cursor });
    });
    for (const d of docs) {
      const opening = this.open.get(d.docId);
      if (opening) {
        const { doc } = await opening;
        const updates = await Promise.all(d.add.map((r) => (r.z ? inflate(r.data) : r.data)));
        doc.transact(() => {
          for (const u of updates) Y.applyUpdateV2(doc, u, storedOrigin);
        }, storedOrigin);
      }
      if (d.existed) this.events.replaced?.(d.docId);
    }
    if (docs.some((d) => d.add.some((r) => r.q === 1))) this.events.outboxChanged();
    if (docs.length) this.events.changed(docs.map((d) => d.docId));
  }

  /** Inside a transaction over the index tables. */
  private async putIndex(index: IndexRow) {
    if (index?.table === 'patients') await this.db.patients.put(index.row);
    else if (index?.table === 'records') await this.db.records.put(index.row);
  }

  /** The queued local changes (rows with q = 1), oldest first; a document's metadata until the server knows it. */
  async outbox(): Promise<OutboxEntry[]> {
    const rows = await this.db.updates.where('q').equals(1).toArray();
    rows.sort((a, b) => a.seq! - b.seq!);
    const docs = new Map((await this.db.docs.bulkGet([...new Set(rows.map((r) => r.docId))])).flatMap((d) => (d ? [[d.docId, d]] : [])));
    return rows.map((r) => {
      const doc = docs.get(r.docId);
      return { localId: r.seq!, docId: r.docId, meta: doc && !doc.known ? doc.meta : '', update: r.data };
    });
  }

  /** The documents with queued changes, one key per change (the sync bar counts documents). */
  async queuedDocIds(): Promise<string[]> {
    return (await this.db.updates.where('q').equals(1).toArray()).map((r) => r.docId);
  }

  async hasQueued(docId: string): Promise<boolean> {
    return (await this.db.updates.where('docId').equals(docId).filter((r) => r.q === 1).count()) > 0;
  }

  /** Queued rows of `docId` up to `upTo`, inside a transaction over updates. */
  private queuedUpTo(docId: string, upTo: number) {
    return this.db.updates.where('docId').equals(docId).filter((r) => r.q === 1 && r.seq! <= upTo);
  }

  async acknowledged(docId: string, upToLocalId: number, seq: number) {
    await this.db.transaction('rw', this.db.updates, this.db.docs, async () => {
      await this.queuedUpTo(docId, upToLocalId).modify({ q: 0 });
      this.fault?.('ack:in-write');
      await this.db.docs
        .where('docId')
        .equals(docId)
        .modify((d) => {
          d.known = 1;
          d.ackedSeq = Math.max(d.ackedSeq ?? 0, seq);
        });
    });
    this.fault?.('ack:committed');
  }

  /**
   * The server's log identity (DeviceStore.serverLog). When it changed, the server's database was restored from a
   * backup ending at `restoredSeq`: this device's own changes to every document the server acknowledged after that
   * are queued again, with the document's metadata (the server may not know it any more), and the new identity is
   * kept, in one transaction per document and the identity last, so that an interrupted pass is done again.
   */
  async serverLog(log: { id: string; restoredSeq: number }) {
    const kept = (await this.db.state.get('serverLog'))?.value as { id: string } | undefined;
    if (kept && kept.id !== log.id) {
      const lost = await this.db.docs.filter((d) => (d.ackedSeq ?? 0) > log.restoredSeq).toArray();
      for (const d of lost) {
        const { doc } = await this.readStored(d.docId);
        const pieces = ownChanges(doc, this.ownClientIds(), limits.maxUpdateBytes);
        await this.db.transaction('rw', this.db.updates, this.db.docs, async () => {
          await this.db.updates.bulkAdd(pieces.map((data): UpdateRow => ({ docId: d.docId, data, q: 1, at: this.now() })));
          await this.db.docs.update(d.docId, { known: 0, ackedSeq: 0 });
        });
      }
      console.info(`[store] the server's database was restored (up to log entry ${log.restoredSeq}): ${lost.length} documents sent again`);
      if (lost.length) this.events.outboxChanged();
    }
    if (kept?.id !== log.id) await this.db.state.put({ key: 'serverLog', value: { id: log.id } });
  }

  async refused(docId: string, upToLocalId: number, code: string, message: string) {
    let moved = 0;
    await this.db.transaction('rw', this.db.updates, this.db.refused, async () => {
      const rows = await this.queuedUpTo(docId, upToLocalId).toArray();
      const at = this.now();
      await this.db.refused.bulkPut(rows.map((r) => ({ localId: r.seq!, docId, update: r.data, code, message, at })));
      // No longer queued; still part of the document here until it is rebuilt from the server's state.
      await this.db.updates.bulkUpdate(rows.map((r) => ({ key: r.seq!, changes: { q: 0 as const } })));
      moved = rows.length;
    });
    // Only for changes still queued here: a refusal of what a rebase already dropped starts nothing new.
    if (moved) this.events.refused?.(docId, code);
  }
}
