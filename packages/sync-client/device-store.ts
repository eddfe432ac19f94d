// What the sync client needs from the device's storage: the cursor, the received log, and the outbox.
import type { ChunkEntry, Cursor } from '@telehealth/protocol';

/** A local change (a Yjs v2 update) waiting for the server's acknowledgement. `meta` (JSON) until the server knows the document. */
export type OutboxEntry = { localId: number; docId: string; meta: string; update: Uint8Array };

export type DeviceStore = {
  cursor(): Promise<Cursor>;
  /** Stores a chunk's updates, then the cursor; must be durable before it resolves (the server is told next). */
  applyChunk(entries: ChunkEntry[], cursor: Cursor): Promise<void>;
  /** Changes not yet acknowledged, oldest first. */
  outbox(): Promise<OutboxEntry[]>;
  /**
   * The server stored every change of `docId` up to `localId`, the last as log entry `seq`: the store keeps the
   * document's last acknowledged seq for `serverLog`.
   */
  acknowledged(docId: string, upToLocalId: number, seq: number): Promise<void>;
  /** The server refused them: keep them aside, visible to the user, never silently dropped. */
  refused(docId: string, upToLocalId: number, code: string, message: string): Promise<void>;
  /** Applies a docSync reply (SyncStep2) to a document. */
  applyDocUpdate(docId: string, update: Uint8Array): Promise<void>;
  /** The server refused a request about a document that was not a change (a docSync): whoever waits stops. */
  docRefused?(docId: string, code: string): Promise<void>;
  /**
   * The server's log identity, from its welcome (protocol revision 2), before the outbox is sent. The first one is
   * kept. Another one means the server's database was restored from a backup that ends at log entry
   * `restoredSeq`: every document whose last acknowledged seq is after it gets this device's own changes queued
   * again (`ownChanges`), with its metadata, so that what the server lost comes back from the devices that wrote it.
   */
  serverLog?(log: { id: string; restoredSeq: number }): Promise<void>;
};
