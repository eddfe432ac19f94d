// 1:1 call signalling: the PeerJS server (`peer`) on the app's own origin, at /peerjs, behind our own gate.
//
// The sync server's HTTP server routes WebSocket upgrades by path (system.ts): /peerjs/peerjs comes here. PeerJS's
// WebSocket server is created with `noServer` (two `ws` servers bound to one HTTP server break each other), and a
// connection reaches it only with a valid call ticket in the PeerJS `key` parameter whose peer id is the one asked
// for; the ticket is replaced by PeerJS's own fixed key before PeerJS sees the request. Once connected, a peer's
// signalling messages (offers, answers, candidates) go only to peers of the same call: a ticket for one
// consultation does not reach the peers of another. PeerJS's HTTP routes (random ids, peer discovery) are not
// served at all: peers get their id from their ticket. Nothing here ever talks to the PeerJS cloud.
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import { ExpressPeerServer } from 'peer';
import WebSocket, { WebSocketServer } from 'ws';
import type { Logger } from '../log';
import type { Storage } from '../storage/storage';
import type { CallTickets, TicketClaims } from './tickets';

/** The PeerJS client's `path`; its WebSocket is `${path}/peerjs?key=…&id=…&token=…`. */
export const SIGNALLING_PATH = '/peerjs';
const socketPath = `${SIGNALLING_PATH}/peerjs`;
/** The key PeerJS itself checks (ours is the ticket, checked before): never a secret. */
const peerKey = 'telehealth';

export type Presence = { peerId: string; userId: string; unitId: string; displayName: string };

export const isSignallingUpgrade = (url: string | undefined) => new URL(url ?? '/', 'http://x').pathname === socketPath;

export class CallSignalling {
  #wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  #peers = new Map<WebSocket, Presence & { requestId: string; prefix: string }>();
  #started = false;

  constructor(private deps: { tickets: CallTickets; storage: Storage; log: Logger; now: () => number; prefixOf: (requestId: string) => string }) {}

  /**
   * PeerJS starts when mounted in an express app (one of its own here: no HTTP request is routed to it), and then runs timers for as long as the process lives (it has no
   * stop): it is started at the first call, not with every server. It wants an HTTP server to attach its WebSocket
   * server to; ours is `noServer` and fed by `handleUpgrade`, so the one given is never listened on.
   */
  #start() {
    if (this.#started) return;
    this.#started = true;
    const peer = ExpressPeerServer(createServer(), {
      path: '/',
      key: peerKey,
      allow_discovery: false,
      createWebSocketServer: () => this.#wss
    });
    peer.on('error', (error) => this.deps.log.warn('calls.signalling_error', { error: String(error) }));
    express().use(SIGNALLING_PATH, peer);
  }

  /** Peers connected to the call of a request now. */
  present(requestId: string): Presence[] {
    const seen = new Map<string, Presence>();
    for (const p of this.#peers.values()) if (p.requestId === requestId) seen.set(p.peerId, { peerId: p.peerId, userId: p.userId, unitId: p.unitId, displayName: p.displayName });
    return [...seen.values()];
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const refuse = (status: string, reason: string, extra: Record<string, unknown> = {}) => {
      this.deps.log.warn('calls.signalling_refused', { reason, ...extra });
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const ticket = url.searchParams.get('key') ?? '';
    const id = url.searchParams.get('id') ?? '';
    const claims = this.deps.tickets.verify(ticket, this.deps.now());
    if (!claims) return refuse('401 Unauthorized', 'no valid call ticket');
    if (id !== claims.peerId) return refuse('403 Forbidden', 'the ticket is for another peer id', { userId: claims.userId });
    void this.#admit(req, socket, head, url, claims).catch((err: unknown) => {
      this.deps.log.error('calls.signalling_failed', { error: String(err) });
      socket.destroy();
    });
  }

  async #admit(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, claims: TicketClaims) {
    // A ticket lives minutes; an account disabled meanwhile does not join.
    const account = await this.deps.storage.findUserById(claims.userId);
    if (!account || account.disabledAt) {
      this.deps.log.warn('calls.signalling_refused', { reason: 'account disabled or gone', userId: claims.userId });
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    this.#start();
    url.searchParams.set('key', peerKey);
    req.url = `${url.pathname}?${url.searchParams.toString()}`;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const prefix = this.deps.prefixOf(claims.requestId);
      this.#peers.set(ws, { peerId: claims.peerId, userId: claims.userId, unitId: claims.unitId, displayName: account.displayName, requestId: claims.requestId, prefix });
      ws.once('close', () => this.#peers.delete(ws));
      // Only messages to peers of the same call reach PeerJS's relay; the rest are dropped here.
      const emit = ws.emit.bind(ws);
      ws.emit = ((event: string, ...args: unknown[]) => {
        if (event === 'message' && !sameCall(args[0], prefix)) {
          this.deps.log.warn('calls.signalling_dropped', { userId: claims.userId, reason: 'to a peer of another call' });
          return false;
        }
        return emit(event, ...args);
      }) as typeof ws.emit;
      this.deps.log.info('calls.joined', { userId: claims.userId, requestId: claims.requestId });
      this.#wss.emit('connection', ws, req);
    });
  }

  close() {
    for (const ws of this.#peers.keys()) ws.terminate();
    this.#peers.clear();
    this.#wss.close();
  }
}

/** A PeerJS message whose destination, if it names one, is a peer of this call. */
function sameCall(data: unknown, prefix: string): boolean {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return true; // PeerJS answers malformed messages itself
  }
  const dst = (message as { dst?: unknown } | null)?.dst;
  return dst === undefined || dst === null || (typeof dst === 'string' && dst.startsWith(prefix));
}
