import { describe, expect, it } from 'vitest';
import {
  audioSdp,
  forceCeiling,
  initialLadder,
  ladderThresholds,
  ladderTiming,
  linkSummary,
  rungs,
  sampleFromStats,
  senderSettings,
  stepLadder,
  type LadderChange,
  type LadderState,
  type LinkSample,
  type Rung
} from './calls';
import { seededRandom } from './random';

// Deterministic simulations: one sample a second on an injected clock.
type Link = Omit<LinkSample, 'at'>;
type Switch = LadderChange & { at: number };

class Sim {
  at = 0;
  switches: Switch[] = [];
  rungsSeen = new Set<Rung>();
  constructor(public state: LadderState) {
    this.rungsSeen.add(state.rung);
  }
  get rung(): Rung {
    return this.state.rung;
  }
  /** `seconds` samples, one a second; `link(i)` gives the i-th reading. */
  run(seconds: number, link: (i: number, at: number) => Link): this {
    for (let i = 0; i < seconds; i++) {
      this.at += 1000;
      this.apply(stepLadder(this.state, { at: this.at, ...link(i, this.at) }));
    }
    return this;
  }
  force(ceiling: Rung): this {
    this.apply(forceCeiling(this.state, ceiling, this.at));
    return this;
  }
  private apply(step: { state: LadderState; rung: Rung; changed?: LadderChange }) {
    expect(step.rung).toBe(step.state.rung);
    if (step.changed) {
      expect(step.changed.from).not.toBe(step.changed.to);
      this.switches.push({ ...step.changed, at: this.at });
    }
    this.state = step.state;
    this.rungsSeen.add(step.rung);
  }
  /** The most automatic switches in any 30 s window (forced ones are the user's). */
  maxSwitchesPer30s(): number {
    const times = this.switches.filter((s) => s.reason !== 'forced').map((s) => s.at);
    let most = 0;
    for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t >= times[i]! && t < times[i]! + 30_000).length);
    return most;
  }
}

const good = (kbps: number): Link => ({ availableOutgoingKbps: kbps, lossFraction: 0.005, rttMs: 60, jitterMs: 5, receivedPackets: 60 });

