// `npm run bench:calls` (root): calls through the SFU on shaped links, measured. Chromium pages in a network
// namespace reach the server (with Janus) over a veth pair shaped with `tc tbf` (e2e/lib/sfu-lab.ts); bytes are
// counted on the veth. Writes bench-results/calls.json. The keys and what each measures:
//
//   audioOnly.wireKbps           two participants on the audio level: IP+UDP+SRTP per direction per participant
//                                (the veth's bytes less 14 B of Ethernet per frame), over 20 s; `upKbps` and
//                                `downKbps` are both participants together
//   recording.kbPerMinute        the same call recorded (both consent) for 30 s: the larger audio file, KB a minute
//   precheck.withinPct           the pre-call probe (app/lib/calls/probe.ts) on links shaped to 256 and 1,000 kbit/s:
//                                the worse distance of its estimate from the shaped rate, %
//   ladder.stepDownSeconds       a video call with the ladder of the call screen (stepLadder on getStats every second,
//                                the rung's sender settings): the link cut from 2 Mbit/s to 64 kbit/s until the video
//                                is off and audio flows; the median of the 20 cuts that found the call on video
//                                (`cutsFromVideo`; the worst: `stepDownWorstSeconds`)
//   ladder.dropped               calls dropped in those 20 cuts (publisher not connected, or no audio for 5 s)
//   ladder.switchesPer30s        a link hovering at the low rung's edge (170 ↔ 200 kbit/s every 2 s for 60 s)
//   withSync.audioLossPct        an audio-only call on 64 kbit/s while a 200 KB download runs over the same link
//                                (a raw transfer: the worst case, as the app pauses bulk sync during audio-only calls)
//   audioBridge.perStationKbps   five participants in the consultation's AudioBridge (one mixed stream down each):
//                                IP bytes both ways per participant
//   setup.seconds                a guest's invitation link → audio flowing, with 300 ms added to the page's HTTP
//                                round trips (CDP, which does not delay WebSocket messages; tc here cannot delay)
import { mkdirSync, writeFileSync } from 'node:fs';
import type { CDPSession, Page } from '@playwright/test';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { device, waitFor } from '../../sync-server/test/harness';
import { callStats, joinCall, labProblem, recordingAction, savedRecording, sfuTicket, startLab, type Lab, type LabApi, type Rung } from '../../e2e/lib/sfu-lab';

const problem = labProblem();
if (problem) {
  console.error(`bench:calls: ${problem}`);
  process.exit(1);
}

