// One Node HTTP server on one origin: the API (Hono), the sync WebSocket endpoint and, when built, the app itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export type ServerParts = {
  /** The Hono app's fetch function. */
  fetch: (request: Request) => Response | Promise<Response>;
  /** SvelteKit's adapter-node handler; absent in tests of the API alone. */
  appHandler?: NodeHandler;
  /** Handles WebSocket upgrades, routed by path in system.ts: /sync to the hub, /peerjs/peerjs to the call signalling. */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Headers set on every response (security headers: see security-headers.ts). */
  headers?: Record<string, string>;
};

export type RunningServer = {
  port: number;
  url: string;
  /** Stops accepting connections; `beforeDisconnect` runs (e.g. WebSockets are told to go away), then every socket is closed. */
  close(beforeDisconnect?: () => Promise<void>): Promise<void>;
};

const apiPrefixes = ['/api/', '/healthz'];

export async function listen(parts: ServerParts, host: string, port: number): Promise<RunningServer> {
  const api = getRequestListener(parts.fetch);
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(parts.headers ?? {})) res.setHeader(name, value);
    const url = req.url ?? '/';
    if (!parts.appHandler || apiPrefixes.some((p) => url.startsWith(p))) {
      void api(req, res);
      return;
    }
    parts.appHandler(req, res, () => void api(req, res));
  });
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    if (parts.onUpgrade) parts.onUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    async close(beforeDisconnect) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await beforeDisconnect?.();
      server.closeAllConnections();
      // Upgraded (WebSocket) sockets are not HTTP connections any more: end them too.
      for (const socket of sockets) socket.destroy();
      await closed;
    }
  };
}
