// First visit on a low-end phone over 2G: a fresh Chromium profile (no cache, no service worker) opens the app
// served by the real server, at /login (`sync-server/src/main.ts` with the built app, as `npm start` runs it) with the
// network at 64 kbit/s each way and 300 ms of round trip, and the CPU 4× slower (Chrome DevTools Protocol:
// Network.emulateNetworkConditions, Emulation.setCPUThrottlingRate). The service worker is a target of its own,
// which the page's throttling does not cover: it is throttled the same way through a CDP connection of its own
// (auto-attached before it runs, so its precache downloads share the slow link as on a phone).
// Measures, from the start of the navigation:
//   firstPaintMs      the first contentful paint (the static shell of app/app.html)
//   loginMs           the login form usable: the username field visible and enabled (the form is prerendered, so
//                     it can be typed in before the scripts run)
//   loginReadyMs      the app running on it: the submit button enabled (data-ready=true), the login can be sent
//   swReadyMs         the service worker active (`navigator.serviceWorker.ready`: its precache is complete)
//   offlineReadyMs    the page saying "Sẵn sàng dùng ngoại tuyến" (data-testid=offline-ready-notice)
// Used by bench/shell/size.ts (`npm run bench:shell`); `--no-first-visit` skips it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import WebSocket from 'ws';

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const conditions = { latencyMs: 300, downloadBytesPerSecond: 8_000, uploadBytesPerSecond: 8_000, cpuSlowdown: 4 };
const network = { offline: false, latency: conditions.latencyMs, downloadThroughput: conditions.downloadBytesPerSecond, uploadThroughput: conditions.uploadBytesPerSecond };

export type FirstVisit = {
  firstPaintMs: number | null;
  loginMs: number | null;
  loginReadyMs: number | null;
  swReadyMs: number | null;
  offlineReadyMs: number | null;
  /** Bytes the page and the service worker received (encoded, as sent), by the time offline-ready was shown. */
  pageBytes: number;
  requests: { url: string; bytes: number; atMs: number }[];
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

async function startServer(buildDir: string) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thbench-shell-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', APP_BUILD_DIR: buildDir },
    stdio: ['ignore', 'ignore', 'inherit']
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 600) throw new Error('the server never answered /healthz');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return { url, stop };
}

/** Throttles every service worker of the browser as it starts: a browser-level CDP connection auto-attaches to it. */
async function throttleServiceWorkers(debuggingPort: number) {
  const version = (await (await fetch(`http://127.0.0.1:${debuggingPort}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const ws = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const send = (method: string, params: object = {}, sessionId?: string) => ws.send(JSON.stringify({ id: ++id, method, params, sessionId }));
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { method?: string; params?: { sessionId: string; targetInfo: { type: string } } };
    if (m.method !== 'Target.attachedToTarget' || !m.params) return;
    const { sessionId, targetInfo } = m.params;
    if (targetInfo.type === 'service_worker') {
      send('Network.enable', {}, sessionId);
      send('Network.emulateNetworkConditions', network, sessionId);
    }
    send('Runtime.runIfWaitingForDebugger', {}, sessionId);
  });
  send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true, filter: [{ type: 'service_worker', exclude: false }, { exclude: true }] });
  return () => ws.close();
}

export async function measureFirstVisit(buildDir: string, log: (s: string) => void = () => {}): Promise<FirstVisit> {
  const server = await startServer(buildDir);
  const debuggingPort = await freePort();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--remote-debugging-port=${debuggingPort}`]
  });
  const stopThrottlingWorkers = await throttleServiceWorkers(debuggingPort);
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: conditions.cpuSlowdown });

    const requests: FirstVisit['requests'] = [];
    const t0 = Date.now();
    context.on('requestfinished', (request) => {
      void request.sizes().then(
        (s) => requests.push({ url: request.url().replace(server.url, ''), bytes: s.responseBodySize + s.responseHeadersSize, atMs: Date.now() - t0 }),
        () => {}
      );
    });
    const started = Date.now();
    await page.goto(`${server.url}/login`, { waitUntil: 'commit' });
    let loginMs: number | null = null;
    let offlineReadyMs: number | null = null;
    let loginReadyMs: number | null = null;
    const ready = page
      .locator('button[type=submit][data-ready=true]')
      .waitFor({ state: 'visible', timeout: 120_000 })
      .then(() => {
        loginReadyMs = Date.now() - started;
        log(`first visit: login can be sent (the app runs) after ${loginReadyMs} ms`);
      })
      .catch(() => log('first visit: the login form never became ready within 120 s'));
    const login = page
      .getByLabel('Tên đăng nhập hoặc số điện thoại')
      .waitFor({ state: 'visible', timeout: 120_000 })
      .then(async () => {
        if (await page.getByLabel('Tên đăng nhập hoặc số điện thoại').isEnabled()) loginMs = Date.now() - started;
        log(`first visit: login form usable after ${loginMs} ms`);
      })
      .catch(() => log('first visit: no login form within 120 s'));
    const offline = page
      .getByTestId('offline-ready-notice')
      .waitFor({ state: 'visible', timeout: 300_000 })
      .then(() => {
        offlineReadyMs = Date.now() - started;
        log(`first visit: "Sẵn sàng dùng ngoại tuyến" shown after ${offlineReadyMs} ms`);
      })
      .catch(() => log('first visit: "Sẵn sàng dùng ngoại tuyến" not shown'));
    const swReady = page
      .evaluate(() => navigator.serviceWorker.ready.then(() => Date.now()))
      .then((at) => {
        const ms = at - started;
        log(`first visit: service worker active (precache complete) after ${ms} ms`);
        return ms;
      })
      .catch(() => null);
    await login;
    await ready;
    const swReadyMs = await Promise.race([swReady, new Promise<null>((r) => setTimeout(() => r(null), 300_000))]);
    // The notice follows the worker's activation; without one (an older build) stop waiting soon after it.
    await Promise.race([offline, new Promise((r) => setTimeout(r, 15_000))]);
    const firstPaintMs = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return fcp ? Math.round(fcp.startTime) : null;
    });
    await context.close();
    requests.sort((a, b) => a.atMs - b.atMs);
    return { firstPaintMs, loginMs, loginReadyMs, swReadyMs, offlineReadyMs, pageBytes: requests.reduce((a, r) => a + r.bytes, 0), requests };
  } finally {
    stopThrottlingWorkers();
    await browser.close();
    await server.stop();
  }
}
