// The device store on IndexedDB: each document persisted by y-indexeddb in its own database, the outbox, cursor
// and indexes in Dexie. Implements the sync client's DeviceStore; the app opens documents through it.
import * as Y from 'yjs';
import { IndexeddbPersistence, storeState } from 'y-indexeddb';
import * as idb from 'lib0/indexeddb';
import { foldVietnamese, mainRecord, parseDocId, readFields, reapplyLocal, upgradeRecord, type DocMeta } from '@telehealth/domain';
import type { ChunkEntry, Cursor } from '@telehealth/protocol';
import type { DeviceStore, OutboxEntry } from '@telehealth/sync-client';
import { deflate, inflate } from './compression';
import { docDbName, type LocalDb, type PatientRow } from './local-db';

/** Transactions with this origin came from the server or another tab: they are not local changes. */
export const remoteOrigin = Symbol('remote');

type OpenDoc = { doc: Y.Doc; persistence: IndexeddbPersistence; refs: number };

export type StoreEvents = {
  /** Documents changed (here, by the server or by another tab). */
  changed(docIds: string[]): void;
  /** A local change was added to the outbox. */
  outboxChanged(): void;
  /** The server refused changes to this document (with the code it gave). */
  refused?(docId: string, code: string): void;
  /** The document was rebuilt from the server's state: screens holding it open it again. */
  replaced?(docId: string): void;
};

export class LocalStore implements DeviceStore {
  private readonly open = new Map<string, Promise<OpenDoc>>();
  private readonly serverStates = new Map<string, (update: Uint8Array) => void>();

  constructor(
    private readonly namespace: string,
    private readonly clientId: number,
    readonly db: LocalDb,
    private readonly events: StoreEvents
  ) {}

  /** Opens a document for reading and editing; `meta` when creating it. Close it with closeDoc(). */
  async openDoc(docId: string, meta?: DocMeta): Promise<Y.Doc> {
    if (meta && !(await this.db.docs.get(docId))) {
      await this.db.docs.put({ docId, kind: meta.kind, meta: JSON.stringify(meta), known: 0, opened: 0 });
    }
    let opening = this.open.get(docId);
    if (!opening) {
      opening = this.load(docId);
      this.open.set(docId, opening);
    }
    const entry = await opening;
    entry.refs++;
    return entry.doc;
  }

  private async load(docId: string): Promise<OpenDoc> {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(docDbName(this.namespace, docId), doc);
    await persistence.whenSynced;
    // First opening of a document received earlier: move its snapshot into its y-indexeddb database.
    const snapshot = await this.db.snapshots.get(docId);
    if (snapshot) {
      Y.applyUpdateV2(doc, await inflate(snapshot.data), persistence);
      await storeState(persistence, true);
      await this.db.snapshots.delete(docId);
    }
    await this.db.docs.update(docId, { opened: 1 });
    this.recordLocalChanges(docId, doc);
    return { doc, persistence, refs: 0 };
  }