/** A normal deviate from a seeded generator (Box–Muller). */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('the ladder: stepping down', () => {
  it('goes from HD to audio within 5 s when a 2 Mbit/s link is cut to 64 kbit/s', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(60, () => good(2000));
    expect(sim.rung).toBe('hd');
    const cut = sim.at;
    sim.run(10, () => good(64));
    const toAudio = sim.switches.find((s) => s.to === 'audio')!;
    expect(toAudio, JSON.stringify(sim.switches)).toBeDefined();
    expect(toAudio.at - cut).toBeLessThanOrEqual(5000);
    expect(toAudio.reason).toBe('bandwidth');
    expect(sim.rung).toBe('audio');
  });

  it('follows a browser estimate that falls over seconds (as measured: 1.5 M → under 100 k in ≈ 5 s) within 5 s', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(60, () => good(1500));
    const cut = sim.at;
    const estimate = [1400, 700, 300, 120, 64, 60, 70, 64, 64, 64];
    const rtt = [80, 200, 380, 380, 300, 200, 120, 100, 100, 100];
    sim.run(estimate.length, (i) => ({ ...good(estimate[i]!), rttMs: rtt[i]! }));
    const toAudio = sim.switches.find((s) => s.to === 'audio');
    expect(toAudio, JSON.stringify(sim.switches)).toBeDefined();
    expect(toAudio!.at - cut).toBeLessThanOrEqual(5000);
    expect(sim.rungsSeen.has('phone')).toBe(false);
  });

  it('never ends the call in 20 cuts to 64 kbit/s with little loss, and is back in HD before each cut', () => {
    const seed = 20_251;
    const random = seededRandom(seed);
    const noise = gaussian(random);
    const sim = new Sim(initialLadder({ start: 'low' }));
    const delays: number[] = [];
    for (let cut = 0; cut < 20; cut++) {
      sim.run(100, () => ({ ...good(2000 * (1 + 0.1 * noise())), rttMs: 60 + 20 * random() }));
      expect(sim.rung, `seed ${seed}, cut ${cut}`).toBe('hd');
      const at = sim.at;
      const before = sim.switches.length;
      // The cut: the queue overflows for two seconds (heavy loss, long RTT), then audio fits and loss is low.
      sim.run(40, (i) =>
        i < 2
          ? { availableOutgoingKbps: 64 * (1 + 0.25 * noise()), lossFraction: 0.6, rttMs: 1800, receivedPackets: 20 }
          : { availableOutgoingKbps: Math.max(30, 64 * (1 + 0.25 * noise())), lossFraction: 0.03 * random(), rttMs: 300 + 300 * random(), receivedPackets: 17 }
      );
      const toAudio = sim.switches.slice(before).find((s) => s.to === 'audio');
      expect(toAudio, `seed ${seed}, cut ${cut}`).toBeDefined();
      delays.push(toAudio!.at - at);
      expect(sim.rung, `seed ${seed}, cut ${cut}`).toBe('audio');
    }
    expect(sim.rungsSeen.has('phone'), `seed ${seed}`).toBe(false);
    expect(Math.max(...delays), `seed ${seed}`).toBeLessThanOrEqual(5000);
  });

  it('ignores one bad sample (the median of three filters it out)', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(60, () => good(2000));
    sim.run(1, () => good(64)).run(30, () => good(2000));
    sim.run(1, () => ({ ...good(2000), lossFraction: 0.5 })).run(30, () => good(2000));
    sim.run(1, () => ({ ...good(2000), rttMs: 2500 })).run(30, () => good(2000));
    expect(sim.switches).toEqual([]);
  });

  it('lets loss and RTT alone step down fast to audio, never straight to phone', () => {
    for (const spike of [{ lossFraction: 0.6 }, { rttMs: 2500 }]) {
      const sim = new Sim(initialLadder({ start: 'low' })).run(60, () => good(400));
      const at = sim.at;
      sim.run(4, () => ({ ...good(400), ...spike })).run(20, () => good(400));
      expect(sim.switches.map((s) => s.to)).toEqual(['audio']);
      expect(sim.switches[0]!.at - at).toBeLessThanOrEqual(2000);
      expect(sim.switches[0]!.reason).toBe('lossFraction' in spike ? 'loss' : 'rtt');
    }
  });

  it('reaches phone when audio cannot hold (under 20 kbit/s, loss over 20 % or RTT over 1.5 s), only once it lasts', () => {
    for (const [bad, reason] of [
      [{ ...good(12) }, 'bandwidth'],
      [{ ...good(64), lossFraction: 0.35 }, 'loss'],
      [{ ...good(64), rttMs: 2200 }, 'rtt']
    ] as const) {
      const sim = new Sim(initialLadder({ start: 'audio' })).run(60, () => good(64));
      const start = sim.at;
      // Three bad seconds are not enough (a queue draining after a cut).
      sim.run(3, () => bad).run(20, () => good(64));
      expect(sim.rungsSeen.has('phone'), reason).toBe(false);
      sim.run(20, () => bad);
      const toPhone = sim.switches.find((s) => s.to === 'phone');
      expect(toPhone?.reason, reason).toBe(reason);
      // The EWMA has to fall first (≈ 6 s from 64 to 12 kbit/s), then the 6 s hold.
      expect(toPhone!.at - (start + 23_000), reason).toBeGreaterThanOrEqual(ladderTiming.phoneAfterMs);
      expect(toPhone!.at - (start + 23_000), reason).toBeLessThanOrEqual(15_000);
    }
  });
});

