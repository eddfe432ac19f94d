// The browsers' way to the SFU: a WebSocket on the app's origin at /sfu, gated by a call ticket (like /peerjs),
// that relays an allow-list of Janus API messages to the Janus session the server opens for that socket.
//
// The browser never holds the API secret, never picks its session, never names another room: it may attach the
// VideoRoom or the AudioBridge, send those plugins the requests of a participant (join, publish, subscribe,
// configure, leave, …) — always for its consultation's room, the room id, its display name and its Janus
// `allowed` token being set here —, trickle candidates, and detach. Everything else (create, destroy, other
// plugins, room creation, recording, RTP forwarding, another room) is answered with an error and never reaches
// Janus. Messages are bounded in size (64 KB) and rate (a token bucket per socket).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { JanusSocket, type JanusMessage } from '@telehealth/sfu';
import { TokenBuckets } from '../auth/limits';
import type { Logger } from '../log';
import type { Storage } from '../storage/storage';
import type { CallTickets, TicketClaims } from './tickets';
import { sfuLimits, type SfuRoomIds, type SfuRooms } from './sfu';
import type { CallRecordings, Present } from './recording';
import { guestName, inviteProblem } from './access';

export const SFU_PATH = '/sfu';

export const isSfuUpgrade = (url: string | undefined) => new URL(url ?? '/', 'http://x').pathname === SFU_PATH;

export const sfuProxyLimits = {
  maxMessageBytes: 64 * 1024,
  /** Plugin handles one socket may hold (a publisher, a few subscriptions, the audio bridge). */
  handlesPerSocket: 8,
  /** Messages per socket: a burst (an offer and its candidates), then one every `refillMs`. */
  burst: 80,
  refillMs: 50,
  maxSdpBytes: 48 * 1024,
  maxCandidates: 32,
  maxStreams: 16
} as const;

/** Close codes of /sfu (4xxx, like the sync endpoint's). */
export const SfuClose = { tooManyMessages: 4429, janusGone: 4503 } as const;

const plugins = { 'janus.plugin.videoroom': 'videoroom', 'janus.plugin.audiobridge': 'audiobridge' } as const;
type Plugin = (typeof plugins)[keyof typeof plugins];

export type Participant = { requestId: string; userId: string; displayName: string; rooms: SfuRoomIds; token: string; guest?: string };

type Checked = { ok: true; message: Record<string, unknown> } | { ok: false; reason: string };

// ---- a small closed-schema check for the plugin bodies ----------------------------------------------------------

type Field = (v: unknown) => boolean;
const bool: Field = (v) => typeof v === 'boolean';
const int = (min: number, max: number): Field => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const text = (max: number): Field => (v) => typeof v === 'string' && v.length <= max;
const oneOf = (...values: string[]): Field => (v) => typeof v === 'string' && values.includes(v);
const feedId = int(1, Number.MAX_SAFE_INTEGER);
const obj = (fields: Record<string, Field>): Field => (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, x]) => fields[k]?.(x) ?? false);
const list = (item: Field, max: number): Field => (v) => Array.isArray(v) && v.length <= max && v.every(item);

const mid = text(16);
const streamRef = obj({ feed: feedId, mid, sub_mid: mid, send: bool, substream: int(0, 2), temporal: int(0, 2), keyframe: bool, spatial_layer: int(0, 2), temporal_layer: int(0, 2) });
const streams = list(streamRef, sfuProxyLimits.maxStreams);
const descriptions = list(obj({ mid, description: text(64) }), sfuProxyLimits.maxStreams);