const log = (s: string) => console.log(`bench:calls: ${s}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function request(lab: Lab, id: string) {
  const yty = await device(lab.system.url, 'tram.yty');
  yty.store.edit(docId('patient', 'patient-demo-0001'), { kind: 'patient', unitId: 'tyt-02701', patientId: 'patient-demo-0001' }, (y) => writeFields(mainRecord(y, 'patient'), { occupation: 'Làm ruộng' }));
  yty.store.edit(docId('request', id), { kind: 'request', unitId: 'tyt-02701', patientId: 'patient-demo-0001', peerUnitId: 'ttyt-bat-xat' }, (y) => writeFields(mainRecord(y, 'request'), { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() }));
  await yty.client.localChange();
  await yty.synced();
  yty.client.stop();
}

/** Two participants (the station and the doctor) in the request's SFU call. */
async function twoInCall(lab: Lab, requestId: string, opts: { video: boolean; rung: Rung }): Promise<[Page, Page, () => Promise<void>]> {
  const a = await lab.page();
  const b = await lab.page();
  await joinCall(lab, a.page, await sfuTicket(lab, 'tram.yty', requestId), opts);
  await joinCall(lab, b.page, await sfuTicket(lab, 'bacsi.batxat', requestId), opts);
  await waitFor(async () => (await callStats(a.page)).audioBytes > 1_000 && (await callStats(b.page)).audioBytes > 1_000, 60_000, 'audio both ways');
  return [a.page, b.page, async () => void (await Promise.all([a.context.close(), b.context.close()]))];
}

/** IP bytes (the veth's less Ethernet headers) the pages sent and received between two readings. */
function ipBytes(before: ReturnType<Lab['counters']>, after: ReturnType<Lab['counters']>) {
  return { up: after.rxBytes - before.rxBytes - 14 * (after.rxPackets - before.rxPackets), down: after.txBytes - before.txBytes - 14 * (after.txPackets - before.txPackets) };
}

/** After 3 s to settle, the IP bytes through the pages' link over 20 s. */
async function measureLink(lab: Lab) {
  await sleep(3_000);
  const before = lab.counters();
  const t0 = Date.now();
  await sleep(20_000);
  return { bytes: ipBytes(before, lab.counters()), seconds: (Date.now() - t0) / 1000 };
}


async function audioOnlyAndRecording(lab: Lab) {
  const [station, doctor, close] = await twoInCall(lab, 'r-bench-audio', { video: false, rung: 'audio' });
  const { bytes, seconds } = await measureLink(lab);
  const wireKbps = round(Math.max(bytes.up, bytes.down) / 2 / seconds / 125);
  log(`audio only: ${round(bytes.up / seconds / 125)} kbit/s up, ${round(bytes.down / seconds / 125)} kbit/s down for two participants → ${wireKbps} kbit/s per direction each`);

  await recordingAction(station, 'ask');
  await recordingAction(doctor, 'consent');
  await sleep(30_000);
  await recordingAction(station, 'stop');
  const rec = await savedRecording(lab, 'r-bench-audio');
  const minutes = (Date.parse(rec.stoppedAt) - Date.parse(rec.startedAt)) / 60_000;
  const audioBytes = Math.max(0, ...rec.files.filter((f) => f.kind === 'audio').map((f) => f.bytes));
  const kbPerMinute = round(audioBytes / 1024 / minutes);
  log(`recording: ${rec.files.length} files, the larger audio ${audioBytes} B over ${round(minutes * 60)} s → ${kbPerMinute} KB/min`);
  await close();
  return { audioOnly: { wireKbps, upKbps: round(bytes.up / seconds / 125), downKbps: round(bytes.down / seconds / 125), seconds: round(seconds) }, recording: { kbPerMinute, files: rec.files.length, seconds: round(minutes * 60) } };
}

async function precheck(lab: Lab) {
  const { page, context } = await lab.page();
  const token = await lab.token('tram.yty');
  const results: { rateKbit: number; estimateKbps: number; withinPct: number }[] = [];
  for (const rateKbit of [256, 1000]) {
    lab.shape(rateKbit);
    const estimate = await page.evaluate(
      async ({ origin, token }) => {
        const w = window as unknown as { Lab: LabApi };
        const r = await w.Lab.probeLink((bytes, signal) => fetch(`${origin}/api/calls/probe?bytes=${bytes}`, { signal, cache: 'no-store', headers: { authorization: `Bearer ${token}` } }));
        return r.kbps ?? 0;
      },
      { origin: lab.pageOrigin, token }
    );
    results.push({ rateKbit, estimateKbps: round(estimate), withinPct: round((Math.abs(estimate - rateKbit) / rateKbit) * 100) });
    log(`precheck: shaped ${rateKbit} kbit/s, the probe says ${round(estimate)} kbit/s`);
  }
  lab.shape(undefined);
  await context.close();
  return { withinPct: Math.max(...results.map((r) => r.withinPct)), runs: results };
}

/** Starts the call screen's ladder in a page in a call: every second getStats → stepLadder → the rung's senders. */
async function startLadder(page: Page, start: Rung) {
  await page.evaluate((start) => {
    const w = window as unknown as { Lab: LabApi; call: InstanceType<LabApi['SfuCall']>; ladder?: object };
    let state = w.Lab.initialLadder({ start: start as Rung });
    let previous: RTCStatsReport | undefined;
    const ladder = {
      rung: state.rung as string,
      switches: [] as { at: number; to: string }[],
      /** The browser's latest estimate of the bandwidth it may use, kbit/s. */
      kbps: 0,
      /** Held: no stepping (the senders stay as they are) while the link recovers between two cuts. */
      held: false,
      reset(s: string) {
        state = w.Lab.initialLadder({ start: s as Rung });
        ladder.rung = state.rung;
        void apply(state.rung);
      }
    };
    w.ladder = ladder;
    const apply = async (rung: Rung) => {
      const pc = w.call.publisherPc;
      const s = w.Lab.senderSettings(rung);
      await w.call.receiveVideo(s.video.active).catch(() => undefined);
      if (pc) await w.Lab.applySenderSettings(pc, s);
    };
    void apply(state.rung);
    setInterval(async () => {
      const pc = w.call.publisherPc;
      if (!pc) return;
      const report = await pc.getStats();
      const sample = w.Lab.sampleFromStats(report.values(), Date.now(), previous?.values());
      previous = report;
      ladder.kbps = sample.availableOutgoingKbps ?? 0;
      if (ladder.held) return;
      const step = w.Lab.stepLadder(state, sample);
      state = step.state;
      if (step.changed) {
        ladder.rung = step.rung;
        ladder.switches.push({ at: Date.now(), to: step.rung });
        await apply(step.rung);
      }
    }, 1000);
  }, start);
}

type Rung_ = { rung: string; switches: { at: number; to: string }[]; kbps: number; held: boolean; reset(s: string): void };
const ladderOf = (page: Page) => page.evaluate(() => (window as unknown as { ladder: Rung_ }).ladder);

async function ladder(lab: Lab) {
  lab.shape(2000);
  const [station, doctor, close] = await twoInCall(lab, 'r-bench-ladder', { video: true, rung: 'low' });
  await startLadder(station, 'low');
  const cuts: number[] = [];
  let dropped = 0;
  for (let i = 0; i < 20; i++) {
    // The link back at 2 Mbit/s, the video on at the low rung, the ladder held until the browser's estimate has
    // recovered above the low rung's limits (it climbs a few percent a second, and a sender capped at the low rung
    // cannot show much more than 300 kbit/s), then running again from the low rung for 3 s before the cut.
    lab.shape(2000);
    await station.evaluate(() => {
      const l = (window as unknown as { ladder: Rung_ }).ladder;
      l.held = true;
      l.reset('low');
    });
    await waitFor(async () => (await ladderOf(station)).kbps >= 250, 30_000, 'the estimate recovered').catch(async () => log(`cut ${i + 1}: the estimate stayed at ${Math.round((await ladderOf(station)).kbps)} kbit/s`));
    await station.evaluate(() => {
      const l = (window as unknown as { ladder: Rung_ }).ladder;
      l.reset('low');
      l.held = false;
    });
    await sleep(3_000);
    // A cut counts for the time it takes only when the call was on video (the low rung) when the link fell.
    const fromVideo = (await ladderOf(station)).rung === 'low';
    if (!fromVideo) log(`cut ${i + 1}: the ladder had left the low rung before the cut (the browser's estimate had not recovered)`);
    const cutAt = Date.now();
    lab.shape(64);
    let down: number | undefined;
    await waitFor(
      async () => {
        if ((await ladderOf(station)).rung !== 'audio') return false;
        down = (Date.now() - cutAt) / 1000;
        return true;
      },
      20_000,
      'the step down'
    ).catch(() => undefined);
    // Still a call: the publisher connected and the doctor's voice still arriving (and the station's at the doctor).
    const before = await Promise.all([callStats(station), callStats(doctor)]);
    await sleep(3_000);
    const after = await Promise.all([callStats(station), callStats(doctor)]);
    const alive = after.every((s, k) => s.publisher === 'connected' && s.audioBytes > before[k]!.audioBytes);
    if (!alive || down === undefined) dropped++;
    if (down !== undefined && fromVideo) cuts.push(down);
    log(`ladder cut ${i + 1}: ${down === undefined ? 'no step down' : `audio after ${round(down)} s`}${alive ? '' : ', audio stalled'}`);
  }
  // A link hovering at the low rung's edge (step down below 180 kbit/s): 170 ↔ 200 kbit/s every 2 s for 60 s.
  lab.shape(2000);
  await station.evaluate(() => {
    const l = (window as unknown as { ladder: Rung_ }).ladder;
    l.held = true;
    l.reset('low');
  });
  await waitFor(async () => (await ladderOf(station)).kbps >= 250, 60_000, 'the estimate recovered').catch(() => undefined);
  await station.evaluate(() => {
    const l = (window as unknown as { ladder: Rung_ }).ladder;
    l.reset('low');
    l.held = false;
  });
  await sleep(3_000);
  const atStart = await ladderOf(station);
  const from = atStart.switches.length;
  const hoverStart = Date.now();
  for (let t = 0; t < 30; t++) {
    lab.shape(t % 2 ? 200 : 170);
    await sleep(2_000);
  }
  const switches = (await ladderOf(station)).switches.slice(from);
  const hoverSeconds = (Date.now() - hoverStart) / 1000;
  log(`ladder hover: from ${atStart.rung}, ${switches.length} switches in ${round(hoverSeconds)} s (${switches.map((s) => s.to).join(' → ') || 'none'})`);
  lab.shape(undefined);
  await close();
  return {
    stepDownSeconds: cuts.length ? round(median(cuts)) : null,
    stepDownWorstSeconds: cuts.length ? round(Math.max(...cuts)) : null,
    cuts: 20,
    cutsFromVideo: cuts.length,
    dropped,
    switchesPer30s: round((switches.length * 30) / hoverSeconds, 2)
  };
}