describe('the ladder: no media', () => {
  it('goes to phone with no_media when samples stop carrying anything, after 6 s', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(30, () => good(2000));
    const last = sim.at;
    sim.run(5, () => ({}));
    expect(sim.rung).toBe('hd');
    sim.run(1, () => ({}));
    expect(sim.switches).toEqual([{ from: 'hd', to: 'phone', reason: 'no_media', at: last + ladderTiming.noMediaMs }]);
    sim.run(30, () => ({}));
    expect(sim.switches).toHaveLength(1);
    expect(linkSummary(sim.state).quality).toBe('none');
  });

  it('counts a link with an estimate but no packet received as no media', () => {
    const sim = new Sim(initialLadder({ start: 'low' })).run(30, () => good(400));
    sim.run(8, () => ({ availableOutgoingKbps: 400, rttMs: 80, receivedPackets: 0 }));
    expect(sim.switches.map((s) => [s.to, s.reason])).toEqual([['phone', 'no_media']]);
  });

  it('goes to phone when a started ladder never gets a sample with media', () => {
    const first = stepLadder(initialLadder(), { at: 1000 });
    expect(first.rung).toBe('low');
    expect(stepLadder(first.state, { at: 6000 }).rung).toBe('low');
    expect(stepLadder(first.state, { at: 7000 }).changed).toEqual({ from: 'low', to: 'phone', reason: 'no_media' });
  });

  it('comes back from phone to audio (not further) after the link is stable again', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(30, () => good(2000)).run(10, () => ({}));
    expect(sim.rung).toBe('phone');
    const phoneAt = sim.switches[0]!.at;
    const back = sim.at;
    sim.run(60, () => good(64));
    const up = sim.switches[1]!;
    expect(up).toMatchObject({ from: 'phone', to: 'audio', reason: 'recovered' });
    expect(up.at - back).toBeGreaterThanOrEqual(ladderTiming.stableMs);
    expect(up.at - phoneAt).toBeGreaterThanOrEqual(ladderTiming.dwellMs);
    expect(sim.switches).toHaveLength(2);
  });
});

describe('the ladder: stepping up', () => {
  it('steps up one rung at a time, each after the stable period and 30 s after the last switch', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(30, () => good(2000)).run(20, () => good(64));
    expect(sim.rung).toBe('audio');
    const down = sim.switches.at(-1)!.at;
    const recovered = sim.at;
    sim.run(120, () => good(2000));
    const ups = sim.switches.filter((s) => s.reason === 'recovered');
    expect(ups.map((s) => [s.from, s.to])).toEqual([
      ['audio', 'low'],
      ['low', 'hd']
    ]);
    expect(ups[0]!.at - recovered).toBeGreaterThanOrEqual(ladderTiming.stableMs);
    expect(ups[0]!.at - down).toBeGreaterThanOrEqual(ladderTiming.dwellMs);
    expect(ups[1]!.at - ups[0]!.at).toBeGreaterThanOrEqual(ladderTiming.dwellMs);
  });

  it('does not step up before the stable period, and a break restarts it', () => {
    const sim = new Sim(initialLadder({ start: 'audio' })).run(60, () => good(64));
    const start = sim.at;
    sim.run(10, () => good(500));
    expect(sim.rung).toBe('audio');
    // Two bad seconds (loss) break the stable period (one is filtered out).
    sim.run(2, () => ({ ...good(500), lossFraction: 0.5 }));
    const broke = sim.at;
    sim.run(30, () => good(500));
    const up = sim.switches[0]!;
    expect(up).toMatchObject({ from: 'audio', to: 'low', reason: 'recovered' });
    expect(up.at - start).toBeGreaterThan(ladderTiming.stableMs);
    expect(up.at - broke).toBeGreaterThanOrEqual(ladderTiming.stableMs);
    expect(sim.rung).toBe('low'); // 500 kbit/s is not HD
  });

  it('needs a known bandwidth to step up', () => {
    const sim = new Sim(initialLadder({ start: 'audio' })).run(120, () => ({ rttMs: 50, lossFraction: 0, receivedPackets: 40 }));
    expect(sim.switches).toEqual([]);
  });
});

