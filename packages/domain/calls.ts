// @telehealth/domain/calls: the bandwidth ladder of a call. Pure: no DOM, no I/O; the clock is the caller's (`at`,
// milliseconds), the measurements are plain objects read from `RTCPeerConnection.getStats()` (`sampleFromStats`).
//
// Rungs, best first: 'hd' (video up to 1 Mbit/s), 'low' (video ≤ 150 kbit/s at a quarter of the resolution, 15 fps),
// 'audio' (video off; Opus 12 kbit/s, 60 ms packets, DTX, in-band FEC: ≈ 16 kbit/s on the wire, measured in the
// call-stack probe, against 34.5 kbit/s for 12 kbit/s in 20 ms packets and 51 kbit/s by default) and 'phone' (nothing
// usable left: the call screen offers the unit's phone line; the WebRTC leg stays up at the audio settings, so the
// ladder sees the link come back).
//
// Every second the call layer passes a sample (`stepLadder`). Each measure goes through a median of the last three
// samples (one outlier does nothing) and then an EWMA with a 3 s time constant (weight ≈ 0.28 at 1 s samples, derived
// from the time between samples). The thresholds, in kbit/s of the browser's available outgoing bitrate
// (`availableOutgoingBitrate` of the selected candidate pair), loss (the worse of what the other side reports for our
// stream and what we lose of theirs) and round-trip time:
//
//   rung    step up to it (stable 12 s)            step down from it when
//   hd      ≥ 1,200 kbit/s, loss < 4 %, RTT < 600 ms    < 800 kbit/s, loss > 8 %, RTT > 1 s
//   low     ≥ 300 kbit/s,   loss < 6 %, RTT < 600 ms    < 180 kbit/s, loss > 12 %, RTT > 1 s
//   audio   ≥ 24 kbit/s,    loss < 10 %, RTT < 1 s      < 20 kbit/s, loss > 20 %, RTT > 1.5 s (held 6 s) → phone
//
// Why: 'hd' sends at most 1,000 kbit/s of video and 32 kbit/s of Opus; it needs 20 % headroom to go up and leaves
// when the link no longer carries 80 % of its cap. 'low' is the measured 150 kbit/s, scale 4 setting plus Opus at
// 16 kbit/s in 40 ms packets (≈ 24 kbit/s on the wire): 180 kbit/s is what it needs, 300 kbit/s (≈ 1.7×) to go up
// (also the lowest video rate vendors recommend). 'audio' costs ≈ 16 kbit/s on the wire: below 20 kbit/s (the
// probe's "below about 20 kbps") it cannot hold, 24 kbit/s (1.5×) brings it back; loss above 20 % (Opus FEC covers
// isolated losses, not that) or RTT above 1.5 s (no conversation is possible) is the phone's case, as the probe
// recommended. Step-up thresholds sit 1.2–1.7× above step-down ones (hysteresis).
//
// Timing:
// - Down fast. A down step is decided on the worse of the EWMA and the median of the last three samples: two bad
//   samples move the median at once, where the EWMA alone would take 9 s to fall from 2 Mbit/s under 180 kbit/s.
//   The ladder goes straight to the best rung that reading holds (hd → audio in one step on a cut to 64 kbit/s: two
//   samples, 2 s). Loss and RTT alone never go below 'audio' fast: they spike while video still floods a freshly cut
//   link. 'phone' needs the audio rung's limits broken on the EWMA for 6 s (`phoneAfterMs`), or no media at all for
//   6 s (`noMediaMs`, reason 'no_media': samples without any measure, or with no packet received since the previous
//   one).
// - Up slowly. One rung per step, only after the rung above's conditions held on the EWMA for 12 s (`stableMs`)
//   without a break, and only 30 s (`dwellMs`) after the previous automatic switch.
// - No flapping. A down step right after an up step (within 30 s) waits for the dwell time unless the fall is severe
//   (the reading under half the bandwidth limit, over twice the loss or RTT limit): a link hovering at an edge
//   switches at most once per 30 s, a real cut still steps down at once. Down after down is never held (a cut
//   falls through hd → low → audio as the browser's estimate falls).
// - The user's ceiling (`forceCeiling`) is never exceeded; forcing a lower rung switches at once (reason 'forced');
//   lifting it steps up only after a new stable period.
// Jitter is smoothed and reported but decides nothing: the jitter buffer absorbs it, and what it costs shows as RTT
// and loss.
//
// Limits the call layer must know: a sender capped at a low rung is application-limited, and libwebrtc's estimate
// (GCC) then grows only to about 1.5× what is acknowledged + 10 kbit/s (from its source, not measured here), so from 'audio' or 'low' the browser's figure alone
// cannot show room for the rung above. Feed a measured throughput (the pre-call probe, rerun while on a lower rung
// with good loss and RTT) as `availableOutgoingKbps` when it is higher. Opus packet time changes only with a new
// offer/answer (`audioSdp`), the rest with `RTCRtpSender.setParameters` (`senderSettings`).

