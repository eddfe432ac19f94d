// `npm run e2e:sfu-media` (root): media through the SFU, end to end. Janus gathers no ICE candidate on loopback, so
// the two Chromium pages run in a network namespace joined to this host by a veth pair; the server (with Janus,
// SFU=required, ICE on the host's end of the pair) runs here, reached through a TCP relay on the pair's host address.
// Each page uses the app's own SFU client (app/lib/calls/sfu-client.ts, bundled) with a call ticket of a demo
// account: both publish their fake camera and microphone into the consultation's VideoRoom and subscribe to the
// other; the check is that each decodes the other's video frames and receives audio through Janus, and that the
// audio-only switch (`receiveVideo(false)`) stops the video coming down while the audio goes on. Then the call is
// recorded with consent (circular 49 art. 7.2): the station asks, nothing records until the doctor consents, 20 s
// are recorded, the recording is stopped, converted by janus-pp-rec and listed in the case, and its audio file is
// fetched and is Ogg Opus. The pages publish with the audio rung's Opus settings (`audioSdp`), so the audio file's
// size per minute is what an audio-only consultation's recording costs (`recording.kbPerMinute`).
// Prints one JSON line of results and exits 0 when every check holds.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from '@playwright/test';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { findJanus } from '@telehealth/sfu';
import { device, login, startTestSystem, waitFor } from '../sync-server/test/harness';

const ns = 'thsfu';
const hostIf = 'thsfu-host';
const nsIf = 'thsfu-ns';
const hostAddress = '10.204.0.1';
const pageAddress = '10.204.0.2';
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** The server's log lines about calls and the SFU, printed when a check fails. */
let serverLogs: string[] = [];

function fail(message: string): never {
  for (const line of serverLogs.filter((l) => /"event":"(sfu|calls)\.(?!janus)/.test(l)).slice(-40)) process.stderr.write(`  ${line}\n`);
  process.stderr.write(`sfu-media: ${message}\n`);
  process.exit(1);
}

if (process.getuid?.() !== 0) fail('needs root (it creates a network namespace and a veth pair)');
if (!findJanus()) fail('Janus is not installed: apt-get install -y janus');
if (!existsSync('/usr/bin/chromium')) fail('Chromium is not installed: apt-get install -y chromium');

function tearDown() {
  for (const step of [() => sh('ip', ['link', 'del', hostIf]), () => sh('ip', ['netns', 'del', ns])]) {
    try {
      step();
    } catch {
      // Not there: nothing to remove.
    }
  }
}

function setUp() {
  tearDown();
  sh('ip', ['netns', 'add', ns]);
  sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
  sh('ip', ['link', 'set', nsIf, 'netns', ns]);
  sh('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', hostIf]);
  sh('ip', ['link', 'set', hostIf, 'up']);
  sh('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', `${pageAddress}/24`, 'dev', nsIf]);
  sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
  sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
}

/** Relays TCP from the pair's host address to the server on loopback (the demo accounts keep it on loopback). */
function relay(targetPort: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  return new Promise((resolve) => server.listen(0, hostAddress, () => resolve(server)));
}

type PageStats = { framesDecoded: number; audioBytes: number; remotes: number; publisher: string };

