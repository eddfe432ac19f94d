// The protocol's version and where the server listens for it.

/** Bumped on any incompatible change of the wire format; a client and server with different versions refuse to talk. */
export const PROTOCOL_VERSION = 1;

/**
 * Compatible additions to version 1, announced by the app in its hello (a trailing field) so that the server sends
 * them only to apps that read them. 1: every `error` carries the document id of the message it answers. 2: the
 * `welcome` carries the log's identity and restore point (a server database restored from a backup).
 */
export const PROTOCOL_REVISION = 2;

/** The WebSocket endpoint's path on the app's origin. */
export const SYNC_PATH = '/sync';