export type Rung = 'hd' | 'low' | 'audio' | 'phone';

/** The rungs, best first. */
export const rungs: readonly Rung[] = Object.freeze(['hd', 'low', 'audio', 'phone'] as const);

export type LadderReason = 'bandwidth' | 'loss' | 'rtt' | 'recovered' | 'forced' | 'no_media';

/** One reading of the link, every second. Missing measures are unknown, not zero. */
export type LinkSample = {
  /** Milliseconds, the caller's clock (injected). */
  at: number;
  /** The sender's estimate of the bandwidth it may use (or a measured throughput when higher), kbit/s. */
  availableOutgoingKbps?: number;
  rttMs?: number;
  /** 0..1, the worse direction. */
  lossFraction?: number;
  jitterMs?: number;
  /** Packets received over all inbound streams since the previous sample; 0 means no media arrives. */
  receivedPackets?: number;
};

type Measures = { kbps?: number; loss?: number; rtt?: number; jitter?: number };

/** The ladder's state: a plain, serializable object; read it through the functions here. */
export type LadderState = {
  readonly rung: Rung;
  readonly ceiling: Rung;
  /** EWMA of each measure's median of three. */
  readonly smoothed: Readonly<Measures>;
  /** The last three raw samples' measures, oldest first. */
  readonly recent: readonly Readonly<Measures>[];
  readonly lastAt?: number;
  readonly lastMediaAt?: number;
  /** The last automatic switch, and its direction. */
  readonly switchedAt?: number;
  readonly switchedUp?: boolean;
  /** Since when the rung above's conditions hold (the stable period). */
  readonly upSince?: number;
  /** Since when the audio rung's limits are broken (the way to 'phone'). */
  readonly badSince?: number;
};

export type LadderChange = { from: Rung; to: Rung; reason: LadderReason };
export type LadderStep = { state: LadderState; rung: Rung; changed?: LadderChange };

type Limits = { kbps: number; loss: number; rttMs: number };

/** Thresholds per rung: `up` must hold for the stable period to step up to the rung, `down` broken steps down from it. */
export const ladderThresholds: Readonly<Record<Exclude<Rung, 'phone'>, { up: Limits; down: Limits }>> = Object.freeze({
  hd: { up: { kbps: 1200, loss: 0.04, rttMs: 600 }, down: { kbps: 800, loss: 0.08, rttMs: 1000 } },
  low: { up: { kbps: 300, loss: 0.06, rttMs: 600 }, down: { kbps: 180, loss: 0.12, rttMs: 1000 } },
  audio: { up: { kbps: 24, loss: 0.1, rttMs: 1000 }, down: { kbps: 20, loss: 0.2, rttMs: 1500 } }
});

export const ladderTiming = Object.freeze({
  /** EWMA time constant. */
  smoothingMs: 3000,
  /** How long the rung above's conditions must hold before stepping up. */
  stableMs: 12_000,
  /** At most one automatic switch per this time, except a severe fall and a fall after a fall. */
  dwellMs: 30_000,
  /** How long the audio rung's limits must stay broken before 'phone'. */
  phoneAfterMs: 6000,
  /** How long without any media before 'phone' ('no_media'). */
  noMediaMs: 6000,
  /** A fall is severe under this share of the bandwidth limit (or over its inverse times the loss and RTT limits). */
  severeFactor: 0.5
});

const rank = (r: Rung): number => rungs.indexOf(r);
const worse = (a: Rung, b: Rung): Rung => (rank(a) >= rank(b) ? a : b);

export function isRung(value: unknown): value is Rung {
  return typeof value === 'string' && (rungs as readonly string[]).includes(value);
}

