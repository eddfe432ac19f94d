// The sync protocol's messages and their binary encoding (lib0), one WebSocket carrying many documents.
// Document content travels as y-protocols sync messages (SyncStep1, SyncStep2, Update). ARCHITECTURE.md specifies it.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';

export const MessageType = {
  hello: 1,
  welcome: 2,
  update: 3,
  updateAck: 4,
  chunk: 5,
  ack: 6,
  docSync: 7,
  awareness: 8,
  error: 9
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * A position in the server's update log, as seen by one reader: `e` orders by when the reader could first see
 * an update (its sequence number, or the sequence number of the grant that made its document visible), `s` is
 * the update's own sequence number. Everything at or before the cursor has been received and stored.
 */
export type Cursor = { e: number; s: number };
export const startCursor: Cursor = { e: 0, s: 0 };

export function cursorAfter(a: Cursor, b: Cursor): boolean {
  return a.e > b.e || (a.e === b.e && a.s > b.s);
}

export const SyncStep = { step1: messageYjsSyncStep1, step2: messageYjsSyncStep2, update: messageYjsUpdate } as const;
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep];

/** A y-protocols sync message: SyncStep1 carries a state vector, SyncStep2 and Update carry an update. */
export type SyncPayload = { step: SyncStep; data: Uint8Array };

export type ClientMessage =
  /**
   * `schemaVersion`: the record schema version the app writes (packages/domain SCHEMA_VERSION); an app from before it
   * sends none (= 1). `revision`: the compatible additions to this protocol version the app reads (PROTOCOL_REVISION);
   * none = 0. Both are trailing fields: `revision` is written only after a `schemaVersion`.
   */
  | { type: typeof MessageType.hello; version: number; token: string; deviceId: string; cursor: Cursor; schemaVersion?: number; revision?: number }
  /** A local change to store; `meta` (JSON of DocMeta) only the first time a new document is sent. */
  | { type: typeof MessageType.update; localId: number; docId: string; meta: string; sync: SyncPayload }
  /** Everything up to `cursor` is stored on the device. */
  | { type: typeof MessageType.ack; cursor: Cursor }
  /** SyncStep1 for one document: "send me what this state vector lacks". */
  | { type: typeof MessageType.docSync; docId: string; sync: SyncPayload }
  | { type: typeof MessageType.awareness; docId: string; data: Uint8Array };

export type ChunkEntry = { docId: string; update: Uint8Array };

export type ServerMessage =
  /**
   * `log` (trailing fields, sent to apps of revision 2 and later only): the identity of the server's log, renewed
   * when the database is restored from a backup, and the last log position the restored backup holds (0 if it never
   * was restored). A device that knew another identity sends again what it wrote that the server acknowledged after
   * that position (`DeviceStore.serverLog`).
   */
  | { type: typeof MessageType.welcome; version: number; nodeId: string; serverTimeMs: number; log?: { id: string; restoredSeq: number } }
  /** The update with this localId is durably stored as log entry `seq`. */
  | { type: typeof MessageType.updateAck; localId: number; seq: number }
  /** Updates from the log in order; after storing them the device is at `cursor`. `caughtUp`: nothing older is pending. */
  | { type: typeof MessageType.chunk; entries: ChunkEntry[]; cursor: Cursor; caughtUp: boolean }
  | { type: typeof MessageType.docSync; docId: string; sync: SyncPayload }
  | { type: typeof MessageType.awareness; docId: string; data: Uint8Array }
  /**
   * One message was refused: `localId` is the refused update's (0 when it was not an update) and `docId` the document
   * the refused message named, as sent (a trailing field, sent to apps of revision 1 and later only).
   */
  | { type: typeof MessageType.error; code: string; localId: number; message: string; docId?: string };

const writeCursor = (enc: encoding.Encoder, c: Cursor) => {
  encoding.writeVarUint(enc, c.e);
  encoding.writeVarUint(enc, c.s);
};
const readCursor = (dec: decoding.Decoder): Cursor => ({ e: decoding.readVarUint(dec), s: decoding.readVarUint(dec) });

const writeSync = (enc: encoding.Encoder, sync: SyncPayload) => {
  encoding.writeVarUint(enc, sync.step);
  encoding.writeVarUint8Array(enc, sync.data);
};
const readSync = (dec: decoding.Decoder): SyncPayload => {
  const step = decoding.readVarUint(dec);
  if (step !== SyncStep.step1 && step !== SyncStep.step2 && step !== SyncStep.update) throw new Error(`unknown sync step ${step}`);
  return { step, data: decoding.readVarUint8Array(dec) };
};

export function encodeClientMessage(m: ClientMessage): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, m.type);
  switch (m.type) {
    case MessageType.hello:
      encoding.writeVarUint(enc, m.version);
      encoding.writeVarString(enc, m.token);
      encoding.writeVarString(enc, m.deviceId);
      writeCursor(enc, m.cursor);
      if (m.schemaVersion !== undefined || m.revision !== undefined) encoding.writeVarUint(enc, m.schemaVersion ?? 1);
      if (m.revision !== undefined) encoding.writeVarUint(enc, m.revision);
      break;
    case MessageType.update:
      encoding.writeVarUint(enc, m.localId);
      encoding.writeVarString(enc, m.docId);
      encoding.writeVarString(enc, m.meta);
      writeSync(enc, m.sync);
      break;
    case MessageType.ack:
      writeCursor(enc, m.cursor);
      break;
    case MessageType.docSync:
      encoding.writeVarString(enc, m.docId);
      writeSync(enc, m.sync);
      break;
    case MessageType.awareness:
      encoding.writeVarString(enc, m.docId);
      encoding.writeVarUint8Array(enc, m.data);
      break;
  }
  return encoding.toUint8Array(enc);
}

