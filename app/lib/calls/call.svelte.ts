// A 1:1 consultation call (hội chẩn) between the requesting station and the upper unit, as rune state for the call
// screen: the pre-call check (camera, microphone, a probe of the link), then the call over WebRTC with PeerJS
// signalling on this origin (sync-server/src/calls/), and the bandwidth ladder of `@telehealth/domain/calls`
// sampled every second from getStats: HD video → low video → audio only → the other unit's phone line.
//
// Who calls whom: both sides open the call of the same request; each joins the signalling with its ticket, and
// whoever arrives second calls whoever is there. Only the two units' staff get tickets (POST /api/calls/ticket).
// The ICE servers are the server's configuration, never a public default; with none, host candidates (one LAN).
//
// A multi-party consultation goes through the server's SFU instead (Janus, ./sfu-client.ts), when the server runs
// one: chosen before joining ("Hội chẩn nhiều bên"), or followed when someone is in the consultation's SFU room
// already. The same screen, ladder and log; on the audio-only rung the video coming down from the SFU stops too.
import {
  audioSdp,
  forceCeiling,
  initialLadder,
  linkSummary,
  rungs,
  sampleFromStats,
  senderSettings,
  stepLadder,
  type LadderReason,
  type LadderState,
  type LinkQuality,
  type Rung
} from '@telehealth/domain/calls';
import type { MediaConnection, Peer } from 'peerjs';
import { session } from '../auth/session.svelte';
import { probeLink, type ProbeResult } from './probe';
import { applySenderSettings } from './senders';
import { SfuCall, SfuConnection, SfuError, type RecordingView, type SfuRemote } from './sfu-client';

export type CallPhase = 'checking' | 'ready' | 'joining' | 'waiting' | 'connected' | 'ended' | 'failed';
/** Why the camera or microphone is not used: refused by the person or the browser, missing, or used by another app. */
export type DeviceProblem = 'denied' | 'absent' | 'busy' | 'unsupported';
/** Why the call could not start or went on. */
export type CallProblem = 'forbidden' | 'not_found' | 'closed' | 'network' | 'signalling' | 'media' | 'busy' | 'sfu' | 'recording_declined';
export type Participant = { peerId: string; displayName: string; unitId: string };

type Ticket = { ticket: string; peerId: string; path: string; iceServers: RTCIceServer[]; self: Participant; otherUnitId: string; present: Participant[]; sfu?: boolean; sfuPresent?: { userId: string; displayName: string }[] };
type SfuTicket = { ticket: string; path: string; iceServers: RTCIceServer[]; displayName?: string };

/** What the call log (app/lib/calls/call-log.ts, when present) is told; the screen passes its functions in. */
export type CallLogHooks = {
  start(direction: 'outgoing' | 'incoming'): Promise<string | undefined>;
  rung(callId: string, rung: Rung, reason: string): Promise<void>;
  end(callId: string): Promise<void>;
};

const sampleEveryMs = 1000;
const debugKey = 'telehealth.debug.calls';

async function authorized(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await session.accessToken();
  if (!token) throw new Error('unauthorized');
  return fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
}

function deviceProblem(err: unknown): DeviceProblem {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'absent';
}

export class ConsultationCall {
  phase = $state<CallPhase>('checking');
  /** What the pre-call check found: the tracks this device can send, and why one is missing. */
  camera = $state(false);
  microphone = $state(false);
  deviceProblem = $state<DeviceProblem | undefined>(undefined);
  probe = $state<ProbeResult | undefined>(undefined);
  problem = $state<CallProblem | undefined>(undefined);
  local = $state.raw<MediaStream | undefined>(undefined);
  remote = $state.raw<MediaStream | undefined>(undefined);
  self = $state.raw<Participant | undefined>(undefined);
  /** The other side, once in the call. */
  peer = $state.raw<Participant | undefined>(undefined);
  otherUnitId = $state<string | undefined>(undefined);
  muted = $state(false);
  rung = $state<Rung>('low');
  ceiling = $state<Rung>('hd');
  quality = $state<LinkQuality>('none');
  kbps = $state<number | undefined>(undefined);
  rttMs = $state<number | undefined>(undefined);
  lossPct = $state<number | undefined>(undefined);
  /** Why the ladder last switched. */
  reason = $state<LadderReason | undefined>(undefined);
  /** The server runs the SFU: a multi-party consultation is possible. */
  sfuAvailable = $state(false);
  /** The person chose a multi-party call (through the SFU) before joining. */
  multiParty = $state(false);
  /** In a multi-party call: everyone else, one stream each. */
  remotes = $state.raw<SfuRemote[]>([]);
  /** The call's recording (SFU calls only): asked, running, saved; and whether this person consented. */
  recording = $state.raw<RecordingView | undefined>(undefined);
  /** A recording request or answer the server refused, or that did not reach it. */
  recordingProblem = $state<'network' | 'refused' | undefined>(undefined);