describe('the ladder: no flapping', () => {
  const edges: { name: string; start: Rung; link: (v: number) => Link; value: number }[] = [
    { name: 'hd down 800 kbit/s', start: 'hd', link: good, value: ladderThresholds.hd.down.kbps },
    { name: 'hd up 1,200 kbit/s', start: 'low', link: good, value: ladderThresholds.hd.up.kbps },
    { name: 'low down 180 kbit/s', start: 'low', link: good, value: ladderThresholds.low.down.kbps },
    { name: 'low up 300 kbit/s', start: 'audio', link: good, value: ladderThresholds.low.up.kbps },
    { name: 'audio down 20 kbit/s', start: 'audio', link: good, value: ladderThresholds.audio.down.kbps },
    { name: 'audio up 24 kbit/s', start: 'phone', link: good, value: ladderThresholds.audio.up.kbps },
    { name: 'hd loss 8 %', start: 'hd', link: (v) => ({ ...good(2000), lossFraction: v }), value: ladderThresholds.hd.down.loss },
    { name: 'audio loss 20 %', start: 'audio', link: (v) => ({ ...good(64), lossFraction: v }), value: ladderThresholds.audio.down.loss },
    { name: 'audio RTT 1.5 s', start: 'audio', link: (v) => ({ ...good(64), rttMs: v }), value: ladderThresholds.audio.down.rttMs },
    // Between the two edges of a rung: the link crosses both.
    { name: 'between hd edges', start: 'hd', link: good, value: Math.sqrt(ladderThresholds.hd.down.kbps * ladderThresholds.hd.up.kbps) },
    { name: 'between low edges', start: 'low', link: good, value: Math.sqrt(ladderThresholds.low.down.kbps * ladderThresholds.low.up.kbps) },
    { name: 'between audio edges', start: 'audio', link: good, value: Math.sqrt(ladderThresholds.audio.down.kbps * ladderThresholds.audio.up.kbps) }
  ];

  it.each(edges)('switches at most once per 30 s on a link alternating ±10 % around $name', ({ start, link, value }) => {
    const sim = new Sim(initialLadder({ start })).run(600, (i) => link(value * (i % 2 ? 1.1 : 0.9)));
    expect(sim.maxSwitchesPer30s(), JSON.stringify(sim.switches)).toBeLessThanOrEqual(1);
    expect(sim.switches.length).toBeLessThanOrEqual(2);
  });

  it.each(edges)('switches at most once per 30 s on a noisy random walk around $name', ({ start, link, value }) => {
    const seeds = [1, 2, 3, 5, 8, 13, 21, 34, ...(process.env.LADDER_SEED ? [Number(process.env.LADDER_SEED)] : [])];
    let total = 0;
    for (const seed of seeds) {
      const noise = gaussian(seededRandom(seed));
      // A mean-reverting walk in log space (≈ ±30 % at two standard deviations) plus ±5 % sample noise.
      let y = 0;
      const sim = new Sim(initialLadder({ start })).run(1800, () => {
        y = 0.9 * y + 0.07 * noise();
        return link(value * Math.exp(y) * (1 + 0.05 * noise()));
      });
      expect(sim.maxSwitchesPer30s(), `seed ${seed}: ${JSON.stringify(sim.switches.slice(0, 10))}`).toBeLessThanOrEqual(1);
      total += sim.switches.length;
    }
    // The walks do cross the edges (otherwise this would test nothing).
    expect(total).toBeGreaterThan(0);
  });
});