async function withSync(lab: Lab) {
  lab.shape(64);
  const [station, , close] = await twoInCall(lab, 'r-bench-sync', { video: false, rung: 'audio' });
  await sleep(3_000);
  const before = await callStats(station);
  const token = await lab.token('tram.yty');
  const t0 = Date.now();
  // 200 KB down the same 64 kbit/s link, in 50 KB pieces (the probe's body: incompressible bytes).
  const got = await station.evaluate(
    async ({ origin, token }) => {
      let n = 0;
      for (let i = 0; i < 4; i++) n += (await (await fetch(`${origin}/api/calls/probe?bytes=51200`, { cache: 'no-store', headers: { authorization: `Bearer ${token}` } })).arrayBuffer()).byteLength;
      return n;
    },
    { origin: lab.pageOrigin, token }
  );
  const after = await callStats(station);
  const received = after.audioPackets - before.audioPackets;
  const lost = after.audioLost - before.audioLost;
  const audioLossPct = round((lost / Math.max(1, received + lost)) * 100, 2);
  log(`with a ${got} B download on 64 kbit/s (${round((Date.now() - t0) / 1000)} s): ${received} audio packets received, ${lost} lost → ${audioLossPct} %`);
  lab.shape(undefined);
  await close();
  return { audioLossPct, packets: received, lost, downloadBytes: got };
}