async function main() {
  setUp();
  // Outside vitest: the embedded database (or the one the test command started).
  const system = await startTestSystem({ ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : { embedded: true }), env: { SFU: 'required', SFU_ICE_INTERFACE: hostIf } });
  serverLogs = system.logs;
  const tcp = await relay(system.port);
  const origin = `http://${hostAddress}:${(tcp.address() as net.AddressInfo).port}`;
  // The test page comes from a server of its own on the pair (the server serves no such page).
  const pageServer = createServer();
  await new Promise<void>((resolve) => pageServer.listen(0, hostAddress, () => resolve()));
  const pageOrigin = `http://${hostAddress}:${(pageServer.address() as net.AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'telehealth-sfu-media-'));
  const wrapper = path.join(dir, 'chromium-in-namespace.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} /usr/bin/chromium "$@"\n`);
  chmodSync(wrapper, 0o755);
  const browser = await chromium.launch({
    executablePath: wrapper,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // getUserMedia needs a secure context; this test origin is plain HTTP on the veth. Its ws: twin is listed too,
      // or the page, now "secure", may not open a plain WebSocket (mixed content).
      `--unsafely-treat-insecure-origin-as-secure=${pageOrigin},${origin},${origin.replace(/^http/, 'ws')}`
    ]
  });
  try {
    const yty = await device(system.url, 'tram.yty');
    yty.store.edit(docId('patient', 'patient-demo-0001'), { kind: 'patient', unitId: 'tyt-02701', patientId: 'patient-demo-0001' }, (y) => writeFields(mainRecord(y, 'patient'), { occupation: 'Làm ruộng' }));
    yty.store.edit(docId('request', 'r-media'), { kind: 'request', unitId: 'tyt-02701', patientId: 'patient-demo-0001', peerUnitId: 'ttyt-bat-xat' }, (y) => writeFields(mainRecord(y, 'request'), { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() }));
    await yty.client.localChange();
    await yty.synced();
    yty.client.stop();

    const entry = path.join(dir, 'entry.ts');
    writeFileSync(entry, `export * from ${JSON.stringify(path.join(root, 'app/lib/calls/sfu-client.ts'))};\nexport { audioSdp } from ${JSON.stringify(path.join(root, 'packages/domain/calls.ts'))};\n`);
    const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'Sfu', write: false, target: 'es2022' });
    const script = bundle.outputFiles[0]!.text;
    const html = `<!doctype html><meta charset="utf-8"><title>sfu media</title><body><script>${script}</script></body>`;
    pageServer.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));

    const tokens = new Map<string, string>();
    const open = async (username: string): Promise<Page> => {
      const { accessToken } = await login(system.url, username);
      tokens.set(username, accessToken);
      const res = await fetch(`${system.url}/api/calls/sfu/join`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ requestId: 'r-media' }) });
      if (!res.ok) fail(`sfu/join for ${username}: ${res.status}`);
      const { ticket, path: sfuPath } = (await res.json()) as { ticket: string; path: string };
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${pageOrigin}/sfu-media`);
      await page.evaluate(
        async ({ url, ticket }) => {
          type Api = typeof import('../app/lib/calls/sfu-client') & { audioSdp: typeof import('../packages/domain/calls').audioSdp };
          const w = window as unknown as { Sfu: Api; call: InstanceType<Api['SfuCall']> };
          const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360, frameRate: 15 } });
          const connection = await w.Sfu.SfuConnection.connect(url, ticket, (u) => new WebSocket(u));
          const call = new w.Sfu.SfuCall(connection, []);
          w.call = call;
          call.onRemotes = (remotes) => {
            for (const r of remotes) {
              const id = `feed-${r.feedId}`;
              let el = document.getElementById(id) as HTMLVideoElement | null;
              if (!el) {
                el = document.createElement('video');
                el.id = id;
                el.autoplay = true;
                el.muted = true;
                document.body.append(el);
              }
              el.srcObject = r.stream;
            }
          };
          await call.start(local, (sdp) => w.Sfu.audioSdp(sdp, 'audio'));
        },
        { url: `${origin.replace(/^http/, 'ws')}${sfuPath}`, ticket }
      );
      return page;
    };

    const stats = (page: Page) =>
      page.evaluate(async (): Promise<PageStats> => {
        const call = (window as unknown as { call: { subscriberPc?: RTCPeerConnection; publisherPc?: RTCPeerConnection } }).call;
        const out: PageStats = { framesDecoded: 0, audioBytes: 0, remotes: document.querySelectorAll('video').length, publisher: call.publisherPc?.connectionState ?? 'none' };
        for (const s of (await call.subscriberPc?.getStats())?.values() ?? []) {
          if (s.type === 'inbound-rtp' && s.kind === 'video') out.framesDecoded += s.framesDecoded ?? 0;
          if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioBytes += s.bytesReceived ?? 0;
        }
        return out;
      });

    const station = await open('tram.yty');
    const doctor = await open('bacsi.batxat');
    let last: PageStats[] = [];
    await waitFor(
      async () => {
        last = await Promise.all([station, doctor].map(stats));
        return last.every((s) => s.framesDecoded >= 30 && s.audioBytes > 2_000);
      },
      60_000,
      'both pages decoding the other through Janus'
    ).catch(() => fail(`no media through Janus: ${JSON.stringify(last)}`));
    const through = last;

    // The audio-only rung on the station: the doctor's video stops coming down, the audio goes on.
    await station.evaluate(() => (window as unknown as { call: { receiveVideo(on: boolean): Promise<void> } }).call.receiveVideo(false));
    let before = await stats(station);
    let beforeAt = Date.now();
    let steady = 0;
    await waitFor(
      async () => {
        // Samples a second apart (a frame comes every 67 ms at 15 fps): three in a row with no new frame.
        if (Date.now() - beforeAt < 1_000) return false;
        beforeAt = Date.now();
        const now = await stats(station);
        steady = now.framesDecoded === before.framesDecoded && now.audioBytes > before.audioBytes ? steady + 1 : 0;
        before = now;
        return steady >= 3;
      },
      30_000,
      'video stopped, audio flowing'
    ).catch(() => fail(`the video did not stop on the audio-only switch: ${JSON.stringify(before)}`));
    const audioOnly = before;
    // Back to video: the frames come down again (so the stop above was the switch, not a stalled stream).
    await station.evaluate(() => (window as unknown as { call: { receiveVideo(on: boolean): Promise<void> } }).call.receiveVideo(true));
    let again = audioOnly;
    await waitFor(async () => (again = await stats(station)).framesDecoded >= audioOnly.framesDecoded + 15, 30_000, 'video back').catch(() =>
      fail(`the video did not come back: ${JSON.stringify(again)}`)
    );

    // Recording, with consent.
    const api = async (username: string, route: string) => {
      const res = await fetch(`${system.url}${route}`, { headers: { authorization: `Bearer ${tokens.get(username)}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // Over each page's own /sfu socket, as the call screen does.
    const recordingAction = (page: Page, action: string) =>
      page.evaluate((action) => (window as unknown as { call: { connection: { recordingAction(a: string): Promise<{ status: string }> } } }).call.connection.recordingAction(action), action);
    const asked = await recordingAction(station, 'ask');
    if (asked.status !== 'asking') fail(`asking to record: ${JSON.stringify(asked)}`);
    const consented = await recordingAction(doctor, 'consent');
    if (consented.status !== 'recording') fail(`recording after both consented: ${JSON.stringify(consented)}`);
    const recordFrom = Date.now();
    const audioAtStart = await stats(doctor);
    await waitFor(() => Date.now() - recordFrom >= 20_000, 30_000, '20 s recorded');
    const audioAtEnd = await stats(doctor);
    if (audioAtEnd.audioBytes <= audioAtStart.audioBytes) fail('no audio flowed while recording');
    await recordingAction(doctor, 'stop');
    type Listed = { id: string; status: string; startedAt: string; stoppedAt: string; files: { name: string; kind: string; bytes: number; participant: string }[] };
    let listed: Listed | undefined;
    await waitFor(
      async () => {
        listed = ((await api('tram.yty', '/api/calls/recordings?requestId=r-media')).body.recordings as Listed[])[0];
        return listed?.status === 'ready' || listed?.status === 'failed';
      },
      60_000,
      'the recording converted'
    ).catch(() => fail(`the recording was not saved: ${JSON.stringify(listed)}`));
    const rec = listed!;
    const audio = rec.files.filter((f) => f.kind === 'audio');
    const video = rec.files.filter((f) => f.kind === 'video');
    if (rec.status !== 'ready' || audio.length !== 2 || video.length !== 2) fail(`expected an audio and a video file per participant: ${JSON.stringify(rec)}`);
    const file = await fetch(`${system.url}/api/calls/recordings/${rec.id}/${audio[0]!.name}`, { headers: { authorization: `Bearer ${tokens.get('bacsi.batxat')}` } });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!file.ok || new TextDecoder().decode(bytes.subarray(0, 4)) !== 'OggS' || bytes.length !== audio[0]!.bytes) fail(`the audio file is not the Ogg Opus listed: ${file.status}, ${bytes.length} bytes`);
    const minutes = (Date.parse(rec.stoppedAt) - Date.parse(rec.startedAt)) / 60_000;
    const recording = {
      seconds: Math.round(minutes * 60),
      kbPerMinute: Math.round(Math.max(...audio.map((f) => f.bytes)) / 1024 / minutes),
      videoKbPerMinute: Math.round(Math.max(...video.map((f) => f.bytes)) / 1024 / minutes),
      files: rec.files.map((f) => ({ kind: f.kind, bytes: f.bytes, participant: f.participant }))
    };
    const summary = { ok: true, throughJanus: through, audioOnly, videoBack: again, recording };
    if (process.env.SFU_MEDIA_JSON) writeFileSync(process.env.SFU_MEDIA_JSON, JSON.stringify(summary, null, 2) + '\n');
    process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    await browser.close().catch(() => undefined);
    tcp.close();
    pageServer.close();
    rmSync(dir, { recursive: true, force: true });
    await system.stop();
    tearDown();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    tearDown();
    fail(String(err));
  }
);
