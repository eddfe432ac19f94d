// A laboratory for calls through the SFU (root): Janus gathers no ICE candidate on loopback, so Chromium pages run
// in a network namespace joined to this host by a veth pair whose ends can be shaped with `tc tbf`; the server
// (with Janus, SFU=required, ICE on the host's end) runs here, reached through a TCP relay on the pair's host
// address. Pages load a test page carrying the app's own call code (the SFU client, the ladder, the probe, the
// sender settings), bundled. Used by `e2e/sfu-media.ts` (the media and recording test) and `bench/calls` (the
// calls benchmark).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { findJanus } from '@telehealth/sfu';
import { login, startTestSystem, waitFor, type TestSystem } from '../../sync-server/test/harness';

const ns = 'thsfu';
export const hostIf = 'thsfu-host';
const nsIf = 'thsfu-ns';
const hostAddress = '10.204.0.1';
const pageAddress = '10.204.0.2';
const root = path.dirname(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** What a lab page's `window.Lab` holds: the app's call code. */
export type LabApi = typeof import('../../app/lib/calls/sfu-client') &
  Pick<typeof import('../../packages/domain/calls'), 'audioSdp' | 'senderSettings' | 'stepLadder' | 'initialLadder' | 'sampleFromStats'> &
  Pick<typeof import('../../app/lib/calls/probe'), 'probeLink'> &
  Pick<typeof import('../../app/lib/calls/senders'), 'applySenderSettings'>;

/** Why the lab cannot run here, or undefined. */
export function labProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (it creates a network namespace and a veth pair)';
  if (!findJanus()) return 'Janus is not installed: apt-get install -y janus';
  if (!existsSync('/usr/bin/chromium')) return 'Chromium is not installed: apt-get install -y chromium';
  return undefined;
}

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

export type Lab = {
  system: TestSystem;
  /** The server as the pages reach it (through the relay on the veth). */
  origin: string;
  /** The lab page's origin, which passes other requests on to the server: for the pages' fetches (same origin). */
  pageOrigin: string;
  browser: Browser;
  /** A new page (its own context) on the lab page, `window.Lab` loaded. */
  page(): Promise<{ context: BrowserContext; page: Page }>;
  /** An account's access token (demo accounts). */
  token(username: string): Promise<string>;
  /** Shapes both directions of the pages' link to `kbit` (undefined: unshaped). */
  shape(kbit: number | undefined): void;
  /** Bytes and packets through the host's end of the pair so far: `rx` is what the pages sent, `tx` what they got. */
  counters(): { rxBytes: number; rxPackets: number; txBytes: number; txPackets: number };
  stop(): Promise<void>;
};

export async function startLab(): Promise<Lab> {
  setUp();
  let system: TestSystem | undefined;
  let browser: Browser | undefined;
  let tcp: net.Server | undefined;
  let pageServer: Server | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'telehealth-sfu-lab-'));
  try {
    // Outside vitest: the embedded database, or the one the test command started.
    system = await startTestSystem({ ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : { embedded: true }), env: { SFU: 'required', SFU_ICE_INTERFACE: hostIf } });
    tcp = await relay(system.port);
    const origin = `http://${hostAddress}:${(tcp.address() as net.AddressInfo).port}`;
    // The lab page comes from a server of its own on the pair (the app's server serves no such page).
    pageServer = createServer();
    await new Promise<void>((resolve) => pageServer!.listen(0, hostAddress, () => resolve()));
    const pageOrigin = `http://${hostAddress}:${(pageServer.address() as net.AddressInfo).port}`;
    const entry = path.join(dir, 'entry.ts');
    const from = (file: string) => JSON.stringify(path.join(root, file));
    writeFileSync(
      entry,
      [
        `export * from ${from('app/lib/calls/sfu-client.ts')};`,
        `export { audioSdp, senderSettings, stepLadder, initialLadder, sampleFromStats } from ${from('packages/domain/calls.ts')};`,
        `export { probeLink } from ${from('app/lib/calls/probe.ts')};`,
        `export { applySenderSettings } from ${from('app/lib/calls/senders.ts')};`
      ].join('\n')
    );
    const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'Lab', write: false, target: 'es2022' });
    const html = `<!doctype html><meta charset="utf-8"><title>sfu lab</title><body><script>${bundle.outputFiles[0]!.text}</script></body>`;
    // The lab page at /lab; anything else goes on to the server, so that the page's fetches are same-origin.
    const serverPort = system.port;
    pageServer.on('request', (req, res) => {
      if (req.url === '/lab') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      const upstream = httpRequest({ host: '127.0.0.1', port: serverPort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    const wrapper = path.join(dir, 'chromium-in-namespace.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await chromium.launch({
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
        '--autoplay-policy=no-user-gesture-required',
        // getUserMedia needs a secure context; the lab's origins are plain HTTP on the veth. Their ws: twin is listed
        // too, or the page, now "secure", may not open a plain WebSocket (mixed content).
        `--unsafely-treat-insecure-origin-as-secure=${pageOrigin},${origin},${origin.replace(/^http/, 'ws')}`
      ]
    });
    const tokens = new Map<string, string>();
    const stat = (name: string) => Number(readFileSync(`/sys/class/net/${hostIf}/statistics/${name}`, 'utf8'));
    const s = system;
    const b = browser;
    const t = tcp;
    const p = pageServer;
    return {
      system: s,
      origin,
      pageOrigin,
      browser: b,
      async page() {
        const context = await b.newContext();
        const page = await context.newPage();
        await page.goto(`${pageOrigin}/lab`);
        // tsx names the functions it compiles with a `__name` helper, which the page's own scripts lack.
        await page.evaluate('globalThis.__name = (f) => f');
        return { context, page };
      },
      async token(username) {
        let token = tokens.get(username);
        if (!token) {
          token = (await login(s.url, username)).accessToken;
          tokens.set(username, token);
        }
        return token;
      },
      shape(kbit) {
        for (const [dev, inNs] of [
          [hostIf, false],
          [nsIf, true]
        ] as const) {
          const tc = (args: string[]) => sh(inNs ? 'ip' : 'tc', inNs ? ['netns', 'exec', ns, 'tc', ...args] : args);
          try {
            tc(['qdisc', 'del', 'dev', dev, 'root']);
          } catch {
            // No qdisc yet.
          }
          // A queue of 400 ms at the rate, like a mobile carrier's buffer.
          if (kbit !== undefined) tc(['qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '1600', 'latency', '400ms']);
        }
      },
      counters: () => ({ rxBytes: stat('rx_bytes'), rxPackets: stat('rx_packets'), txBytes: stat('tx_bytes'), txPackets: stat('tx_packets') }),
      async stop() {
        await b.close().catch(() => undefined);
        t.close();
        p.close();
        rmSync(dir, { recursive: true, force: true });
        await s.stop();
        tearDown();
      }
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    tcp?.close();
    pageServer?.close();
    rmSync(dir, { recursive: true, force: true });
    await system?.stop();
    tearDown();
    throw err;
  }
}

/** A call ticket for the consultation's SFU rooms (`POST /api/calls/sfu/join`), for a demo account. */
export async function sfuTicket(lab: Lab, username: string, requestId: string): Promise<{ ticket: string; path: string }> {
  const res = await fetch(`${lab.system.url}/api/calls/sfu/join`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await lab.token(username)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requestId })
  });
  if (!res.ok) throw new Error(`sfu/join for ${username}: ${res.status}`);
  return (await res.json()) as { ticket: string; path: string };
}

