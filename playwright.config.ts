// Browser tests in Debian's Chromium against the whole system started as `npm start` starts it.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const port = process.env.E2E_PORT ?? '4317';
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'telehealth-e2e-'));

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`
  },
  projects: [
    { name: 'app', testIgnore: /calls\.test\.ts$/, use: { launchOptions: { executablePath: chromium, args: chromiumArgs } } },
    // Calls (`npm run e2e:calls`): fake camera and microphone, granted without a prompt, and peers that may use the
    // loopback interface (Chromium gathers no 127.0.0.1 candidate otherwise).
    {
      name: 'calls',
      testMatch: /calls\.test\.ts$/,
      use: {
        launchOptions: {
          executablePath: chromium,
          args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required']
        }
      }
    }
  ],
  webServer: {
    command: 'node --import tsx sync-server/src/main.ts',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: port,
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      // Cheap password hashes on this loopback test server (config.ts refuses them elsewhere).
      PASSWORD_HASH_N: '1024',
      LOG_LEVEL: 'warn',
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {})
    }
  }
});
