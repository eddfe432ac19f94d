// A device store held in memory: for tests, the benchmark, and as the reference behaviour of a DeviceStore.
import * as Y from 'yjs';
import { limits, type ChunkEntry, type Cursor } from '@telehealth/protocol';
import type { DeviceStore, OutboxEntry } from './device-store';
import { ownChanges } from './own-changes';

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
  /** Each document's last acknowledged log seq, and the server log's identity (`serverLog`). */
  private readonly ackedSeq = new Map<string, number>();
  private logId = '';

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

  async acknowledged(docId: string, upToLocalId: number, seq: number) {
    this.known.add(docId);
    this.ackedSeq.set(docId, Math.max(seq, this.ackedSeq.get(docId) ?? 0));
    this.entries = this.entries.filter((e) => e.docId !== docId || e.localId > upToLocalId);
  }

  async refused(docId: string, upToLocalId: number, code: string) {
    const refused = this.entries.filter((e) => e.docId === docId && e.localId <= upToLocalId);
    this.refusedEntries.push(...refused.map((e) => ({ ...e, code })));
    this.entries = this.entries.filter((e) => !refused.includes(e));
  }

  async serverLog(log: { id: string; restoredSeq: number }) {
    const before = this.logId;
    this.logId = log.id;
    if (!before || before === log.id) return;
    for (const [docId, seq] of this.ackedSeq) {
      if (seq <= log.restoredSeq) continue;
      this.known.delete(docId);
      const meta = this.meta.get(docId) ?? '';
      for (const update of ownChanges(this.doc(docId), [this.clientId], limits.maxUpdateBytes)) this.entries.push({ localId: this.nextLocalId++, docId, meta, update });
    }
  }

  async applyDocUpdate(docId: string, update: Uint8Array) {
    Y.applyUpdateV2(this.doc(docId), update, remoteOrigin);
  }
}