export function encodeServerMessage(m: ServerMessage): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, m.type);
  switch (m.type) {
    case MessageType.welcome:
      encoding.writeVarUint(enc, m.version);
      encoding.writeVarString(enc, m.nodeId);
      encoding.writeFloat64(enc, m.serverTimeMs);
      if (m.log) {
        encoding.writeVarString(enc, m.log.id);
        encoding.writeVarUint(enc, m.log.restoredSeq);
      }
      break;
    case MessageType.updateAck:
      encoding.writeVarUint(enc, m.localId);
      encoding.writeVarUint(enc, m.seq);
      break;
    case MessageType.chunk:
      encoding.writeVarUint(enc, m.entries.length);
      for (const entry of m.entries) {
        encoding.writeVarString(enc, entry.docId);
        encoding.writeVarUint8Array(enc, entry.update);
      }
      writeCursor(enc, m.cursor);
      encoding.writeVarUint(enc, m.caughtUp ? 1 : 0);
      break;
    case MessageType.docSync:
      encoding.writeVarString(enc, m.docId);
      writeSync(enc, m.sync);
      break;
    case MessageType.awareness:
      encoding.writeVarString(enc, m.docId);
      encoding.writeVarUint8Array(enc, m.data);
      break;
    case MessageType.error:
      encoding.writeVarString(enc, m.code);
      encoding.writeVarUint(enc, m.localId);
      encoding.writeVarString(enc, m.message);
      if (m.docId !== undefined) encoding.writeVarString(enc, m.docId);
      break;
  }
  return encoding.toUint8Array(enc);
}

export type Decoded<T> = { ok: true; message: T } | { ok: false; reason: string };

function decodeWith<T>(bytes: Uint8Array, read: (dec: decoding.Decoder, type: number) => T | undefined): Decoded<T> {
  try {
    const dec = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(dec);
    const message = read(dec, type);
    if (message === undefined) return { ok: false, reason: `unknown message type ${type}` };
    if (decoding.hasContent(dec)) return { ok: false, reason: 'trailing bytes after the message' };
    return { ok: true, message };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : 'undecodable' };
  }
}

export function decodeClientMessage(bytes: Uint8Array): Decoded<ClientMessage> {
  return decodeWith<ClientMessage>(bytes, (dec, type) => {
    switch (type) {
      case MessageType.hello: {
        const hello: ClientMessage = {
          type,
          version: decoding.readVarUint(dec),
          token: decoding.readVarString(dec),
          deviceId: decoding.readVarString(dec),
          cursor: readCursor(dec),
          // Added after version 1 shipped, at the end: an older app's hello simply ends before it.
          schemaVersion: decoding.hasContent(dec) ? decoding.readVarUint(dec) : 1
        };
        if (decoding.hasContent(dec)) hello.revision = decoding.readVarUint(dec);
        return hello;
      }
      case MessageType.update:
        return {
          type,
          localId: decoding.readVarUint(dec),
          docId: decoding.readVarString(dec),
          meta: decoding.readVarString(dec),
          sync: readSync(dec)
        };
      case MessageType.ack:
        return { type, cursor: readCursor(dec) };
      case MessageType.docSync:
        return { type, docId: decoding.readVarString(dec), sync: readSync(dec) };
      case MessageType.awareness:
        return { type, docId: decoding.readVarString(dec), data: decoding.readVarUint8Array(dec) };
      default:
        return undefined;
    }
  });
}

export function decodeServerMessage(bytes: Uint8Array): Decoded<ServerMessage> {
  return decodeWith<ServerMessage>(bytes, (dec, type) => {
    switch (type) {
      case MessageType.welcome: {
        const welcome: ServerMessage = { type, version: decoding.readVarUint(dec), nodeId: decoding.readVarString(dec), serverTimeMs: decoding.readFloat64(dec) };
        // Added in revision 2, at the end: an older server ends the message before it.
        if (decoding.hasContent(dec)) welcome.log = { id: decoding.readVarString(dec), restoredSeq: decoding.readVarUint(dec) };
        return welcome;
      }
      case MessageType.updateAck:
        return { type, localId: decoding.readVarUint(dec), seq: decoding.readVarUint(dec) };
      case MessageType.chunk: {
        const count = decoding.readVarUint(dec);
        const entries: ChunkEntry[] = [];
        for (let i = 0; i < count; i++) entries.push({ docId: decoding.readVarString(dec), update: decoding.readVarUint8Array(dec) });
        return { type, entries, cursor: readCursor(dec), caughtUp: decoding.readVarUint(dec) === 1 };
      }
      case MessageType.docSync:
        return { type, docId: decoding.readVarString(dec), sync: readSync(dec) };
      case MessageType.awareness:
        return { type, docId: decoding.readVarString(dec), data: decoding.readVarUint8Array(dec) };
      case MessageType.error: {
        const error: ServerMessage = { type, code: decoding.readVarString(dec), localId: decoding.readVarUint(dec), message: decoding.readVarString(dec) };
        // Added in revision 1, at the end: a server of revision 0 ends the message before it.
        if (decoding.hasContent(dec)) error.docId = decoding.readVarString(dec);
        return error;
      }
      default:
        return undefined;
    }
  });
}

/** Bytes a chunk entry adds to a chunk message (for keeping chunks under maxChunkBytes). */
export function chunkEntrySize(entry: ChunkEntry): number {
  return entry.docId.length * 3 + entry.update.length + 10;
}
