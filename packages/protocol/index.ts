// @telehealth/protocol: the sync protocol spoken between the app and the sync server.
export { PROTOCOL_VERSION, PROTOCOL_REVISION, SYNC_PATH } from './version';
export { CloseCode, ErrorCode, limits } from './constants';
export {
  MessageType,
  SyncStep,
  startCursor,
  cursorAfter,
  encodeClientMessage,
  encodeServerMessage,
  decodeClientMessage,
  decodeServerMessage,
  chunkEntrySize,
  type Cursor,
  type SyncPayload,
  type ClientMessage,
  type ServerMessage,
  type ChunkEntry,
  type Decoded
} from './messages';