describe('the ladder: the forced ceiling', () => {
  it('switches down at once, is never exceeded, and lifting it steps up only after a stable period', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(60, () => good(3000));
    sim.force('audio');
    expect(sim.switches).toEqual([{ from: 'hd', to: 'audio', reason: 'forced', at: sim.at }]);
    sim.run(300, () => good(3000));
    expect(sim.rung).toBe('audio');
    expect(sim.switches).toHaveLength(1);

    // Lifted to 'low': low after the stable period, never HD.
    sim.force('low');
    expect(sim.switches).toHaveLength(1);
    const lifted = sim.at;
    sim.run(300, () => good(3000));
    expect(sim.switches.slice(1).map((s) => [s.from, s.to, s.reason])).toEqual([['audio', 'low', 'recovered']]);
    expect(sim.switches[1]!.at - lifted).toBeGreaterThanOrEqual(ladderTiming.stableMs);
    expect(sim.rung).toBe('low');

    // Lifted altogether.
    sim.force('hd');
    const liftedAll = sim.at;
    sim.run(60, () => good(3000));
    expect(sim.switches[2]).toMatchObject({ from: 'low', to: 'hd', reason: 'recovered' });
    expect(sim.switches[2]!.at - liftedAll).toBeGreaterThanOrEqual(ladderTiming.stableMs);
  });

  it('starts within the ceiling, keeps a lower rung when forcing a higher ceiling, and can force the phone', () => {
    expect(initialLadder({ start: 'hd', ceiling: 'audio' }).rung).toBe('audio');
    expect(initialLadder().rung).toBe('low');
    const low = initialLadder({ start: 'low' });
    expect(forceCeiling(low, 'hd', 0).changed).toBeUndefined();
    expect(forceCeiling(low, 'low', 0).changed).toBeUndefined();
    const phone = forceCeiling(low, 'phone', 0);
    expect(phone.changed).toEqual({ from: 'low', to: 'phone', reason: 'forced' });
    const sim = new Sim(phone.state).run(120, () => good(3000));
    expect(sim.switches).toEqual([]);
  });

  it('applies the ceiling to a fall: the rung reached is never above it', () => {
    const sim = new Sim(initialLadder({ start: 'hd', ceiling: 'low' })).run(120, () => good(3000));
    expect(sim.rungsSeen).toEqual(new Set(['low']));
  });
});

describe('the ladder state', () => {
  it('is plain data: a JSON round trip mid-call gives the same next steps, and steps do not change their input', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(40, () => good(2000)).run(3, () => good(64));
    const frozen = JSON.parse(JSON.stringify(sim.state)) as LadderState;
    const copy = JSON.stringify(sim.state);
    const a = new Sim(sim.state);
    const b = new Sim(frozen);
    a.at = b.at = sim.at;
    a.run(60, (i) => good(i < 20 ? 64 : 2000));
    b.run(60, (i) => good(i < 20 ? 64 : 2000));
    expect(JSON.stringify(sim.state)).toBe(copy);
    expect(a.switches).toEqual(b.switches);
    expect(rungs).toEqual(['hd', 'low', 'audio', 'phone']);
  });

  it('summarises the link for the call screen', () => {
    const sim = new Sim(initialLadder({ start: 'hd' })).run(30, () => good(2000));
    expect(linkSummary(sim.state)).toMatchObject({ rung: 'hd', quality: 'good', rttMs: 60 });
    sim.run(20, () => good(64));
    expect(linkSummary(sim.state)).toMatchObject({ rung: 'audio', quality: 'good' });
    sim.run(15, () => good(22));
    expect(linkSummary(sim.state)).toMatchObject({ rung: 'audio', quality: 'fair' });
    sim.run(3, () => ({ ...good(22), lossFraction: 0.5 }));
    expect(linkSummary(sim.state)).toMatchObject({ rung: 'audio', quality: 'poor' });
    sim.run(20, () => ({}));
    expect(linkSummary(sim.state)).toMatchObject({ rung: 'phone', quality: 'none' });
  });
});