export function initialLadder(options: { start?: Rung; ceiling?: Rung } = {}): LadderState {
  const ceiling = options.ceiling ?? 'hd';
  return { rung: worse(options.start ?? 'low', ceiling), ceiling, smoothed: {}, recent: [] };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function measuresOf(sample: LinkSample): Measures {
  const m: Measures = {};
  if (finite(sample.availableOutgoingKbps) && sample.availableOutgoingKbps >= 0) m.kbps = sample.availableOutgoingKbps;
  if (finite(sample.lossFraction)) m.loss = Math.min(1, Math.max(0, sample.lossFraction));
  if (finite(sample.rttMs) && sample.rttMs >= 0) m.rtt = sample.rttMs;
  if (finite(sample.jitterMs) && sample.jitterMs >= 0) m.jitter = sample.jitterMs;
  return m;
}

const keys = ['kbps', 'loss', 'rtt', 'jitter'] as const;

/** The new sample's place in the last three, and the EWMA fed with their median. */
function filtered(previous: LadderState, sample: Measures, dtMs: number): Pick<LadderState, 'smoothed' | 'recent'> {
  const recent = [...previous.recent, sample].slice(-3);
  return { recent, smoothed: smooth(previous.smoothed, median(recent), dtMs) };
}

function smooth(previous: Measures, next: Measures, dtMs: number): Measures {
  const weight = 1 - Math.exp(-Math.max(0, dtMs) / ladderTiming.smoothingMs);
  const out: Measures = { ...previous };
  for (const k of keys) {
    const v = next[k];
    if (v === undefined) continue;
    const p = previous[k];
    out[k] = p === undefined ? v : p + weight * (v - p);
  }
  return out;
}

/**
 * The median of the last three samples of each measure (with fewer, the best of them): one outlier does nothing, two
 * bad samples of three move it at once.
 */
function median(recent: readonly Measures[]): Measures {
  const out: Measures = {};
  for (const k of keys) {
    const values = recent.map((m) => m[k]).filter((v): v is number => v !== undefined);
    if (values.length === 0) continue;
    values.sort((x, y) => x - y);
    out[k] = values.length === 3 ? values[1] : k === 'kbps' ? values[values.length - 1] : values[0];
  }
  return out;
}

/** The reading a down step is decided on: the worse of the EWMA and the median of the last three samples. */
function pessimistic(state: LadderState): Measures {
  const s = state.smoothed;
  const m = median(state.recent);
  const pick = (a: number | undefined, b: number | undefined, f: (x: number, y: number) => number) => (a === undefined ? b : b === undefined ? a : f(a, b));
  return { kbps: pick(s.kbps, m.kbps, Math.min), loss: pick(s.loss, m.loss, Math.max), rtt: pick(s.rtt, m.rtt, Math.max) };
}

/** Which of a rung's down limits a reading breaks (bandwidth first), scaled by `factor` (1, or severe). */
function broken(limits: Limits, m: Measures, factor = 1): LadderReason | undefined {
  if (m.kbps !== undefined && m.kbps < limits.kbps * factor) return 'bandwidth';
  if (m.loss !== undefined && m.loss > limits.loss / factor) return 'loss';
  if (m.rtt !== undefined && m.rtt > limits.rttMs / factor) return 'rtt';
  return undefined;
}

/** Whether a reading meets a rung's up limits: the bandwidth must be known, loss and RTT good when known. */
function meets(limits: Limits, m: Measures): boolean {
  return m.kbps !== undefined && m.kbps >= limits.kbps && !(m.loss !== undefined && m.loss >= limits.loss) && !(m.rtt !== undefined && m.rtt >= limits.rttMs);
}

function switchTo(state: LadderState, to: Rung, reason: LadderReason, at: number, automatic = true): LadderStep {
  const next: LadderState = {
    ...state,
    rung: to,
    upSince: undefined,
    badSince: undefined,
    ...(automatic ? { switchedAt: at, switchedUp: rank(to) < rank(state.rung) } : {})
  };
  return { state: next, rung: to, changed: { from: state.rung, to, reason } };
}

/** Feed one sample (every second, also when getStats failed: `{ at }`); returns the rung to use and any switch. */
export function stepLadder(previous: LadderState, sample: LinkSample): LadderStep {
  const at = sample.at;
  const m = measuresOf(sample);
  const hasMedia = (m.kbps !== undefined || m.loss !== undefined || m.rtt !== undefined || m.jitter !== undefined) && sample.receivedPackets !== 0;
  const dt = previous.lastAt === undefined ? ladderTiming.smoothingMs * 10 : at - previous.lastAt;
  let state: LadderState = {
    ...previous,
    lastAt: previous.lastAt === undefined ? at : Math.max(previous.lastAt, at),
    lastMediaAt: hasMedia ? at : (previous.lastMediaAt ?? at),
    ...(hasMedia ? filtered(previous, m, dt) : {})
  };
  const rung = state.rung;
  const since = (t: number | undefined) => (t === undefined ? Infinity : at - t);

  if (!hasMedia) {
    state = { ...state, upSince: undefined };
    if (rung !== 'phone' && since(state.lastMediaAt) >= ladderTiming.noMediaMs) return switchTo(state, 'phone', 'no_media', at);
    return { state, rung };
  }

  const dwelt = since(state.switchedAt) >= ladderTiming.dwellMs;
  // Down.
  if (rung === 'hd' || rung === 'low') {
    const reading = pessimistic(state);
    const reason = broken(ladderThresholds[rung].down, reading);
    if (reason) {
      const severe = broken(ladderThresholds[rung].down, reading, ladderTiming.severeFactor) !== undefined;
      if (dwelt || !state.switchedUp || severe) {
        const target: Rung = rung === 'hd' && !broken(ladderThresholds.low.down, reading) ? 'low' : 'audio';
        return switchTo(state, target, reason, at);
      }
    }
  } else if (rung === 'audio') {
    const reason = broken(ladderThresholds.audio.down, state.smoothed);
    state = { ...state, badSince: reason ? (state.badSince ?? at) : undefined };
    if (reason && since(state.badSince) >= ladderTiming.phoneAfterMs) {
      const severe = broken(ladderThresholds.audio.down, state.smoothed, ladderTiming.severeFactor) !== undefined;
      if (dwelt || !state.switchedUp || severe) return switchTo(state, 'phone', reason, at);
    }
  }
  // Up: one rung, within the ceiling, after the stable period and the dwell time.
  const above = rank(rung) > rank(state.ceiling) ? rungs[rank(rung) - 1] : undefined;
  if (above === undefined || above === 'phone') return { state: { ...state, upSince: undefined }, rung };
  const ok = meets(ladderThresholds[above].up, state.smoothed);
  state = { ...state, upSince: ok ? (state.upSince ?? at) : undefined };
  if (ok && since(state.upSince) >= ladderTiming.stableMs && dwelt) return switchTo(state, above, 'recovered', at);
  return { state, rung };
}

/**
 * The user's ceiling: a rung worse than the current one switches to it at once ('forced'); a better one (lifting it,
 * up to 'hd') changes nothing now, and the ladder steps up after a new stable period.
 */
export function forceCeiling(previous: LadderState, ceiling: Rung, at: number): LadderStep {
  const state: LadderState = { ...previous, ceiling, upSince: undefined, badSince: undefined, lastAt: previous.lastAt ?? at };
  if (rank(state.rung) < rank(ceiling)) return switchTo(state, ceiling, 'forced', at, false);
  return { state, rung: state.rung };
}

export type LinkQuality = 'good' | 'fair' | 'poor' | 'none';

/**
 * What the call screen shows about the link: the smoothed measures and a word for them, relative to the rung in use
 * ('good': it meets the rung's step-up limits; 'fair': it holds the rung but not comfortably, or not at all while a
 * dwell time runs; 'poor': not even audio holds; 'none': no media for `noMediaMs`).
 */
export function linkSummary(state: LadderState): { rung: Rung; ceiling: Rung; quality: LinkQuality; kbps?: number; rttMs?: number; lossFraction?: number; jitterMs?: number } {
  const s = state.smoothed;
  const base = { rung: state.rung, ceiling: state.ceiling, kbps: s.kbps, rttMs: s.rtt, lossFraction: s.loss, jitterMs: s.jitter };
  if (state.lastMediaAt === undefined || (state.lastAt ?? 0) - state.lastMediaAt >= ladderTiming.noMediaMs) return { ...base, quality: 'none' };
  if (broken(ladderThresholds.audio.down, s)) return { ...base, quality: 'poor' };
  const limits = ladderThresholds[state.rung === 'phone' ? 'audio' : state.rung];
  return { ...base, quality: broken(limits.down, s) || !meets(limits.up, s) ? 'fair' : 'good' };
}

export type SenderSettings = {
  video: { active: boolean; maxBitrateBps?: number; scaleResolutionDownBy?: number; maxFramerate?: number };
  audio: { maxBitrateBps: number; ptimeMs: number; dtx: boolean; fec: boolean };
};

const settings: Readonly<Record<Rung, SenderSettings>> = Object.freeze({
  hd: { video: { active: true, maxBitrateBps: 1_000_000, scaleResolutionDownBy: 1, maxFramerate: 30 }, audio: { maxBitrateBps: 32_000, ptimeMs: 20, dtx: false, fec: true } },
  // Measured: maxBitrate 150000 with scaleResolutionDownBy 4 sent 64 kbit/s (720p → 320×180).
  low: { video: { active: true, maxBitrateBps: 150_000, scaleResolutionDownBy: 4, maxFramerate: 15 }, audio: { maxBitrateBps: 16_000, ptimeMs: 40, dtx: true, fec: true } },
  audio: { video: { active: false }, audio: { maxBitrateBps: 12_000, ptimeMs: 60, dtx: true, fec: true } },
  phone: { video: { active: false }, audio: { maxBitrateBps: 12_000, ptimeMs: 60, dtx: true, fec: true } }
});

/** What the senders are set to on a rung (`RTCRtpSender.setParameters` encodings; ptime, DTX and FEC via `audioSdp`). */
export function senderSettings(rung: Rung): SenderSettings {
  const s = settings[rung];
  return { video: { ...s.video }, audio: { ...s.audio } };
}

/** The Opus fmtp parameters `audioSdp` sets per rung. */
function opusParams(rung: Rung): [string, string][] {
  const a = settings[rung].audio;
  return [
    ['minptime', String(a.ptimeMs >= 60 ? a.ptimeMs : 10)],
    ['useinbandfec', a.fec ? '1' : '0'],
    ['usedtx', a.dtx ? '1' : '0'],
    ['maxaveragebitrate', String(a.maxBitrateBps)]
  ];
}

/**
 * Sets the Opus parameters of a rung in an SDP (an offer or answer, local or remote): in each audio section with
 * Opus, the Opus `a=fmtp` line (minptime, useinbandfec, usedtx, maxaveragebitrate; other parameters kept, the line
 * added when missing) and the section's `a=ptime`. Other codecs' lines and other sections are left as they are;
 * applying it twice gives the same text. Munge the local description to shape what the other side sends, the remote
 * one to shape what this side sends.
 */
export function audioSdp(sdp: string, rung: Rung): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const trailing = sdp.endsWith(eol);
  const lines = (trailing ? sdp.slice(0, -eol.length) : sdp).split(eol);
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    sections[sections.length - 1]!.push(line);
  }
  const out = sections.flatMap((section) => (section[0]?.startsWith('m=audio') ? mungeAudioSection(section, rung) : section));
  return out.join(eol) + (trailing ? eol : '');
}

