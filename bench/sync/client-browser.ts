// The app in Chromium with the commune stored: offline cold start to the first rendered patient list, name
// search latency, IndexedDB bytes per 1,000 records.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { repoRoot, startNode } from './processes';

const port = 9_700;
const args = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function runBrowserClient(dataDir: string, records: number, log: (s: string) => void) {
  if (!existsSync(path.join(repoRoot, 'build/handler.js'))) throw new Error('the app is not built: run `npm run bench:sync`, which builds it');
  const server = await startNode(
    ['--import', 'tsx', 'sync-server/src/main.ts'],
    { HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', COMPACTION_INTERVAL_MS: '0', APP_BUILD_DIR: path.join(repoRoot, 'build') },
    `http://127.0.0.1:${port}/healthz`,
    false
  );
  const profile = mkdtempSync(path.join(tmpdir(), 'thbench-chromium-'));
  const launch = () => chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args, baseURL: `http://127.0.0.1:${port}` });
  let context: BrowserContext | undefined;
  try {
    context = await launch();
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('tram.yty');
    await page.getByLabel('Mật khẩu').fill('yty-demo-2025');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: /Xin chào/ }).waitFor();
    const provisionStart = Date.now();
    await page.getByTestId('sync-state').filter({ hasText: 'Đã đồng bộ' }).waitFor({ timeout: 30 * 60_000 });
    const provisionSeconds = (Date.now() - provisionStart) / 1000;
    log(`browser: provisioned ${records} records into IndexedDB in ${provisionSeconds.toFixed(0)} s`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.close();

    // Cold start: a new browser process, no network.
    context = await launch();
    await context.setOffline(true);
    const cold = await context.newPage();
    const t0 = Date.now();
    await cold.goto('/patients');
    await cold.locator('[data-testid=patient-list] li').first().waitFor({ timeout: 60_000 });
    const coldStartMs = Date.now() - t0;
    log(`browser: offline cold start to the patient list in ${coldStartMs} ms`);
    // Measured after the restart, when the browser has settled its database files.
    const estimate = await cold.evaluate(async () => {
      const e = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: Record<string, number> };
      return { usage: e.usage ?? 0, details: e.usageDetails ?? {} };
    });
    const usage = estimate.details.indexedDB ?? estimate.usage;
    log(`browser: storage ${JSON.stringify(estimate)}`);


    const times: number[] = [];
    for (const q of ['giang', 'nguyen thi', 'lo van pao', 'hau thi dua', 'vang seo', 'Sùng A']) {
      await cold.getByTestId('patient-search').fill(q);
      await cold.waitForFunction(
        (query) => {
          const input = document.querySelector<HTMLInputElement>('[data-testid=patient-search]');
          const list = document.querySelector('[data-testid=patient-list], [data-testid=patients-empty]');
          return input?.value === query && list !== null;
        },
        q
      );
      await cold.waitForTimeout(150);
      const ms = await cold.locator('[data-testid=patient-list]').getAttribute('data-query-ms').catch(() => null);
      if (ms) times.push(Number(ms));
    }
    times.sort((a, b) => a - b);
    const searchMs = times[Math.floor(times.length / 2)] ?? NaN;
    log(`browser: name search ${times.map((t) => t.toFixed(1)).join(', ')} ms (median ${searchMs})`);
    return { coldStartMs, searchMs, searchMaxMs: times.at(-1) ?? NaN, bytesPer1000: (usage / records) * 1000, indexedDbBytes: usage, provisionSeconds };
  } finally {
    await context?.close();
    await server.stop();
  }
}
