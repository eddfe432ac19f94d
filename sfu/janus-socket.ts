// A Janus API connection over its WebSocket transport (subprotocol `janus-protocol`), for the server only: it adds
// the API secret to every request, matches replies to requests by transaction, and hands every other message (plugin
// events, webrtcup, hangup, …) to `onMessage`.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

export type JanusMessage = {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number } & Record<string, unknown>;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  error?: { code: number; reason: string };
  jsep?: unknown;
  [key: string]: unknown;
};

/** Janus answered a request with an error (core `error`, or a plugin's `error_code` in its data). */
export class JanusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string
  ) {
    super(`Janus error ${code}: ${reason}`);
  }
}

type Pending = { resolve: (m: JanusMessage) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout>; untilEvent: boolean };

export class JanusSocket {
  #pending = new Map<string, Pending>();
  #closed = false;
  /** Every message that is not the reply to one of this socket's requests. */
  onMessage: (message: JanusMessage) => void = () => {};
  onClose: () => void = () => {};

  private constructor(
    private ws: WebSocket,
    private apiSecret: string | undefined
  ) {
    ws.on('message', (data) => {
      let message: JanusMessage;
      try {
        message = JSON.parse(String(data)) as JanusMessage;
      } catch {
        return; // Janus sends JSON only; nothing to route otherwise
      }
      const pending = message.transaction ? this.#pending.get(message.transaction) : undefined;
      if (pending && !(message.janus === 'ack' && pending.untilEvent)) {
        this.#pending.delete(message.transaction!);
        clearTimeout(pending.timer);
        const pluginError = message.plugindata?.data?.error_code;
        if (message.janus === 'error') pending.reject(new JanusError(message.error?.code ?? 0, message.error?.reason ?? 'unknown'));
        else if (typeof pluginError === 'number') pending.reject(new JanusError(pluginError, String(message.plugindata?.data?.error ?? 'unknown')));
        else pending.resolve(message);
        return;
      }
      if (!pending) this.onMessage(message);
    });
    // A broken connection also closes: the pending requests are rejected there.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.#closed = true;
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('the Janus connection closed'));
      }
      this.#pending.clear();
      this.onClose();
    });
  }

  /** Opens a connection to Janus's WebSocket API (`ws://127.0.0.1:<port>`). */
  static open(url: string, options: { apiSecret?: string; timeoutMs?: number } = {}): Promise<JanusSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'janus-protocol', { maxPayload: 1024 * 1024, handshakeTimeout: options.timeoutMs ?? 5_000 });
      ws.once('open', () => resolve(new JanusSocket(ws, options.apiSecret)));
      ws.once('error', (err) => reject(err));
    });
  }

  get closed() {
    return this.#closed || this.ws.readyState !== WebSocket.OPEN;
  }

  /** Sends a message as it is, with the API secret added (the caller chose its transaction). */
  send(message: Record<string, unknown>) {
    if (this.closed) throw new Error('the Janus connection is closed');
    this.ws.send(JSON.stringify(this.apiSecret ? { ...message, apisecret: this.apiSecret } : message));
  }

  /**
   * Sends a request and resolves with its reply: `success` (or `ack` for a keepalive or a trickle), or, with
   * `untilEvent`, the plugin's `event` that follows an `ack`. Janus's and the plugins' errors reject with JanusError.
   */
  request(message: Record<string, unknown>, options: { timeoutMs?: number; untilEvent?: boolean } = {}): Promise<JanusMessage> {
    const transaction = `s-${randomBytes(9).toString('base64url')}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new Error(`Janus did not answer "${String(message.janus)}" within ${options.timeoutMs ?? 5_000} ms`));
      }, options.timeoutMs ?? 5_000);
      this.#pending.set(transaction, { resolve, reject, timer, untilEvent: options.untilEvent ?? false });
      try {
        this.send({ ...message, transaction });
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(transaction);
        reject(err as Error);
      }
    });
  }

  close() {
    this.ws.close();
  }
}