  #peer: Peer | undefined;
  #media: MediaConnection | undefined;
  #sfu: SfuCall | undefined;
  #ladder: LadderState = initialLadder();
  #timer: ReturnType<typeof setInterval> | undefined;
  #previous: RTCStatsReport | undefined;
  #callId: Promise<string | undefined> | undefined;
  #applied: Rung | undefined;
  /** The rungs this screen had logged (for the browser tests' hook). */
  #logged: Rung[] = [];

  constructor(
    readonly requestId: string,
    private log?: CallLogHooks,
    /** A guest's invitation link token (/join): no account, the SFU only, no probe, no call log. */
    readonly invite?: string
  ) {
    if (typeof localStorage !== 'undefined' && localStorage.getItem(debugKey) === '1') {
      // The browser tests read the call through this hook; it exists only with the debug flag set on this device.
      (globalThis as { __call?: unknown }).__call = { stats: () => this.debugStats() };
    }
  }

  /** The pre-call check: camera and microphone, then the link to the server. */
  async check() {
    this.phase = 'checking';
    await this.#devices();
    if (this.invite) {
      // A guest has no account to probe the link with: the call starts low and the ladder finds its level.
      this.sfuAvailable = true;
      this.multiParty = true;
      this.phase = 'ready';
      return;
    }
    this.probe = await probeLink((bytes, signal) => authorized(`/api/calls/probe?bytes=${bytes}`, { signal, cache: 'no-store' }));
    this.sfuAvailable = await authorized('/api/calls/capabilities', { cache: 'no-store' })
      .then(async (res) => res.ok && ((await res.json()) as { sfu?: unknown }).sfu === true)
      .catch(() => false);
    this.rung = this.probe.suggested;
    this.phase = 'ready';
  }