function mungeAudioSection(section: string[], rung: Rung): string[] {
  const opus = new Set<string>();
  for (const line of section) {
    const m = /^a=rtpmap:(\d+) opus\/48000(\/\d+)?\s*$/i.exec(line);
    if (m) opus.add(m[1]!);
  }
  if (opus.size === 0) return section;
  const wanted = opusParams(rung);
  const fmtpDone = new Set<string>();
  const out: string[] = [];
  for (const line of section) {
    if (/^a=ptime:/.test(line)) continue;
    const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (fmtp && opus.has(fmtp[1]!)) {
      fmtpDone.add(fmtp[1]!);
      out.push(`a=fmtp:${fmtp[1]} ${setParams(fmtp[2]!, wanted)}`);
      continue;
    }
    out.push(line);
  }
  // Missing Opus fmtp lines go after their rtpmap lines.
  for (const pt of opus) {
    if (fmtpDone.has(pt)) continue;
    const i = out.findIndex((l) => l.startsWith(`a=rtpmap:${pt} `));
    out.splice(i + 1, 0, `a=fmtp:${pt} ${setParams('', wanted)}`);
  }
  out.push(`a=ptime:${settings[rung].audio.ptimeMs}`);
  return out;
}

function setParams(params: string, wanted: [string, string][]): string {
  const list = params
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, undefined] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    }) as [string, string | undefined][];
  for (const [key, value] of wanted) {
    const found = list.find(([k]) => k.toLowerCase() === key);
    if (found) found[1] = value;
    else list.push([key, value]);
  }
  return list.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(';');
}