/** Per plugin and request: the body's allowed fields (besides `request`), and whether it names the room. */
const allowList: Record<Plugin, Record<string, { fields: Record<string, Field>; room?: 'video' | 'audio'; joins?: boolean }>> = {
  videoroom: {
    join: { fields: { ptype: oneOf('publisher', 'subscriber'), room: feedId, display: text(64), streams, private_id: feedId, use_msid: bool }, room: 'video', joins: true },
    publish: { fields: { audiocodec: oneOf('opus'), videocodec: oneOf('vp8'), bitrate: int(0, sfuLimits.bitrate), keyframe: bool, descriptions } },
    configure: { fields: { bitrate: int(0, sfuLimits.bitrate), keyframe: bool, streams, restart: bool, descriptions } },
    unpublish: { fields: {} },
    start: { fields: {} },
    pause: { fields: {} },
    leave: { fields: {} },
    subscribe: { fields: { streams } },
    unsubscribe: { fields: { streams } },
    update: { fields: { subscribe: streams, unsubscribe: streams } },
    listparticipants: { fields: { room: feedId }, room: 'video' }
  },
  audiobridge: {
    join: { fields: { room: feedId, display: text(64), muted: bool, codec: oneOf('opus'), quality: int(1, 10), expected_loss: int(0, 20), bitrate: int(0, 64_000) }, room: 'audio', joins: true },
    configure: { fields: { muted: bool, quality: int(1, 10), expected_loss: int(0, 20), bitrate: int(0, 64_000) } },
    leave: { fields: {} },
    listparticipants: { fields: { room: feedId }, room: 'audio' }
  }
};

const transactionPattern = /^[A-Za-z0-9]{1,40}$/;
const jsep = obj({ type: oneOf('offer', 'answer'), sdp: text(sfuProxyLimits.maxSdpBytes), trickle: bool, e2ee: (v) => v === false });
const candidate = obj({ candidate: text(1_024), sdpMid: (v) => v === null || text(16)(v), sdpMLineIndex: (v) => v === null || int(0, 32)(v), usernameFragment: (v) => v === null || text(256)(v), completed: bool });

/**
 * Checks a browser's message and builds what goes to Janus (without the session and the API secret), or says why
 * not. `handles` are the socket's attached handles and their plugins.
 */
export function checkBrowserMessage(raw: unknown, who: Participant, handles: ReadonlyMap<number, Plugin>, mayPublish = true): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object' };
  const m = raw as Record<string, unknown>;
  if (typeof m.transaction !== 'string' || !transactionPattern.test(m.transaction)) return { ok: false, reason: 'transaction must be 1-40 letters or digits' };
  const transaction = m.transaction;
  const handleOf = (): { ok: true; id: number; plugin: Plugin } | { ok: false; reason: string } => {
    const id = m.handle_id;
    const plugin = typeof id === 'number' ? handles.get(id) : undefined;
    return plugin ? { ok: true, id: id as number, plugin } : { ok: false, reason: 'handle_id is not a handle of this connection' };
  };
  const only = (...keys: string[]) => Object.keys(m).every((k) => keys.includes(k));
  switch (m.janus) {
    case 'attach': {
      if (!only('janus', 'transaction', 'plugin')) return { ok: false, reason: 'attach takes only plugin' };
      if (typeof m.plugin !== 'string' || !(m.plugin in plugins)) return { ok: false, reason: 'only the VideoRoom and AudioBridge plugins' };
      if (handles.size >= sfuProxyLimits.handlesPerSocket) return { ok: false, reason: `at most ${sfuProxyLimits.handlesPerSocket} handles` };
      return { ok: true, message: { janus: 'attach', transaction, plugin: m.plugin } };
    }
    case 'detach':
    case 'hangup': {
      const h = handleOf();
      if (!h.ok) return h;
      if (!only('janus', 'transaction', 'handle_id')) return { ok: false, reason: `${m.janus} takes only handle_id` };
      return { ok: true, message: { janus: m.janus, transaction, handle_id: h.id } };
    }
    case 'trickle': {
      const h = handleOf();
      if (!h.ok) return h;
      if (!only('janus', 'transaction', 'handle_id', 'candidate', 'candidates')) return { ok: false, reason: 'trickle takes candidate or candidates' };
      if (m.candidate !== undefined && !candidate(m.candidate)) return { ok: false, reason: 'a bad candidate' };
      if (m.candidates !== undefined && !list(candidate, sfuProxyLimits.maxCandidates)(m.candidates)) return { ok: false, reason: 'bad candidates' };
      if ((m.candidate === undefined) === (m.candidates === undefined)) return { ok: false, reason: 'trickle takes one of candidate, candidates' };
      return { ok: true, message: { janus: 'trickle', transaction, handle_id: h.id, ...(m.candidate !== undefined ? { candidate: m.candidate } : { candidates: m.candidates }) } };
    }
    case 'message': {
      const h = handleOf();
      if (!h.ok) return h;
      if (!only('janus', 'transaction', 'handle_id', 'body', 'jsep')) return { ok: false, reason: 'message takes body and jsep' };
      if (m.jsep !== undefined && !jsep(m.jsep)) return { ok: false, reason: 'jsep must be {type: offer|answer, sdp} within the size bound' };
      const body = m.body as Record<string, unknown> | null;
      if (typeof body !== 'object' || body === null || typeof body.request !== 'string') return { ok: false, reason: 'body must be an object with a request' };
      const rule = allowList[h.plugin][body.request];
      if (!rule) return { ok: false, reason: `request "${body.request}" is not allowed on ${h.plugin}` };
      const { request, ...rest } = body;
      for (const [k, v] of Object.entries(rest)) if (!rule.fields[k]?.(v)) return { ok: false, reason: `${h.plugin} ${request}: field "${k}" is not allowed or has a bad value` };
      // Media going up while the call is recorded needs this participant's consent (calls/recording.ts).
      const sendsMedia = (h.plugin === 'videoroom' && (request === 'publish' || (request === 'configure' && m.jsep !== undefined))) || (h.plugin === 'audiobridge' && request === 'join');
      if (sendsMedia && !mayPublish) return { ok: false, reason: 'this call is being recorded: consent to the recording before your camera and microphone join it' };
      const out: Record<string, unknown> = { request, ...rest };
      if (rule.room) {
        const room = rule.room === 'video' ? who.rooms.videoRoom : who.rooms.audioRoom;
        if (rest.room !== undefined && rest.room !== room) return { ok: false, reason: 'only the room of this consultation' };
        out.room = room;
      }
      if (rule.joins) {
        out.token = who.token;
        if (h.plugin === 'audiobridge' || rest.ptype === 'publisher') out.display = who.displayName.slice(0, 64);
        else delete out.display;
        if (h.plugin === 'videoroom' && rest.ptype === undefined) return { ok: false, reason: 'join needs ptype' };
      }
      return { ok: true, message: { janus: 'message', transaction, handle_id: h.id, body: out, ...(m.jsep !== undefined ? { jsep: m.jsep } : {}) } };
    }
    case 'keepalive':
      return { ok: false, reason: 'keepalive is answered by the server' };
    default:
      return { ok: false, reason: `"${String(m.janus)}" is not allowed` };
  }
}