async function audioBridge(lab: Lab) {
  // Five participants: the station, the doctor and three guests invited by link.
  const tickets = [await sfuTicket(lab, 'tram.yty', 'r-bench-bridge'), await sfuTicket(lab, 'bacsi.batxat', 'r-bench-bridge')];
  for (let i = 0; i < 3; i++) {
    const made = await fetch(`${lab.system.url}/api/calls/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await lab.token('bacsi.batxat')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'r-bench-bridge', name: `Khách ${i + 1}` })
    });
    const invite = new URL(((await made.json()) as { link: string }).link, lab.system.url).searchParams.get('i');
    const joined = await fetch(`${lab.system.url}/api/invite/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invite }) });
    tickets.push((await joined.json()) as { ticket: string; path: string });
  }
  const pages: { page: Page; close: () => Promise<void> }[] = [];
  for (const ticket of tickets) {
    const { page, context } = await lab.page();
    await page.evaluate(
      async ({ url, ticket }) => {
        // The AudioBridge through the app's SFU client: join with Opus at 12 kbit/s, one mixed stream down.
        const w = window as unknown as { Lab: LabApi; bridge: RTCPeerConnection };
        const local = await navigator.mediaDevices.getUserMedia({ audio: true });
        const connection = await w.Lab.SfuConnection.connect(url, ticket, (u) => new WebSocket(u));
        const handle = await connection.attach('audiobridge');
        const pc = new RTCPeerConnection({ iceServers: [] });
        w.bridge = pc;
        pc.onicecandidate = (e) => handle.trickle(e.candidate ? e.candidate.toJSON() : null);
        pc.ontrack = (e) => {
          const el = document.createElement('audio');
          el.autoplay = true;
          el.srcObject = new MediaStream([e.track]);
          document.body.append(el);
        };
        for (const track of local.getTracks()) pc.addTrack(track, local);
        const offer = await pc.createOffer();
        const sdp = { type: offer.type, sdp: w.Lab.audioSdp(offer.sdp ?? '', 'audio') };
        await pc.setLocalDescription(sdp);
        const joined = await handle.message({ request: 'join', muted: false, codec: 'opus', bitrate: 12_000, quality: 4, expected_loss: 10 }, sdp);
        if (joined.jsep) await pc.setRemoteDescription({ type: joined.jsep.type, sdp: w.Lab.audioSdp(joined.jsep.sdp ?? '', 'audio') });
        for (const sender of pc.getSenders()) {
          const params = sender.getParameters();
          for (const e of params.encodings ?? []) e.maxBitrate = 12_000;
          await sender.setParameters(params).catch(() => undefined);
        }
      },
      { url: `${lab.origin.replace(/^http/, 'ws')}${ticket.path}`, ticket: ticket.ticket }
    );
    pages.push({ page, close: () => context.close() });
  }
  const inbound = (page: Page) =>
    page.evaluate(async () => {
      let bytes = 0;
      for (const s of (await (window as unknown as { bridge: RTCPeerConnection }).bridge.getStats()).values()) if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived ?? 0;
      return bytes;
    });
  await waitFor(async () => (await Promise.all(pages.map((p) => inbound(p.page)))).every((b) => b > 2_000), 60_000, 'the mix reaching everyone');
  const { bytes, seconds } = await measureLink(lab);
  const perStationKbps = round((bytes.up + bytes.down) / pages.length / seconds / 125);
  log(`audio bridge: five participants, ${round(bytes.up / seconds / 125)} kbit/s up and ${round(bytes.down / seconds / 125)} kbit/s down in all → ${perStationKbps} kbit/s each, both ways`);
  for (const p of pages) await p.close();
  return { perStationKbps, participants: pages.length };
}