  /** From now on, edits made here to `doc` are queued for the server. */
  private recordLocalChanges(docId: string, doc: Y.Doc) {
    // Set only after loading: stored updates written with this id are then not taken for another writer's.
    doc.clientID = this.clientId;
    // The protocol carries Yjs v2 updates (smaller once compressed); y-indexeddb keeps storing v1.
    doc.on('updateV2', (update: Uint8Array, origin: unknown) => {
      if (!LocalStore.isLocal(origin)) return;
      void this.recordLocalChange(docId, update, doc);
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
    const fresh = new Y.Doc();
    Y.applyUpdateV2(fresh, serverState, remoteOrigin);
    // Nothing queued for this document is still good: it builds on the refused change.
    await this.db.outbox.where('docId').equals(docId).delete();
    await this.db.snapshots.delete(docId);
    // The document's database now holds the server's state only.
    await entry.persistence.destroy();
    await this.clearDocDb(docId);
    const persistence = new IndexeddbPersistence(docDbName(this.namespace, docId), fresh);
    await persistence.whenSynced;
    await storeState(persistence, true);
    this.recordLocalChanges(docId, fresh);
    entry.doc = fresh;
    entry.persistence = persistence;
    if (keepLocal) reapplyLocal(local, fresh, kind);
    local.destroy();
    await this.reindex(docId, fresh);
    this.events.replaced?.(docId);
    this.events.changed([docId]);
    await this.closeDoc(docId);
  }

  /** Another tab rebuilt this document: this tab's open copy is read again from storage (screens take the new one). */
  async reload(docId: string) {
    const opening = this.open.get(docId);
    if (!opening) return;
    const entry = await opening;
    const old = entry.doc;
    await entry.persistence.destroy();
    const { doc, persistence } = await this.load(docId);
    entry.doc = doc;
    entry.persistence = persistence;
    old.destroy();
  }

  /** A document's y-indexeddb database, opened directly (its stores as y-indexeddb makes them). */
  private openDocDb(docId: string) {
    return idb.openDB(docDbName(this.namespace, docId), (d) => idb.createStores(d, [['updates', { autoIncrement: true }], ['custom']]));
  }

  private async clearDocDb(docId: string) {
    const db = await this.openDocDb(docId);
    try {
      const [updates] = idb.transact(db, ['updates']);
      await idb.rtop(updates!.clear());
    } finally {
      db.close();
    }
  }

  /** True for transactions made here by the user (not from the server, storage or another tab). */
  static isLocal(origin: unknown): boolean {
    return origin !== remoteOrigin && !(origin instanceof IndexeddbPersistence);
  }

  private async recordLocalChange(docId: string, update: Uint8Array, doc: Y.Doc) {
    await this.db.outbox.add({ docId, meta: '', update, at: Date.now() });
    await this.reindex(docId, doc);
    this.events.outboxChanged();
    this.events.changed([docId]);
  }

  async closeDoc(docId: string) {
    const opening = this.open.get(docId);
    if (!opening) return;
    const entry = await opening;
    if (--entry.refs > 0) return;
    this.open.delete(docId);
    await entry.persistence.destroy();
    entry.doc.destroy();
  }

  /** Applies updates that another tab stored, to this tab's open copy (already persisted there). */
  async applyFromOtherTab(docId: string, update: Uint8Array) {
    const opening = this.open.get(docId);
    if (!opening) return;
    const { doc, persistence } = await opening;
    Y.applyUpdate(doc, update, persistence);
  }

  async cursor(): Promise<Cursor> {
    const row = await this.db.state.get('cursor');
    return (row?.value as Cursor | undefined) ?? { e: 0, s: 0 };
  }

  async applyChunk(entries: ChunkEntry[], cursor: Cursor) {
    const byDoc = new Map<string, Uint8Array[]>();
    for (const e of entries) byDoc.set(e.docId, [...(byDoc.get(e.docId) ?? []), e.update]);
    for (const [docId, updates] of byDoc) await this.storeRemote(docId, updates);
    // The cursor moves only once every update of the chunk is stored.
    await this.db.state.put({ key: 'cursor', value: cursor });
    if (byDoc.size) this.events.changed([...byDoc.keys()]);
  }

  async applyDocUpdate(docId: string, update: Uint8Array) {
    await this.storeRemote(docId, [update]);
    this.events.changed([docId]);
    this.serverStates.get(docId)?.(update);
  }

  /** Stores remote updates of one document: into its open copy, its y-indexeddb database, or its snapshot. */
  private async storeRemote(docId: string, updates: Uint8Array[]) {
    const opening = this.open.get(docId);
    if (opening) {
      const { doc } = await opening;
      doc.transact(() => {
        for (const u of updates) Y.applyUpdateV2(doc, u, remoteOrigin);
      }, remoteOrigin);
      await this.reindex(docId, doc);
      return;
    }
    const row = await this.db.docs.get(docId);
    if (row?.opened) await this.appendToDocDb(docId, updates);
    else await this.mergeIntoSnapshot(docId, updates);
    if (!row) {
      const kind = parseDocId(docId)?.kind ?? 'unknown';
      await this.db.docs.put({ docId, kind, meta: '', known: 1, opened: 0 });
    }
  }

  /** A document never opened here: one compressed snapshot row, merged with what arrives. */
  private async mergeIntoSnapshot(docId: string, updates: Uint8Array[]) {
    const previous = await this.db.snapshots.get(docId);
    const merged = Y.mergeUpdatesV2(previous ? [await inflate(previous.data), ...updates] : updates);
    const doc = new Y.Doc();
    Y.applyUpdateV2(doc, merged);
    await this.reindex(docId, doc);
    doc.destroy();
    await this.db.snapshots.put({ docId, data: await deflate(merged) });
  }

  /** A document opened here before (not open now): its y-indexeddb database gets the updates (as v1, its format). */
  private async appendToDocDb(docId: string, updates: Uint8Array[]) {
    const db = await this.openDocDb(docId);
    try {
      const [read] = idb.transact(db, ['updates'], 'readonly');
      const stored = (await idb.getAll(read!)) as Uint8Array[];
      const v1 = updates.map((u) => Y.convertUpdateFormatV2ToV1(u));
      const [write] = idb.transact(db, ['updates']);
      // lib0 types values as ArrayBuffer; y-indexeddb stores Uint8Array updates the same way.
      for (const u of v1) await idb.addAutoKey(write!, u as unknown as ArrayBuffer);
      const doc = new Y.Doc();
      for (const u of [...stored, ...v1]) Y.applyUpdate(doc, u);
      await this.reindex(docId, doc);
      doc.destroy();
    } finally {
      db.close();
    }
  }

  /** Updates the list and search indexes from a document. */
  private async reindex(docId: string, doc: Y.Doc) {
    const parsed = parseDocId(docId);
    if (!parsed) return;
    if (parsed.kind !== 'patient') {
      const fields = upgradeRecord(parsed.kind, readFields(mainRecord(doc, parsed.kind)));
      const events = doc.share.has('events') ? doc.getArray('events').toArray() : undefined;
      const patientId = typeof fields.patientId === 'string' ? fields.patientId : '';
      await this.db.records.put({ docId, kind: parsed.kind, id: parsed.id, patientId, fields, events, updatedAt: Date.now() });
      return;
    }
    const f = upgradeRecord('patient', readFields(mainRecord(doc, 'patient')));
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const row: PatientRow = {
      id: parsed.id,
      fullName: str(f.fullName),
      nameKey: foldVietnamese(str(f.fullName)),
      dateOfBirth: str(f.dateOfBirth),
      gender: str(f.gender),
      personalId: str(f.personalId),
      insuranceNumber: str(f.insuranceNumber),
      phone: str(f.phone),
      communeCode: str(f.communeCode),
      updatedAt: Date.now()
    };
    await this.db.patients.put(row);
  }

  async outbox(): Promise<OutboxEntry[]> {
    const rows = await this.db.outbox.orderBy('localId').toArray();
    const docs = new Map((await this.db.docs.bulkGet([...new Set(rows.map((r) => r.docId))])).flatMap((d) => (d ? [[d.docId, d]] : [])));
    return rows.map((r) => {
      const doc = docs.get(r.docId);
      return { localId: r.localId!, docId: r.docId, meta: doc && !doc.known ? doc.meta : '', update: r.update };
    });
  }

  async acknowledged(docId: string, upToLocalId: number) {
    await this.db.transaction('rw', this.db.outbox, this.db.docs, async () => {
      await this.db.outbox.where('docId').equals(docId).and((r) => r.localId! <= upToLocalId).delete();
      await this.db.docs.update(docId, { known: 1 });
    });
  }

  async refused(docId: string, upToLocalId: number, code: string, message: string) {
    let moved = 0;
    await this.db.transaction('rw', this.db.outbox, this.db.refused, async () => {
      const rows = await this.db.outbox.where('docId').equals(docId).and((r) => r.localId! <= upToLocalId).toArray();
      await this.db.refused.bulkPut(rows.map((r) => ({ localId: r.localId!, docId, update: r.update, code, message, at: Date.now() })));
      await this.db.outbox.bulkDelete(rows.map((r) => r.localId!));
      moved = rows.length;
    });
    // Only for changes still queued here: a refusal of what a rebase already dropped starts nothing new.
    if (moved) this.events.refused?.(docId, code);
  }
}
