// Records on the device as rune state: lists read from the Dexie index, and live documents that a screen
// opens, edits field by field (each change is stored at once: a draft survives a reload or a crash) and closes.
import type * as Y from 'yjs';
import type { DocMeta } from '@telehealth/domain';
import { sync } from '../sync/sync-state.svelte';
import type { RecordRow } from '../sync/local-db';
import { listRows, type ListedKind, type RowOf } from './rows';

/**
 * The indexed records of one kind (appointments, requests, reviews), typed by their schema (rows.ts): read once,
 * then only those that change.
 */
export class RecordList<K extends ListedKind> {
  rows = $state.raw<RowOf<K>[]>([]);
  loading = $state(true);
  #feed = sync.feeds.create();
  #loadedFor: unknown;

  constructor(private readonly kind: K) {}

  async refresh() {
    const engine = sync.engine;
    if (!engine) return;
    const changed = this.#feed.take().filter((id) => id.startsWith(`${this.kind}:`));
    if (this.#loadedFor !== engine) {
      this.#loadedFor = engine;
      this.rows = listRows(this.kind, await engine.db.records.where('kind').equals(this.kind).toArray());
    } else if (changed.length) {
      // Lists sort themselves: changed rows may move to the end.
      const fresh = listRows(this.kind, (await engine.db.records.bulkGet(changed)).filter((r): r is RecordRow => r !== undefined));
      this.rows = [...this.rows.filter((r) => !changed.includes(r.docId)), ...fresh];
    }
    this.loading = false;
  }
}

/** One document open for a screen: `version` changes on every update, local or remote. */
export class LiveDoc {
  doc = $state.raw<Y.Doc | undefined>(undefined);
  version = $state(0);
  error = $state<string | undefined>(undefined);
  #docId: string | undefined;
  #bump = () => this.version++;
  /** The id of the open document (read with `doc`, which is rune state). */
  get docId(): string | undefined {
    return this.#docId;
  }
  /** The document was rebuilt from the server's state (after a refusal): take the new copy. */
  #onReplaced = (docId: string) => {
    if (docId === this.#docId) void this.#takeNewCopy(docId);
  };

  async #takeNewCopy(docId: string) {
    const engine = sync.engine;
    if (!engine) return;
    // Same open entry, new Y.Doc: one open and one close leave the reference count as it was.
    const doc = await engine.openDoc(docId);
    await engine.closeDoc(docId);
    if (this.#docId !== docId) return;
    this.doc?.off('update', this.#bump);
    doc.on('update', this.#bump);
    this.doc = doc;
    this.version++;
  }

  /** Opens `docId` (creating it with `meta`); returns the document, or undefined without an engine. */
  async open(docId: string, meta?: DocMeta): Promise<Y.Doc | undefined> {
    const engine = sync.engine;
    if (!engine) return undefined;
    if (this.#docId === docId && this.doc) return this.doc;
    await this.close();
    this.#docId = docId;
    const doc = await engine.openDoc(docId, meta);
    // The audit trail: a chart of another unit opened here (its own unit is in the chart's record).
    if (docId.startsWith('patient:')) sync.recordOpening(docId, doc.getMap('patient').get('unitId'));
    doc.on('update', this.#bump);
    if (!sync.replacedListeners.includes(this.#onReplaced)) sync.replacedListeners.push(this.#onReplaced);
    this.doc = doc;
    this.version++;
    return doc;
  }

  async close() {
    const engine = sync.engine;
    const doc = this.doc;
    const id = this.#docId;
    this.doc = undefined;
    this.#docId = undefined;
    if (doc) doc.off('update', this.#bump);
    const at = sync.replacedListeners.indexOf(this.#onReplaced);
    if (at >= 0) sync.replacedListeners.splice(at, 1);
    if (engine && id) await engine.closeDoc(id);
  }
}

/** Whether a document exists on this device (received or created here). */
export async function hasDoc(docId: string): Promise<boolean> {
  return Boolean(await sync.engine?.db.docs.get(docId));
}


/**
 * Whether a document still has changes the server has not acknowledged (queued on this device): re-checked on every
 * change of the sync status (an acknowledgement empties the queue) and of the documents. Create it while a
 * component initialises.
 */
export class PendingDoc {
  pending = $state(true);

  constructor(docIdOf: () => string | undefined) {
    $effect(() => {
      void sync.queued;
      void sync.pending;
      void sync.changes;
      const engine = sync.engine;
      const id = docIdOf();
      if (!engine || !id) return;
      let current = true;
      void engine.hasPending(id).then((pending) => {
        if (current) this.pending = pending;
      });
      return () => {
        current = false;
      };
    });
  }
}
