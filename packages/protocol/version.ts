// The protocol's version and where the server listens for it.

/** Bumped on any incompatible change of the wire format; a client and server with different versions refuse to talk. */
export const PROTOCOL_VERSION = 1;

/** The WebSocket endpoint's path on the app's origin. */
export const SYNC_PATH = '/sync';