describe('sender settings', () => {
  it('turns video off for audio and phone, with Opus at 12 kbit/s in 60 ms packets, DTX and FEC', () => {
    for (const rung of ['audio', 'phone'] as const) {
      expect(senderSettings(rung)).toEqual({ video: { active: false }, audio: { maxBitrateBps: 12_000, ptimeMs: 60, dtx: true, fec: true } });
    }
    expect(senderSettings('low').video).toEqual({ active: true, maxBitrateBps: 150_000, scaleResolutionDownBy: 4, maxFramerate: 15 });
    expect(senderSettings('hd').video.active).toBe(true);
  });

  it('keeps video within what each rung needs to go up to it, and returns copies', () => {
    expect(senderSettings('hd').video.maxBitrateBps! + senderSettings('hd').audio.maxBitrateBps).toBeLessThan(ladderThresholds.hd.up.kbps * 1000);
    expect(senderSettings('low').video.maxBitrateBps! + senderSettings('low').audio.maxBitrateBps).toBeLessThan(ladderThresholds.low.down.kbps * 1000);
    // Opus at 12 kbit/s, 60 ms: ≈ 16 kbit/s with 38 B a packet of IP, UDP and SRTP: under audio's 20 kbit/s floor.
    const a = senderSettings('audio').audio;
    expect(a.maxBitrateBps + (1000 / a.ptimeMs) * 38 * 8).toBeLessThan(ladderThresholds.audio.down.kbps * 1000);
    const s = senderSettings('low');
    s.video.maxBitrateBps = 1;
    expect(senderSettings('low').video.maxBitrateBps).toBe(150_000);
  });
});

describe('sampleFromStats', () => {
  // Entries as Chromium's getStats() gives them (field names as read in the call-stack probe), at t and t + 1 s.
  const report = (t: number, o: { lost: [number, number]; received: [number, number] }): Record<string, unknown>[] => [
    { id: 'T01', type: 'transport', timestamp: t, selectedCandidatePairId: 'CPa', dtlsState: 'connected' },
    { id: 'CPb', type: 'candidate-pair', timestamp: t, nominated: false, state: 'failed', availableOutgoingBitrate: 9_000_000, currentRoundTripTime: 0.001 },
    { id: 'CPa', type: 'candidate-pair', timestamp: t, nominated: true, state: 'succeeded', availableOutgoingBitrate: 1_512_000, currentRoundTripTime: 0.045, bytesSent: 123456 },
    { id: 'OTa', type: 'outbound-rtp', kind: 'audio', ssrc: 1111, targetBitrate: 32000, packetsSent: 500 },
    { id: 'OTv', type: 'outbound-rtp', kind: 'video', ssrc: 2222, targetBitrate: 1_200_000, qualityLimitationReason: 'bandwidth', frameWidth: 640 },
    { id: 'RIa', type: 'remote-inbound-rtp', kind: 'audio', ssrc: 1111, roundTripTime: 0.052, fractionLost: 0, packetsLost: 2, jitter: 0.004 },
    { id: 'RIv', type: 'remote-inbound-rtp', kind: 'video', ssrc: 2222, roundTripTime: 0.061, fractionLost: 0.0390625, packetsLost: 40, jitter: 0.012 },
    { id: 'ITa', type: 'inbound-rtp', kind: 'audio', ssrc: 3333, packetsLost: o.lost[0], packetsReceived: o.received[0], jitter: 0.008 },
    { id: 'ITv', type: 'inbound-rtp', kind: 'video', ssrc: 4444, packetsLost: o.lost[1], packetsReceived: o.received[1], jitter: 0.021, framesDecoded: 300, framesPerSecond: 15 },
    { id: 'COT01_111', type: 'codec', mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, sdpFmtpLine: 'minptime=10;useinbandfec=1' }
  ];
  const before = report(1000, { lost: [0, 10], received: [500, 1000] });
  const now = report(2000, { lost: [0, 20], received: [550, 1090] });

  it('reads the selected pair, the remote reports and the inbound deltas', () => {
    const s = sampleFromStats(now, 2000, before);
    expect(s.at).toBe(2000);
    expect(s.availableOutgoingKbps).toBe(1512);
    expect(s.rttMs).toBeCloseTo(61); // the largest of the pair's 45 ms and the remote reports' 52 and 61 ms
    // Incoming: 10 lost of 150 expected (6.7 %) is worse than the 3.9 % the other side reports.
    expect(s.lossFraction).toBeCloseTo(10 / 150);
    expect(s.jitterMs).toBeCloseTo(21);
    expect(s.receivedPackets).toBe(140);
  });

  it('takes an RTCStatsReport-like map, and without a previous report uses what the other side reports', () => {
    const map = new Map(now.map((s) => [String(s.id), s]));
    const s = sampleFromStats(map, 2000);
    expect(s).toEqual({ at: 2000, availableOutgoingKbps: 1512, rttMs: 61, lossFraction: 0.0390625, jitterMs: 21 });
    const withPrevious = sampleFromStats(map, 2000, new Map(before.map((x) => [String(x.id), x])));
    expect(withPrevious.receivedPackets).toBe(140);
  });

  it('finds the pair without a transport entry (nominated and succeeded, or Firefox’s selected) and tolerates missing fields', () => {
    const pairs = [
      { id: 'a', type: 'candidate-pair', nominated: true, state: 'in-progress', availableOutgoingBitrate: 1 },
      { id: 'b', type: 'candidate-pair', nominated: true, state: 'succeeded', availableOutgoingBitrate: 64_000, currentRoundTripTime: 0.3 }
    ];
    expect(sampleFromStats(pairs, 5)).toEqual({ at: 5, availableOutgoingKbps: 64, rttMs: 300 });
    expect(sampleFromStats([{ id: 'f', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.2 }], 5)).toEqual({ at: 5, rttMs: 200 });
    expect(sampleFromStats([], 7)).toEqual({ at: 7 });
    expect(sampleFromStats([{ type: 'inbound-rtp', id: 'x' }, { type: 'remote-inbound-rtp', fractionLost: 'NaN' }, null, 3] as unknown as Record<string, unknown>[], 7, [])).toEqual({ at: 7 });
  });

  it('reports no packets received when the inbound counters stand still, and survives a restarted stream', () => {
    expect(sampleFromStats(before, 2000, before).receivedPackets).toBe(0);
    const restarted = report(3000, { lost: [0, 1], received: [20, 30] });
    const s = sampleFromStats(restarted.filter((x) => x.type !== 'remote-inbound-rtp'), 3000, now);
    expect(s.receivedPackets).toBe(50);
    expect(s.lossFraction).toBeCloseTo(1 / 51);
  });

  it('gives samples the ladder acts on', () => {
    let state = initialLadder({ start: 'hd' });
    let previous = before;
    for (let t = 1; t <= 20; t++) {
      const next = report(1000 * t, { lost: [0, 10], received: [500 + 50 * t, 1000 + 90 * t] }).map((s) =>
        s.id === 'CPa' ? { ...s, availableOutgoingBitrate: t > 10 ? 60_000 : 2_000_000 } : s
      );
      state = stepLadder(state, sampleFromStats(next, 1000 * t, previous)).state;
      previous = next;
    }
    expect(state.rung).toBe('audio');
  });
});