type Stats = Record<string, unknown>;

/** The entries of a stats report: an RTCStatsReport (its [id, stats] pairs), its values, or an array of them. */
function entriesOf(stats: Iterable<unknown> | undefined): Stats[] {
  const out: Stats[] = [];
  for (const e of stats ?? []) {
    const v = Array.isArray(e) && e.length === 2 && typeof e[1] === 'object' ? e[1] : e;
    if (v && typeof v === 'object' && typeof (v as Stats).type === 'string') out.push(v as Stats);
  }
  return out;
}

const num = (v: unknown): number | undefined => (finite(v) ? v : undefined);
const maxOf = (values: (number | undefined)[]): number | undefined => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? Math.max(...known) : undefined;
};
const streamKey = (s: Stats) => String(s.id ?? `${String(s.kind ?? s.mediaType ?? '')}:${String(s.ssrc ?? '')}`);

/**
 * A sample from getStats entries (pass the RTCStatsReport itself, or an array of its values; `previous` is the
 * report of the sample before, for the inbound counters' deltas). Reads the selected candidate pair
 * (`availableOutgoingBitrate`, `currentRoundTripTime`), `remote-inbound-rtp` (`roundTripTime`, `fractionLost`,
 * `jitter`) and `inbound-rtp` (`packetsLost` and `packetsReceived` deltas, `jitter`). Loss is the worse direction, RTT
 * and jitter the largest seen; a missing field leaves its measure unknown.
 */
