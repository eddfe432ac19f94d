// A thin Janus client for the browser, over the server's /sfu proxy (sync-server/src/calls/sfu-proxy.ts): the
// proxy holds the Janus session and the API secret and fixes the room, the display name and the room token, so
// this side only attaches the VideoRoom or the AudioBridge and sends a participant's requests.
//
// `SfuConnection` is the transport (transactions, handles, events; any WebSocket constructor, so it runs in Node
// tests). `SfuCall` is a multi-party call on it: publish this device's camera and microphone to the consultation's
// VideoRoom, subscribe to every other publisher on one multistream subscription, and on the audio-only rung stop
// the video coming down (`configure` with `send: false` per video stream) while the voices go on.

import type { RecordingView } from '@telehealth/domain/calls';

export type { RecordingView };

export type SfuMessage = {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id?: number };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: RTCSessionDescriptionInit;
  error?: { code: number; reason: string };
  rooms?: { videoRoom: number; audioRoom: number };
  displayName?: string;
  /** The call's recording as this participant sees it (in `ready` and in `recording` messages). */
  recording?: RecordingView;
};

export type SfuReply = { data: Record<string, unknown>; jsep?: RTCSessionDescriptionInit };

/** Janus, a plugin or the proxy refused a request. */
export class SfuError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string
  ) {
    super(`SFU error ${code}: ${reason}`);
  }
}

/** The browser's WebSocket (a Node test passes `ws`'s, which has the same shape). */
type SocketLike = WebSocket;
export type SocketFactory = (url: string) => SocketLike;

const replyTimeoutMs = 10_000;

export class SfuHandle {
  /** Plugin events without a transaction of ours (new publishers, someone leaving, `webrtcup`, `hangup`, …). */
  onEvent: (message: SfuMessage) => void = () => {};

  constructor(
    readonly id: number,
    private connection: SfuConnection
  ) {}

  /** A plugin request; resolves with the plugin's answer (and Janus's SDP, if any). */
  async message(body: Record<string, unknown>, jsep?: RTCSessionDescriptionInit): Promise<SfuReply> {
    const reply = await this.connection.ask({ janus: 'message', handle_id: this.id, body, ...(jsep ? { jsep: { type: jsep.type, sdp: jsep.sdp } } : {}) });
    const data = reply.plugindata?.data ?? {};
    if (typeof data.error_code === 'number') throw new SfuError(data.error_code, String(data.error ?? ''));
    return { data, jsep: reply.jsep };
  }

  trickle(candidate: RTCIceCandidateInit | null) {
    this.connection.post({ janus: 'trickle', handle_id: this.id, candidate: candidate ? { candidate: candidate.candidate ?? '', sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null } : { completed: true } });
  }

  async detach() {
    await this.connection.ask({ janus: 'detach', handle_id: this.id }).catch(() => undefined);
  }
}

export class SfuConnection {
  #n = 0;
  #waiting = new Map<string, { resolve: (m: SfuMessage) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  #handles = new Map<number, SfuHandle>();
  onClose: (code: number) => void = () => {};
  /** The recording's state changed (someone asked, consented, declined; it started or stopped). */
  onRecording: (view: RecordingView) => void = () => {};

  private constructor(
    private socket: SocketLike,
    readonly rooms: { videoRoom: number; audioRoom: number },
    readonly displayName: string,
    /** The recording's state when this participant joined. */
    public recording: RecordingView | undefined
  ) {
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => {
      for (const w of this.#waiting.values()) {
        clearTimeout(w.timer);
        w.reject(new SfuError(0, 'the connection to the SFU closed'));
      }
      this.#waiting.clear();
      this.onClose(event.code);
    };
  }

  /** Opens `/sfu?ticket=…` and resolves once the server's Janus session is ready. */
  static connect(url: string, ticket: string, open: SocketFactory): Promise<SfuConnection> {
    return new Promise((resolve, reject) => {
      const socket = open(`${url}?ticket=${encodeURIComponent(ticket)}`);
      const timer = setTimeout(() => fail('the SFU did not answer'), replyTimeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        socket.onclose = null;
        socket.close();
        reject(new SfuError(0, why));
      };
      socket.onerror = () => fail('cannot connect to the SFU');
      socket.onclose = () => fail('the SFU refused the connection');
      socket.onmessage = (event) => {
        let m: SfuMessage;
        try {
          m = JSON.parse(String(event.data)) as SfuMessage;
        } catch {
          return;
        }
        if (m.janus !== 'ready' || !m.rooms) return;
        clearTimeout(timer);
        socket.onerror = null;
        resolve(new SfuConnection(socket, m.rooms, m.displayName ?? '', m.recording));
      };
    });
  }