describe('audioSdp', () => {
  const offer = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS 5b1f5cba-4c8b-4e3b-9a46-4b2a3c1d7e10',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:Xk3v',
    'a=ice-pwd:2rS6xWnq8bQ0c5yR7fHjKp1L',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 3A:7C:9E:12:44:B0:8F:61:2D:5A:C3:19:E7:04:6B:88:D2:1F:90:AB:3E:77:C5:08:61:4D:2A:9F:B3:5E:10:C7',
    'a=setup:actpass',
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:5b1f5cba-4c8b-4e3b-9a46-4b2a3c1d7e10 8d0c1f2e-6a3b-4c5d-9e8f-0a1b2c3d4e5f',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:63 111/111',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:13 CN/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:126 telephone-event/8000',
    'a=ssrc:1111 cname:q3Yl0aZ2Hn8TnLwV',
    'a=ssrc:1111 msid:5b1f5cba-4c8b-4e3b-9a46-4b2a3c1d7e10 8d0c1f2e-6a3b-4c5d-9e8f-0a1b2c3d4e5f',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 45',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:Xk3v',
    'a=ice-pwd:2rS6xWnq8bQ0c5yR7fHjKp1L',
    'a=ice-options:trickle',
    'a=setup:actpass',
    'a=mid:1',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:96 VP8/90000',
    'a=rtcp-fb:96 goog-remb',
    'a=rtcp-fb:96 transport-cc',
    'a=rtcp-fb:96 ccm fir',
    'a=rtcp-fb:96 nack',
    'a=rtcp-fb:96 nack pli',
    'a=rtpmap:97 rtx/90000',
    'a=fmtp:97 apt=96',
    'a=rtpmap:102 H264/90000',
    'a=rtcp-fb:102 nack pli',
    'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
    'a=rtpmap:103 rtx/90000',
    'a=fmtp:103 apt=102',
    'a=rtpmap:45 AV1/90000',
    'a=fmtp:45 level-idx=5;profile=0;tier=0',
    'a=ptime:20',
    'a=ssrc:2222 cname:q3Yl0aZ2Hn8TnLwV',
    ''
  ].join('\r\n');

  /** The lines of b that are not in a, and the lines of a that are not in b. */
  const diff = (a: string, b: string) => {
    const la = a.split('\r\n');
    const lb = b.split('\r\n');
    return { added: lb.filter((l) => !la.includes(l)), removed: la.filter((l) => !lb.includes(l)) };
  };

  it('sets Opus to 12 kbit/s, 60 ms packets, DTX and FEC for audio and phone, and changes nothing else', () => {
    for (const rung of ['audio', 'phone'] as const) {
      const munged = audioSdp(offer, rung);
      expect(diff(offer, munged)).toEqual({
        added: ['a=fmtp:111 minptime=60;useinbandfec=1;usedtx=1;maxaveragebitrate=12000', 'a=ptime:60'],
        removed: ['a=fmtp:111 minptime=10;useinbandfec=1']
      });
      // The video section's own a=ptime line (meaningless there, but someone else's) is left alone.
      expect(munged.split('\r\n').filter((l) => l === 'a=ptime:20')).toHaveLength(1);
      expect(munged.endsWith('\r\n')).toBe(true);
      // a=ptime belongs to the audio section.
      const audioSection = munged.slice(munged.indexOf('m=audio'), munged.indexOf('m=video'));
      expect(audioSection).toContain('a=ptime:60\r\n');
    }
  });

  it('is idempotent, and going back up restores sensible values', () => {
    const once = audioSdp(offer, 'audio');
    expect(audioSdp(once, 'audio')).toBe(once);
    const hd = audioSdp(once, 'hd');
    expect(audioSdp(hd, 'hd')).toBe(hd);
    expect(diff(offer, hd).added).toEqual(['a=fmtp:111 minptime=10;useinbandfec=1;usedtx=0;maxaveragebitrate=32000']);
    expect(audioSdp(offer, 'low')).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;maxaveragebitrate=16000\r\n');
    expect(audioSdp(offer, 'low').match(/a=ptime:40/g)).toHaveLength(1);
  });

  it('keeps other Opus parameters, adds a missing fmtp line, and leaves SDP without Opus as it is', () => {
    const stereo = offer.replace('a=fmtp:111 minptime=10;useinbandfec=1', 'a=fmtp:111 stereo=1; sprop-stereo=1;USEDTX=0;useinbandfec=0');
    expect(audioSdp(stereo, 'audio')).toContain('a=fmtp:111 stereo=1;sprop-stereo=1;USEDTX=1;useinbandfec=1;minptime=60;maxaveragebitrate=12000\r\n');
    const noFmtp = offer.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\n', '');
    expect(audioSdp(noFmtp, 'audio')).toContain('a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=60;useinbandfec=1;usedtx=1;maxaveragebitrate=12000\r\n');
    const noOpus = 'v=0\nm=audio 9 RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=ptime:20\n';
    expect(audioSdp(noOpus, 'audio')).toBe(noOpus);
    expect(audioSdp('v=0\nm=audio 9 RTP/AVP 109\na=rtpmap:109 opus/48000/2\na=fmtp:109 maxplaybackrate=16000', 'phone')).toBe(
      'v=0\nm=audio 9 RTP/AVP 109\na=rtpmap:109 opus/48000/2\na=fmtp:109 maxplaybackrate=16000;minptime=60;useinbandfec=1;usedtx=1;maxaveragebitrate=12000\na=ptime:60'
    );
  });
});