export function sampleFromStats(stats: Iterable<unknown>, at: number, previous?: Iterable<unknown>): LinkSample {
  const entries = entriesOf(stats);
  const before = new Map(entriesOf(previous).filter((s) => s.type === 'inbound-rtp').map((s) => [streamKey(s), s]));
  const byId = new Map(entries.map((s) => [String(s.id), s]));

  const pairs = entries.filter((s) => s.type === 'candidate-pair');
  const selectedIds = entries.filter((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string').map((s) => String(s.selectedCandidatePairId));
  const selected =
    selectedIds.map((id) => byId.get(id)).find((s) => s?.type === 'candidate-pair') ??
    pairs.find((s) => s.selected === true) ??
    pairs.find((s) => s.nominated === true && s.state === 'succeeded') ??
    pairs.find((s) => s.nominated === true);

  const sample: LinkSample = { at };
  const available = num(selected?.availableOutgoingBitrate);
  if (available !== undefined) sample.availableOutgoingKbps = available / 1000;

  const remote = entries.filter((s) => s.type === 'remote-inbound-rtp');
  const inbound = entries.filter((s) => s.type === 'inbound-rtp');

  const rtt = maxOf([num(selected?.currentRoundTripTime), ...remote.map((s) => num(s.roundTripTime))]);
  if (rtt !== undefined) sample.rttMs = rtt * 1000;

  // Incoming loss: packets lost over packets expected since the previous report, over all inbound streams.
  let lost = 0;
  let received = 0;
  let counted = false;
  if (previous !== undefined) {
    for (const s of inbound) {
      const l = num(s.packetsLost);
      const r = num(s.packetsReceived);
      if (l === undefined && r === undefined) continue;
      const p = before.get(streamKey(s));
      const pl = num(p?.packetsLost) ?? 0;
      const pr = num(p?.packetsReceived) ?? 0;
      // A counter that went back is a restarted stream: its whole count is new.
      const dr = r === undefined ? 0 : r >= pr ? r - pr : r;
      const dl = l === undefined ? 0 : l >= pl && (r === undefined || r >= pr) ? l - pl : Math.max(0, l);
      received += dr;
      lost += dl;
      counted = true;
    }
  }
  if (counted) sample.receivedPackets = received;
  const incomingLoss = counted && lost + received > 0 ? lost / (lost + received) : undefined;
  const outgoingLoss = maxOf(remote.map((s) => num(s.fractionLost)));
  const loss = maxOf([incomingLoss, outgoingLoss]);
  if (loss !== undefined) sample.lossFraction = Math.min(1, Math.max(0, loss));

  const jitter = maxOf([...inbound, ...remote].map((s) => num(s.jitter)));
  if (jitter !== undefined) sample.jitterMs = jitter * 1000;
  return sample;
}

/** How a call's recording (or a request to record it) ended. */
export type RecordingEnd = 'declined' | 'stopped' | 'expired' | 'everyone_left' | 'saved' | 'empty' | 'failed';

/**
 * What a participant's screen shows about the call's recording (sync-server/src/calls/recording.ts sends it over the
 * /sfu socket): off, asked, recording or saving; who asked; the names of those present who consented and of those
 * who have not (yet); whether this participant did; how the last one ended.
 */
export type RecordingView = {
  status: 'off' | 'asking' | 'recording' | 'saving';
  id?: string;
  askedBy?: string;
  startedAt?: string;
  consented: string[];
  waiting: string[];
  youConsented: boolean;
  ended?: { reason: RecordingEnd; by?: string };
};
