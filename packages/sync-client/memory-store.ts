// A device store held in memory: for tests, the benchmark, and as the reference behaviour of a DeviceStore.
import * as Y from 'yjs';
import type { ChunkEntry, Cursor } from '@telehealth/protocol';
import type { DeviceStore, OutboxEntry } from './device-store';

/** Transactions with this origin came from the server and do not go back into the outbox. */
export const remoteOrigin = Symbol('remote');

export class MemoryDeviceStore implements DeviceStore {
  readonly docs = new Map<string, Y.Doc>();
  readonly refusedEntries: (OutboxEntry & { code: string })[] = [];
  private cursorValue: Cursor = { e: 0, s: 0 };
  private entries: OutboxEntry[] = [];
  private nextLocalId = 1;
  private readonly meta = new Map<string, string>();
  private readonly known = new Set<string>();

  /** `clientId`: this device's stable Yjs client id. */
  constructor(private readonly clientId: number) {}

  doc(docId: string): Y.Doc {
    let doc = this.docs.get(docId);
    if (doc) return doc;
    doc = new Y.Doc();
    doc.clientID = this.clientId;
    doc.on('updateV2', (update: Uint8Array, origin: unknown) => {
      if (origin === remoteOrigin) return;
      this.entries.push({ localId: this.nextLocalId++, docId, meta: this.known.has(docId) ? '' : (this.meta.get(docId) ?? ''), update });
    });
    this.docs.set(docId, doc);
    return doc;
  }

  /** A local edit, as a user makes it; `meta` (the document's metadata) when the document is new. */
  edit(docId: string, meta: object | undefined, change: (doc: Y.Doc) => void) {
    if (meta) this.meta.set(docId, JSON.stringify(meta));
    const doc = this.doc(docId);
    doc.transact(() => change(doc));
  }

  async cursor() {
    return this.cursorValue;
  }

  async applyChunk(entries: ChunkEntry[], cursor: Cursor) {
    for (const e of entries) Y.applyUpdateV2(this.doc(e.docId), e.update, remoteOrigin);
    this.cursorValue = cursor;
  }

  async outbox() {
    return [...this.entries];
  }

  async acknowledged(docId: string, upToLocalId: number) {
    this.known.add(docId);
    this.entries = this.entries.filter((e) => e.docId !== docId || e.localId > upToLocalId);
  }

  async refused(docId: string, upToLocalId: number, code: string) {
    const refused = this.entries.filter((e) => e.docId === docId && e.localId <= upToLocalId);
    this.refusedEntries.push(...refused.map((e) => ({ ...e, code })));
    this.entries = this.entries.filter((e) => !refused.includes(e));
  }

  async applyDocUpdate(docId: string, update: Uint8Array) {
    Y.applyUpdateV2(this.doc(docId), update, remoteOrigin);
  }
}