  #receive(raw: unknown) {
    let m: SfuMessage;
    try {
      m = JSON.parse(String(raw)) as SfuMessage;
    } catch {
      return;
    }
    const waiting = m.transaction ? this.#waiting.get(m.transaction) : undefined;
    if (waiting && m.janus !== 'ack') {
      this.#waiting.delete(m.transaction!);
      clearTimeout(waiting.timer);
      if (m.janus === 'error') waiting.reject(new SfuError(m.error?.code ?? 0, m.error?.reason ?? ''));
      else waiting.resolve(m);
      return;
    }
    if (waiting || m.janus === 'ack') return;
    if (m.janus === 'recording' && m.recording) {
      this.recording = m.recording;
      this.onRecording(m.recording);
      return;
    }
    if (typeof m.sender === 'number') this.#handles.get(m.sender)?.onEvent(m);
  }

  /** Sends a message and resolves with its answer (not the ack). */
  ask(message: Record<string, unknown>): Promise<SfuMessage> {
    const transaction = `t${++this.#n}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(transaction);
        reject(new SfuError(0, `no answer to ${String(message.janus)}`));
      }, replyTimeoutMs);
      this.#waiting.set(transaction, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ ...message, transaction }));
    });
  }

  /** Sends a message whose answer does not matter (a trickled candidate). */
  post(message: Record<string, unknown>) {
    if (this.socket.readyState === 1) this.socket.send(JSON.stringify({ ...message, transaction: `t${++this.#n}` }));
  }

  /** Recording with consent (the server's, over this socket): ask (which consents), consent, decline, stop. */
  async recordingAction(action: 'ask' | 'consent' | 'decline' | 'stop'): Promise<RecordingView> {
    const reply = await this.ask({ janus: 'recording', action });
    if (!reply.recording) throw new SfuError(0, 'no recording state in the answer');
    this.recording = reply.recording;
    return reply.recording;
  }

  async attach(plugin: 'videoroom' | 'audiobridge'): Promise<SfuHandle> {
    const reply = await this.ask({ janus: 'attach', plugin: `janus.plugin.${plugin}` });
    const id = reply.data?.id;
    if (typeof id !== 'number') throw new SfuError(0, 'attach gave no handle');
    const handle = new SfuHandle(id, this);
    this.#handles.set(id, handle);
    return handle;
  }

  close() {
    this.socket.close(1000);
  }
}

/** A publisher in the room as Janus announces it. */
type Publisher = { id: number; display?: string; streams?: { mid: string; type: string; disabled?: boolean }[] };
/** One of the subscription's streams: which publisher's, and of what kind. */
type SubStream = { mid: string; type: string; feed_id?: number; feed_display?: string; active?: boolean };

export type SfuRemote = { feedId: number; displayName: string; stream: MediaStream };

/** A multi-party call in the consultation's VideoRoom: one publisher connection up, one subscriber connection down. */
export class SfuCall {
  /** The others, one stream each, as they come and go. */
  onRemotes: (remotes: SfuRemote[]) => void = () => {};
  onClosed: () => void = () => {};
  publisherPc: RTCPeerConnection | undefined;
  subscriberPc: RTCPeerConnection | undefined;