async function setup(lab: Lab) {
  // The station waits in the call; the guest opens the link with 300 ms added to its round trips.
  const station = await lab.page();
  await joinCall(lab, station.page, await sfuTicket(lab, 'tram.yty', 'r-bench-setup'), { video: false, rung: 'audio' });
  const made = await fetch(`${lab.system.url}/api/calls/invites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await lab.token('tram.yty')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requestId: 'r-bench-setup', name: 'Khách' })
  });
  const invite = new URL(((await made.json()) as { link: string }).link, lab.system.url).searchParams.get('i');
  const guest = await lab.page();
  const cdp: CDPSession = await guest.context.newCDPSession(guest.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: -1, uploadThroughput: -1 });
  const t0 = Date.now();
  const joined = await guest.page.evaluate(
    async ({ origin, invite }) => {
      const res = await fetch(`${origin}/api/invite/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invite }) });
      return (await res.json()) as { ticket: string; path: string };
    },
    { origin: lab.pageOrigin, invite }
  );
  const ticketAt = Date.now();
  await joinCall(lab, guest.page, joined, { video: false, rung: 'audio' });
  const joinedAt = Date.now();
  await waitFor(async () => (await callStats(guest.page)).audioBytes > 0, 30_000, 'audio at the guest');
  log(`setup: ticket ${ticketAt - t0} ms, joined and published ${joinedAt - ticketAt} ms, first audio ${Date.now() - joinedAt} ms later`);
  const seconds = round((Date.now() - t0) / 1000, 2);
  log(`setup: invitation link → audio flowing in ${seconds} s (300 ms added to each HTTP round trip; CDP does not delay the WebSocket's messages)`);
  await guest.context.close();
  await station.context.close();
  return { seconds, addedRttMs: 300 };
}

/** `--only=audio,precheck,bridge,setup,sync,ladder`: some parts (the JSON then lacks the others). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

async function main() {
  const started = Date.now();
  const lab = await startLab();
  try {
    for (const id of ['r-bench-audio', 'r-bench-ladder', 'r-bench-sync', 'r-bench-bridge', 'r-bench-setup']) await request(lab, id);
    const run = <T>(part: string, fn: () => Promise<T>) => (only && !only.includes(part) ? Promise.resolve(undefined) : fn());
    const audio = await run('audio', () => audioOnlyAndRecording(lab));
    const pre = await run('precheck', () => precheck(lab));
    const bridge = await run('bridge', () => audioBridge(lab));
    const setUp = await run('setup', () => setup(lab));
    const sync = await run('sync', () => withSync(lab));
    const ladderResult = await run('ladder', () => ladder(lab));
    const summary = {
      audioOnly: audio?.audioOnly,
      audioBridge: bridge,
      ladder: ladderResult,
      precheck: pre,
      setup: setUp,
      withSync: sync,
      recording: audio?.recording,
      targets: {
        'audioOnly.wireKbps': 16,
        'audioBridge.perStationKbps': 64,
        'ladder.stepDownSeconds': 5,
        'ladder.dropped': 0,
        'ladder.switchesPer30s': 1,
        'precheck.withinPct': 25,
        'setup.seconds': 3,
        'withSync.audioLossPct': 2,
        'recording.kbPerMinute': 100
      },
      seconds: Math.round((Date.now() - started) / 1000)
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(only ? 'bench-results/calls-partial.json' : 'bench-results/calls.json', JSON.stringify(summary, null, 2) + '\n');
    console.log(JSON.stringify(summary));
  } finally {
    await lab.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:calls: ${String(err)}`);
    process.exit(1);
  }
);