type Connection = { who: Participant; janus: JanusSocket; session: number; handles: Map<number, Plugin>; attaching: Map<string, Plugin>; feedIds: Set<number>; keepalive: ReturnType<typeof setInterval> };

export class SfuProxy {
  #wss = new WebSocketServer({ noServer: true, maxPayload: sfuProxyLimits.maxMessageBytes });
  #connections = new Map<WebSocket, Connection>();
  #buckets: TokenBuckets;
  #next = 0;
  /** Recording with consent: set once the recordings exist (they need this proxy's presence). */
  recordings: Pick<CallRecordings, 'mayPublish' | 'presenceChanged' | 'view' | 'ask' | 'answer' | 'stop'> | undefined;

  constructor(private deps: { tickets: CallTickets; storage: Storage; rooms: SfuRooms; janusUrl: string; apiSecret: string; log: Logger; now: () => number }) {
    this.#buckets = new TokenBuckets({ capacity: sfuProxyLimits.burst, refillMs: sfuProxyLimits.refillMs }, deps.now);
  }

  /** Who is connected to the request's SFU rooms through this node now, with the VideoRoom feeds they publish. */
  present(requestId: string): Present[] {
    const seen = new Map<string, Present>();
    for (const c of this.#connections.values()) {
      if (c.who.requestId !== requestId) continue;
      const p = seen.get(c.who.userId) ?? { userId: c.who.userId, displayName: c.who.displayName, feedIds: [] };
      p.feedIds.push(...c.feedIds);
      seen.set(c.who.userId, p);
    }
    return [...seen.values()];
  }

  /** Sends each participant of the request their view of its recording. */
  notifyRecording(requestId: string) {
    const recordings = this.recordings;
    if (!recordings) return;
    const present = this.present(requestId);
    for (const [ws, c] of this.#connections) {
      if (c.who.requestId !== requestId || ws.readyState !== WebSocket.OPEN) continue;
      ws.send(JSON.stringify({ janus: 'recording', recording: recordings.view(requestId, c.who.userId, present) }));
    }
  }