  #subscriber: SfuHandle | undefined;
  #selfId: number | undefined;
  #feeds = new Map<number, string>();
  #streams: SubStream[] = [];
  #remotes = new Map<number, SfuRemote>();
  #videoOff = false;
  /** Subscription changes one at a time: each renegotiates the subscriber connection. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly connection: SfuConnection,
    private iceServers: RTCIceServer[]
  ) {
    connection.onClose = () => this.onClosed();
  }

  /**
   * Joins as a publisher, publishes `local`, and subscribes to whoever publishes already. `sdpTransform` (the rung's
   * Opus settings, `audioSdp`) shapes both the offer and Janus's answer: the answer is what this side's encoder obeys.
   */
  async start(local: MediaStream, sdpTransform: (sdp: string) => string = (s) => s) {
    const publisher = await this.connection.attach('videoroom');
    publisher.onEvent = (m) => this.#publisherEvent(m.plugindata?.data ?? {});
    const joined = await publisher.message({ request: 'join', ptype: 'publisher' });
    this.#selfId = typeof joined.data.id === 'number' ? joined.data.id : undefined;
    // The others' streams are subscribed to while this side's own are being published, not after: on a 300 ms
    // link that is three round trips less before the first voice comes down.
    this.#addPublishers(joined.data.publishers as Publisher[] | undefined);
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.publisherPc = pc;
    pc.onicecandidate = (e) => publisher.trickle(e.candidate ? e.candidate.toJSON() : null);
    for (const track of local.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [local] });
    const offer = await pc.createOffer();
    const munged = { type: offer.type, sdp: sdpTransform(offer.sdp ?? '') };
    await pc.setLocalDescription(munged);
    const published = await publisher.message({ request: 'publish' }, munged);
    // Janus's answer says how this side sends: the same Opus settings there (bitrate, packet time, DTX, FEC).
    if (published.jsep) await pc.setRemoteDescription({ type: published.jsep.type, sdp: sdpTransform(published.jsep.sdp ?? '') });
  }

  #publisherEvent(data: Record<string, unknown>) {
    this.#addPublishers(data.publishers as Publisher[] | undefined);
    const gone = [data.unpublished, data.leaving].find((v) => typeof v === 'number') as number | undefined;
    if (gone !== undefined && this.#feeds.has(gone)) {
      this.#feeds.delete(gone);
      this.#remotes.delete(gone);
      this.onRemotes([...this.#remotes.values()]);
      this.#enqueue(() => this.#subscriber?.message({ request: 'unsubscribe', streams: [{ feed: gone }] }).then((r) => this.#renegotiate(r)));
    }
  }

  #addPublishers(list: Publisher[] | undefined) {
    const fresh = (list ?? []).filter((p) => typeof p.id === 'number' && p.id !== this.#selfId && !this.#feeds.has(p.id));
    if (!fresh.length) return;
    for (const p of fresh) this.#feeds.set(p.id, p.display ?? '');
    const streams = fresh.map((p) => ({ feed: p.id }));
    this.#enqueue(async () => {
      if (!this.#subscriber) {
        const subscriber = await this.connection.attach('videoroom');
        this.#subscriber = subscriber;
        subscriber.onEvent = (m) => {
          const streams = m.plugindata?.data.streams;
          if (Array.isArray(streams)) this.#streams = streams as SubStream[];
          if (m.jsep) this.#enqueue(() => this.#answer(m.jsep!));
        };
        await this.#renegotiate(await subscriber.message({ request: 'join', ptype: 'subscriber', streams }));
      } else {
        await this.#renegotiate(await this.#subscriber.message({ request: 'subscribe', streams }));
      }
    });
  }

  #enqueue(step: () => Promise<unknown> | undefined) {
    this.#queue = this.#queue.then(step).catch(() => undefined);
  }

  async #renegotiate(reply: SfuReply) {
    if (Array.isArray(reply.data.streams)) this.#streams = reply.data.streams as SubStream[];
    if (reply.jsep) await this.#answer(reply.jsep);
  }

  /** Answers Janus's offer for the subscription (its streams changed) and starts it. */
  async #answer(offer: RTCSessionDescriptionInit) {
    let pc = this.subscriberPc;
    if (!pc) {
      pc = new RTCPeerConnection({ iceServers: this.iceServers });
      this.subscriberPc = pc;
      const subscriber = this.#subscriber!;
      pc.onicecandidate = (e) => subscriber.trickle(e.candidate ? e.candidate.toJSON() : null);
      pc.ontrack = (e) => this.#track(e);
    }
    await pc.setRemoteDescription(offer);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.#subscriber!.message({ request: 'start' }, answer);
    if (this.#videoOff) await this.#sendVideo(false);
  }

  #track(e: RTCTrackEvent) {
    const info = this.#streams.find((s) => s.mid === e.transceiver.mid);
    const feedId = info?.feed_id;
    if (feedId === undefined) return;
    let remote = this.#remotes.get(feedId);
    if (!remote) {
      remote = { feedId, displayName: info?.feed_display ?? this.#feeds.get(feedId) ?? '', stream: new MediaStream() };
      this.#remotes.set(feedId, remote);
    }
    for (const old of remote.stream.getTracks().filter((t) => t.kind === e.track.kind)) remote.stream.removeTrack(old);
    remote.stream.addTrack(e.track);
    this.onRemotes([...this.#remotes.values()]);
  }

  /** The audio-only rung: stop (or restart) every video stream coming down; the voices go on. */
  async receiveVideo(on: boolean) {
    this.#videoOff = !on;
    await this.#sendVideo(on);
  }

  async #sendVideo(on: boolean) {
    const mids = this.#streams.filter((s) => s.type === 'video' && s.active !== false).map((s) => ({ mid: s.mid, send: on }));
    if (this.#subscriber && mids.length) await this.#subscriber.message({ request: 'configure', streams: mids }).catch(() => undefined);
  }

  /** Leaves the room: both connections closed, the session ended by the server. */
  close() {
    this.publisherPc?.close();
    this.subscriberPc?.close();
    this.publisherPc = undefined;
    this.subscriberPc = undefined;
    this.connection.onClose = () => {};
    this.connection.close();
  }
}