export type Rung = 'hd' | 'low' | 'audio' | 'phone';

/**
 * In a lab page: joins the SFU call with `ticket`, publishes the fake camera (when `video`) and microphone with the
 * rung's Opus settings and sender settings (video at the low rung's when asked at the audio rung), and subscribes to
 * the others (their streams in muted <video>s).
 * The page keeps `window.call` (SfuCall).
 */
export async function joinCall(lab: Lab, page: Page, ticket: { ticket: string; path: string }, opts: { video: boolean; rung: Rung }) {
  await page.evaluate(
    async ({ url, ticket, video, rung }) => {
      const w = window as unknown as { Lab: LabApi; call: InstanceType<LabApi['SfuCall']> };
      const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: 640, height: 360, frameRate: 15 } : false });
      const connection = await w.Lab.SfuConnection.connect(url, ticket, (u) => new WebSocket(u));
      const call = new w.Lab.SfuCall(connection, []);
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
      await call.start(local, (sdp) => w.Lab.audioSdp(sdp, rung));
      // The rung's senders; with `video` asked at the audio rung, the video at the low rung's settings.
      const settings = w.Lab.senderSettings(rung);
      if (video && !settings.video.active) settings.video = w.Lab.senderSettings('low').video;
      if (call.publisherPc) await w.Lab.applySenderSettings(call.publisherPc, settings);
    },
    { url: `${lab.origin.replace(/^http/, 'ws')}${ticket.path}`, ticket: ticket.ticket, video: opts.video, rung: opts.rung }
  );
}

export type PageStats = { framesDecoded: number; audioBytes: number; audioPackets: number; audioLost: number; remotes: number; publisher: string };

/** What a lab page in a call receives: video frames decoded, audio bytes and packets (and lost), its publisher's state. */
export const callStats = (page: Page) =>
  page.evaluate(async (): Promise<PageStats> => {
    const call = (window as unknown as { call: { subscriberPc?: RTCPeerConnection; publisherPc?: RTCPeerConnection } }).call;
    const out: PageStats = { framesDecoded: 0, audioBytes: 0, audioPackets: 0, audioLost: 0, remotes: document.querySelectorAll('video').length, publisher: call.publisherPc?.connectionState ?? 'none' };
    for (const s of (await call.subscriberPc?.getStats())?.values() ?? []) {
      if (s.type === 'inbound-rtp' && s.kind === 'video') out.framesDecoded += s.framesDecoded ?? 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.audioBytes += s.bytesReceived ?? 0;
        out.audioPackets += s.packetsReceived ?? 0;
        out.audioLost += s.packetsLost ?? 0;
      }
    }
    return out;
  });

/** A recording action over a lab page's own /sfu socket, as the call screen sends it; resolves with its view. */
export const recordingAction = (page: Page, action: 'ask' | 'consent' | 'decline' | 'stop') =>
  page.evaluate((action) => (window as unknown as { call: InstanceType<LabApi['SfuCall']> }).call.connection.recordingAction(action), action);

export type SavedRecording = { id: string; status: string; startedAt: string; stoppedAt: string; files: { name: string; kind: string; bytes: number; participant: string }[] };

/** The request's first recording once it is saved (ready, or failed: nothing recorded), as the case lists it. */
export async function savedRecording(lab: Lab, requestId: string, username = 'tram.yty'): Promise<SavedRecording> {
  let rec: SavedRecording | undefined;
  await waitFor(
    async () => {
      const res = await fetch(`${lab.system.url}/api/calls/recordings?requestId=${requestId}`, { headers: { authorization: `Bearer ${await lab.token(username)}` } });
      rec = ((await res.json()) as { recordings: SavedRecording[] }).recordings[0];
      return rec?.status === 'ready' || rec?.status === 'failed';
    },
    60_000,
    'the recording saved'
  ).catch(() => {
    throw new Error(`the recording was not saved: ${JSON.stringify(rec)}`);
  });
  return rec!;
}