  #presenceChanged(requestId: string) {
    void this.recordings?.presenceChanged(requestId).catch((err: unknown) => this.deps.log.error('calls.recording_presence_failed', { requestId, error: String(err) }));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://x');
    const claims = this.deps.tickets.verify(url.searchParams.get('ticket') ?? '', this.deps.now());
    if (!claims) {
      this.deps.log.warn('sfu.refused', { reason: 'no valid call ticket' });
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return;
    }
    void this.#admit(req, socket, head, claims).catch((err: unknown) => {
      this.deps.log.error('sfu.admit_failed', { error: String(err), userId: claims.userId });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
    });
  }

  async #admit(req: IncomingMessage, socket: Duplex, head: Buffer, claims: TicketClaims) {
    // A ticket lives minutes; an account disabled meanwhile does not join, nor a guest whose invitation was withdrawn.
    let displayName: string;
    if (claims.guest !== undefined) {
      const invite = await this.deps.storage.getInvite(claims.guest);
      if (!invite || invite.requestId !== claims.requestId || (await inviteProblem(this.deps.storage, invite, this.deps.now()))) {
        this.deps.log.warn('sfu.refused', { reason: 'invitation withdrawn, expired or gone', userId: claims.userId });
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
        return;
      }
      displayName = guestName(invite);
    } else {
      const account = await this.deps.storage.findUserById(claims.userId);
      if (!account || account.disabledAt) {
        this.deps.log.warn('sfu.refused', { reason: 'account disabled or gone', userId: claims.userId });
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
        return;
      }
      displayName = account.displayName;
    }
    const { rooms, token } = await this.deps.rooms.admit(claims.requestId, claims.userId);
    const janus = await JanusSocket.open(this.deps.janusUrl, { apiSecret: this.deps.apiSecret });
    let session: number;
    try {
      session = (await janus.request({ janus: 'create' })).data!.id!;
    } catch (err) {
      janus.close();
      throw err;
    }
    const who: Participant = { requestId: claims.requestId, userId: claims.userId, displayName, rooms, token, ...(claims.guest !== undefined ? { guest: claims.guest } : {}) };
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connected(ws, { who, janus, session }));
  }

  #connected(ws: WebSocket, c: Pick<Connection, 'who' | 'janus' | 'session'>) {
    const { janus, session, who } = c;
    const conn: Connection = {
      ...c,
      handles: new Map(),
      attaching: new Map(),
      feedIds: new Set(),
      keepalive: setInterval(() => void janus.request({ janus: 'keepalive', session_id: session }).catch(() => janus.close()), 25_000)
    };
    this.#connections.set(ws, conn);
    const key = `sfu-${++this.#next}`;
    const log = this.deps.log;
    log.info('sfu.joined', { userId: who.userId, requestId: who.requestId });
    const send = (m: Record<string, unknown>) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m));

    janus.onMessage = (m: JanusMessage) => {
      if (m.session_id !== undefined && m.session_id !== session) return;
      const plugin = m.transaction ? conn.attaching.get(m.transaction) : undefined;
      if (plugin && m.transaction) {
        conn.attaching.delete(m.transaction);
        if (m.janus === 'success' && typeof m.data?.id === 'number') conn.handles.set(m.data.id, plugin);
      }
      if (m.janus === 'detached' && typeof m.sender === 'number') conn.handles.delete(m.sender);
      // A publisher's join: its feed id names its recorded files.
      const data = m.plugindata?.data;
      if (data?.videoroom === 'joined' && typeof data.id === 'number') {
        conn.feedIds.add(data.id);
        this.#presenceChanged(who.requestId);
      }
      const { session_id: _session, ...rest } = m;
      send(rest);
    };
    janus.onClose = () => ws.close(SfuClose.janusGone, 'the SFU went away');

    // Oversized frames (1009) and protocol errors end up here, then in 'close': never an uncaught error.
    ws.on('error', (err) => log.warn('sfu.socket_error', { userId: who.userId, error: String(err) }));
    ws.on('message', (data, isBinary) => {
      if (this.#buckets.take(key) > 0) {
        log.warn('sfu.rate_limited', { userId: who.userId });
        ws.close(SfuClose.tooManyMessages, 'too many messages');
        return;
      }
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        parsed = undefined;
      }
      const transaction = (parsed as { transaction?: unknown } | undefined)?.transaction;
      const tx = typeof transaction === 'string' && transactionPattern.test(transaction) ? transaction : undefined;
      if ((parsed as { janus?: unknown } | undefined)?.janus === 'keepalive' && tx) {
        send({ janus: 'ack', transaction: tx });
        return;
      }
      // Recording (the server's, not Janus's): ask, consent, decline, stop; answered with this participant's view.
      if ((parsed as { janus?: unknown } | undefined)?.janus === 'recording') {
        void this.#recordingAction(parsed as Record<string, unknown>, tx, who, send);
        return;
      }
      const checked = checkBrowserMessage(parsed, who, conn.handles, this.recordings?.mayPublish(who.requestId, who.userId) ?? true);
      if (!checked.ok) {
        log.warn('sfu.message_refused', { userId: who.userId, reason: checked.reason });
        send({ janus: 'error', ...(tx ? { transaction: tx } : {}), error: { code: 403, reason: checked.reason } });
        return;
      }
      if (checked.message.janus === 'attach') conn.attaching.set(tx!, plugins[checked.message.plugin as keyof typeof plugins]);
      try {
        janus.send({ ...checked.message, session_id: session });
      } catch {
        ws.close(SfuClose.janusGone, 'the SFU went away');
      }
    });
    ws.once('close', () => {
      clearInterval(conn.keepalive);
      this.#connections.delete(ws);
      // The session's handles leave their rooms when it is destroyed.
      void janus
        .request({ janus: 'destroy', session_id: session })
        .catch(() => undefined)
        .finally(() => janus.close());
      log.info('sfu.left', { userId: who.userId, requestId: who.requestId });
      this.#presenceChanged(who.requestId);
    });
    send({ janus: 'ready', rooms: who.rooms, displayName: who.displayName, ...(this.recordings ? { recording: this.recordings.view(who.requestId, who.userId) } : {}) });
    this.#presenceChanged(who.requestId);
  }

  async #recordingAction(m: Record<string, unknown>, tx: string | undefined, who: Participant, send: (m: Record<string, unknown>) => void) {
    const refuse = (code: number, reason: string) => send({ janus: 'error', ...(tx ? { transaction: tx } : {}), error: { code, reason } });
    const actions = ['ask', 'consent', 'decline', 'stop'];
    if (!tx || typeof m.action !== 'string' || !actions.includes(m.action) || !Object.keys(m).every((k) => ['janus', 'transaction', 'action'].includes(k))) {
      this.deps.log.warn('sfu.message_refused', { userId: who.userId, reason: 'bad recording action' });
      return refuse(403, `recording takes {"action": ${actions.join('|')}} and a transaction`);
    }
    const recordings = this.recordings;
    if (!recordings) return refuse(503, 'this server cannot record calls');
    const me = { userId: who.userId, displayName: who.displayName };
    try {
      const refusal =
        m.action === 'ask' ? await recordings.ask(who.requestId, me) : m.action === 'stop' ? await recordings.stop(who.requestId, me) : await recordings.answer(who.requestId, me, m.action === 'consent');
      if (refusal) return refuse(409, `${refusal.error}: ${refusal.message}`);
      send({ janus: 'recording', transaction: tx, recording: recordings.view(who.requestId, who.userId) });
    } catch (err) {
      this.deps.log.error('calls.recording_action_failed', { userId: who.userId, error: String(err) });
      refuse(500, 'the server could not do it');
    }
  }

  /** Closes the sockets of a guest whose invitation was withdrawn. */
  closeGuest(inviteId: string) {
    for (const [ws, c] of this.#connections) if (c.who.guest === inviteId) ws.close(4403, 'the invitation was withdrawn');
  }

  close() {
    for (const [ws, c] of this.#connections) {
      clearInterval(c.keepalive);
      c.janus.close();
      ws.terminate();
    }
    this.#connections.clear();
    this.#wss.close();
  }
}