  async #devices() {
    this.deviceProblem = undefined;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.deviceProblem = 'unsupported';
      return;
    }
    const video = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 30 } };
    try {
      this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    } catch (err) {
      this.deviceProblem = deviceProblem(err);
      // No camera (or a camera in use): a call with the voice alone still holds a consultation.
      if (this.deviceProblem !== 'denied') this.local = await navigator.mediaDevices.getUserMedia({ audio: true }).catch(() => undefined);
    }
    this.camera = Boolean(this.local?.getVideoTracks().length);
    this.microphone = Boolean(this.local?.getAudioTracks().length);
  }

  /** Joins the call: a ticket, the signalling, and a call to whoever of the other unit is there already. */
  async join() {
    if (!this.local || this.phase === 'joining' || this.phase === 'waiting' || this.phase === 'connected') return;
    this.phase = 'joining';
    this.problem = undefined;
    if (this.invite) {
      this.#ladder = initialLadder({ start: 'low', ceiling: this.ceiling });
      this.rung = this.#ladder.rung;
      return this.#joinSfu();
    }
    let ticket: Ticket;
    try {
      const res = await authorized('/api/calls/ticket', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestId: this.requestId }) });
      if (!res.ok) return this.#fail(res.status === 403 ? 'forbidden' : res.status === 404 ? 'not_found' : res.status === 409 ? 'closed' : 'network');
      ticket = (await res.json()) as Ticket;
    } catch {
      return this.#fail('network');
    }
    this.self = ticket.self;
    this.otherUnitId = ticket.otherUnitId;
    // The start rung: what the pre-check suggests, within the person's ceiling (the phone rung starts at audio).
    const start = this.probe?.suggested === 'phone' ? 'audio' : (this.probe?.suggested ?? 'low');
    this.#ladder = initialLadder({ start, ceiling: this.ceiling });
    this.rung = this.#ladder.rung;
    if (ticket.sfu && (this.multiParty || (ticket.sfuPresent?.length ?? 0) > 0)) return this.#joinSfu();
    const { Peer } = await import('peerjs');
    const secure = location.protocol === 'https:';
    const peer = new Peer(ticket.peerId, {
      host: location.hostname,
      port: Number(location.port) || (secure ? 443 : 80),
      secure,
      path: ticket.path,
      // The ticket travels as PeerJS's `key`: the server checks it before PeerJS sees the connection.
      key: ticket.ticket,
      // Always set: PeerJS's default is Google's STUN and peerjs.com's TURN.
      config: { iceServers: ticket.iceServers },
      debug: 0
    });
    this.#peer = peer;
    peer.on('call', (media) => {
      if (this.#media) {
        media.close();
        return;
      }
      this.peer = readParticipant(media.metadata) ?? { peerId: media.peer, displayName: '', unitId: '' };
      media.answer(this.local, { sdpTransform: (sdp: string) => audioSdp(sdp, this.rung) });
      this.#attach(media, 'incoming');
    });
    peer.on('error', (err) => {
      const type = (err as { type?: string }).type;
      // The other side left between the ticket and the call: wait for them to come back.
      if (type === 'peer-unavailable') {
        if (this.phase === 'joining') this.phase = 'waiting';
        return;
      }
      if (this.phase === 'connected') return; // the media path may hold without the signalling
      this.#fail('signalling');
    });
    peer.on('open', () => {
      const other = ticket.present.find((p) => p.unitId !== ticket.self.unitId) ?? ticket.present[0];
      if (!other) {
        this.phase = 'waiting';
        return;
      }
      this.peer = other;
      const media = peer.call(other.peerId, this.local!, { metadata: ticket.self, sdpTransform: (sdp: string) => audioSdp(sdp, this.rung) });
      this.#attach(media, 'outgoing');
    });
  }

  /** The multi-party call: a place in the consultation's SFU rooms, then publish and subscribe through /sfu. */
  async #joinSfu() {
    let connection: SfuConnection;
    let ticket: SfuTicket;
    try {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' } };
      const res = this.invite
        ? await fetch('/api/invite/join', { ...init, body: JSON.stringify({ invite: this.invite }) })
        : await authorized('/api/calls/sfu/join', { ...init, body: JSON.stringify({ requestId: this.requestId }) });
      if (!res.ok) return this.#fail(res.status === 403 || res.status === 410 ? 'forbidden' : res.status === 404 ? 'not_found' : res.status === 409 ? 'closed' : res.status === 503 ? 'sfu' : 'network');
      ticket = (await res.json()) as SfuTicket;
      if (ticket.displayName) this.self = { peerId: '', displayName: ticket.displayName, unitId: '' };
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ticket.path}`;
      connection = await SfuConnection.connect(url, ticket.ticket, (u) => new WebSocket(u));
    } catch {
      return this.#fail('sfu');
    }
    const call = new SfuCall(connection, ticket.iceServers);
    this.#sfu = call;
    this.phase = 'waiting';
    this.recording = connection.recording;
    connection.onRecording = (view) => {
      this.recording = view;
      // Waiting to consent, and the recording ended meanwhile: the media joins.
      const start = this.#startMedia;
      if (start && view.status !== 'recording') {
        this.#startMedia = undefined;
        void start();
      }
    };
    call.onRemotes = (remotes) => {
      this.remotes = remotes;
      const first = remotes[0];
      this.remote = first?.stream;
      this.peer = first ? { peerId: String(first.feedId), displayName: first.displayName, unitId: '' } : undefined;
      if (first && this.phase !== 'connected') {
        this.phase = 'connected';
        this.#callId = this.log?.start('outgoing').catch(() => undefined);
        void this.#apply(this.rung, 'start');
        this.#startSampling();
      } else if (!first && this.phase === 'connected') {
        this.#stopSampling();
        this.#endLog();
        this.phase = 'waiting';
      }
    };
    call.onClosed = () => {
      if (this.#sfu === call) this.#fail('sfu');
    };
    // The call is being recorded: this person's camera and microphone join only once they consent (the server
    // refuses them before); the screen asks, and `answerRecording` starts the media or leaves.
    if (connection.recording?.status === 'recording' && !connection.recording.youConsented) {
      this.#startMedia = () => this.#publish(call);
      return;
    }
    await this.#publish(call);
  }

  #startMedia: (() => Promise<void>) | undefined;

  async #publish(call: SfuCall) {
    try {
      await call.start(this.local!, (sdp) => audioSdp(sdp, this.rung));
    } catch {
      if (this.#sfu === call) this.#fail('sfu');
    }
  }

  /** Recording: ask (which is consenting), consent, decline, stop, over the SFU socket; everyone hears the new state. */
  async #recordingAction(action: 'ask' | 'consent' | 'decline' | 'stop'): Promise<boolean> {
    this.recordingProblem = undefined;
    const connection = this.#sfu?.connection;
    if (!connection) return false;
    try {
      this.recording = await connection.recordingAction(action);
      return true;
    } catch (err) {
      this.recordingProblem = err instanceof SfuError && err.code !== 0 ? 'refused' : 'network';
      return false;
    }
  }

  askRecording() {
    return this.#recordingAction('ask');
  }

  stopRecording() {
    return this.#recordingAction('stop');
  }

  /** This person's answer; one who joined a call being recorded starts their media on consent, or leaves. */
  async answerRecording(consent: boolean) {
    const ok = await this.#recordingAction(consent ? 'consent' : 'decline');
    const start = this.#startMedia;
    if (!start) return;
    if (consent && ok) {
      this.#startMedia = undefined;
      await start();
    } else if (!consent) {
      this.#startMedia = undefined;
      this.#fail('recording_declined');
    }
  }


  /** The connection whose link the ladder measures and whose senders it sets: the 1:1 call's, or the SFU publisher's. */
  #pc(): RTCPeerConnection | undefined {
    return this.#media?.peerConnection ?? this.#sfu?.publisherPc;
  }

  #attach(media: MediaConnection, direction: 'outgoing' | 'incoming') {
    this.#media = media;
    if (this.phase !== 'connected') this.phase = 'waiting';
    media.on('stream', (stream) => {
      this.remote = stream;
      if (this.phase !== 'connected') {
        this.phase = 'connected';
        this.#callId = this.log?.start(direction).catch(() => undefined);
        void this.#apply(this.rung, 'start');
        this.#startSampling();
      }
    });
    media.on('close', () => this.#remoteLeft(media));
    media.on('error', () => this.#remoteLeft(media));
  }

  #remoteLeft(media: MediaConnection) {
    if (media !== this.#media) return;
    this.#media = undefined;
    this.remote = undefined;
    this.#stopSampling();
    this.#endLog();
    // The other side hung up: this side stays in the call, ready for them to call again.
    if (this.phase === 'connected' || this.phase === 'waiting') this.phase = 'waiting';
  }

  #startSampling() {
    this.#stopSampling();
    this.#timer = setInterval(() => void this.#sample(), sampleEveryMs);
  }

  #stopSampling() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#previous = undefined;
  }

  async #sample() {
    const pc = this.#pc();
    if (!pc) return;
    const at = Date.now();
    let report: RTCStatsReport | undefined;
    try {
      report = await pc.getStats();
    } catch {
      report = undefined;
    }
    const sample = report ? sampleFromStats(report, at, this.#previous) : { at };
    if (report) this.#previous = report;
    const step = stepLadder(this.#ladder, sample);
    this.#ladder = step.state;
    this.#show();
    if (step.changed) await this.#apply(step.rung, step.changed.reason);
  }

  #show() {
    const s = linkSummary(this.#ladder);
    this.rung = s.rung;
    this.quality = s.quality;
    this.kbps = s.kbps;
    this.rttMs = s.rttMs;
    this.lossPct = s.lossFraction === undefined ? undefined : s.lossFraction * 100;
  }

  /** Sets the senders for a rung: video encodings (off for audio and phone), the audio bitrate. The call stays up. */
  async #apply(rung: Rung, reason: string) {
    const pc = this.#pc();
    this.rung = rung;
    if (reason !== 'start') this.reason = reason as LadderReason;
    if (!pc) return;
    const s = senderSettings(rung);
    // Through the SFU the video coming down stops too (Janus does not adapt per subscriber).
    await this.#sfu?.receiveVideo(s.video.active).catch(() => undefined);
    await applySenderSettings(pc, s);
    if (this.#applied !== undefined || reason !== 'start') {
      const id = await this.#callId;
      if (id)
        await this.log
          ?.rung(id, rung, reason)
          .then(() => void this.#logged.push(rung))
          .catch(() => undefined);
    }
    this.#applied = rung;
  }

  /** The person's ceiling: a lower rung at once; a higher one lets the ladder climb back after a stable period. */
  force(ceiling: Rung) {
    this.ceiling = ceiling;
    const step = forceCeiling(this.#ladder, ceiling, Date.now());
    this.#ladder = step.state;
    if (step.changed) void this.#apply(step.rung, 'forced');
  }

  toggleMute() {
    this.muted = !this.muted;
    for (const track of this.local?.getAudioTracks() ?? []) track.enabled = !this.muted;
  }

  hangUp() {
    this.#startMedia = undefined;
    this.recording = undefined;
    this.#media?.close();
    this.#media = undefined;
    const sfu = this.#sfu;
    this.#sfu = undefined;
    sfu?.close();
    this.remotes = [];
    this.#stopSampling();
    this.#endLog();
    this.#peer?.destroy();
    this.#peer = undefined;
    this.remote = undefined;
    this.phase = 'ended';
  }

  /** Leaves the screen: the call ends and the camera and microphone are released. */
  dispose() {
    if (this.phase !== 'ended') this.hangUp();
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.local = undefined;
    delete (globalThis as { __call?: unknown }).__call;
  }

  #endLog() {
    const id = this.#callId;
    this.#callId = undefined;
    this.#applied = undefined;
    void id?.then((callId) => (callId ? this.log?.end(callId) : undefined)).catch(() => undefined);
  }

  #fail(problem: CallProblem) {
    this.#startMedia = undefined;
    this.problem = problem;
    this.phase = 'failed';
    this.#stopSampling();
    const sfu = this.#sfu;
    this.#sfu = undefined;
    sfu?.close();
    this.remotes = [];
    this.#peer?.destroy();
    this.#peer = undefined;
  }

  /** For the browser tests (debug flag only): what this side receives and sends now. */
  async debugStats() {
    const pc = this.#pc();
    const out = { phase: this.phase, rung: this.rung, loggedRungs: [...this.#logged], recording: this.recording?.status ?? 'off', framesDecoded: 0, audioBytesReceived: 0, videoBytesSent: 0, videoActive: false, connection: pc?.connectionState ?? 'none', sfu: this.#sfu !== undefined, remotes: this.remotes.length };
    if (!pc) return out;
    // Through the SFU what comes down arrives on the subscriber connection.
    const down = this.#sfu?.subscriberPc ? [...(await this.#sfu.subscriberPc.getStats()).values()] : [];
    for (const s of [...(await pc.getStats()).values(), ...down]) {
      if (s.type === 'inbound-rtp' && s.kind === 'video') out.framesDecoded += s.framesDecoded ?? 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioBytesReceived += s.bytesReceived ?? 0;
      if (s.type === 'outbound-rtp' && s.kind === 'video') out.videoBytesSent += s.bytesSent ?? 0;
    }
    out.videoActive = pc.getSenders().some((sender) => sender.track?.kind === 'video' && sender.getParameters().encodings?.some((e) => e.active !== false));
    return out;
  }
}

function readParticipant(value: unknown): Participant | undefined {
  const v = value as Partial<Participant> | null | undefined;
  const text = (x: unknown) => typeof x === 'string' && x.length <= 200;
  return v && text(v.peerId) && text(v.displayName) && text(v.unitId) ? { peerId: v.peerId!, displayName: v.displayName!, unitId: v.unitId! } : undefined;
}

export { rungs };
