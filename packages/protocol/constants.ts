// Close codes, per-message error codes and size limits of the sync protocol, defined once for both ends.

/** Why the server closed the connection. A client reconnects after any of them except versionMismatch, appTooOld, accountDisabled, deviceRevoked and unauthorized (it must log in again first). */
export const CloseCode = {
  /** The server is shutting down or restarting: reconnect with backoff. */
  goingAway: { code: 1001, reason: 'server going away' },
  /** The frame could not be decoded. */
  malformed: { code: 4400, reason: 'malformed message' },
  /** The access token is missing, invalid or expired: refresh it, then reconnect. */
  unauthorized: { code: 4401, reason: 'unauthorized' },
  /** An administrator disabled the account (at once on every open connection, on every node): stop, do not reconnect. */
  accountDisabled: { code: 4403, reason: 'account disabled' },
  /**
   * An administrator revoked this device (lost or stolen): it stops, and the app removes the account's data from it.
   * An app that predates this code treats it as any other close and retries, refused each time.
   */
  deviceRevoked: { code: 4410, reason: 'device revoked' },
  /** No hello within the allowed time after connecting. */
  helloTimeout: { code: 4408, reason: 'no hello in time' },
  /** A frame above maxMessageBytes (the WebSocket layer may also close with 1009). */
  tooLarge: { code: 4413, reason: 'message too large' },
  /** Client and server speak different protocol versions: the app must update. */
  versionMismatch: { code: 4426, reason: 'protocol version mismatch' },
  /** The app writes records in a schema version older than the server accepts: the app must update (it keeps its local changes). */
  appTooOld: { code: 4427, reason: 'app update required' },
  /** Too many messages or bytes per second. */
  rateLimited: { code: 4429, reason: 'rate limited' },
  /** The account already has as many connections open as it may: close another device or tab. */
  tooManyConnections: { code: 4430, reason: 'too many connections' },
  internal: { code: 4500, reason: 'internal error' }
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Why one update was refused; the connection stays open and nothing was stored. */
export const ErrorCode = {
  /** The sender may not write this document. */
  forbidden: 'forbidden',
  /** A document the server does not know, sent without metadata. */
  unknownDoc: 'unknown_doc',
  badDocId: 'bad_doc_id',
  /** Metadata malformed, or not matching the document id or the sender's scope. */
  badMeta: 'bad_meta',
  /** The bytes are not a Yjs update. */
  badUpdate: 'bad_update',
  updateTooLarge: 'update_too_large',
  /** The update announces more structs, delete ranges or clients than one update may hold (update-bounds). */
  updateTooComplex: 'update_too_complex',
  /** The record would grow beyond the size its kind allows. */
  recordTooLarge: 'record_too_large',
  /** A record field changed to a value its schema does not allow (the device validates first; this is the guard). */
  invalidValue: 'invalid_value',
  internal: 'internal'
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const limits = {
  /** Largest frame a client may send (the server's WebSocket maxPayload). */
  maxMessageBytes: 256 * 1024,
  /** Largest Yjs update in one message; an editing transaction is far smaller. */
  maxUpdateBytes: 128 * 1024,
  /** Catch-up chunks stay under this, so that each arrives in under 30 s at 64 kbit/s. */
  maxChunkBytes: 200_000,
  /** The client must say hello within this time. */
  helloTimeoutMs: 10_000
} as const;
