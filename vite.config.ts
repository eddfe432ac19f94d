// Vite and Vitest configuration for the whole repository (app, packages, sync server).
//
// Two test lanes (Vitest projects): `unit` — the pure packages and the app's modules, with no database and no
// server (runs on a machine without PostgreSQL: `npm run test:unit`); `integration` — the sync server and the
// app tests that start it, with the global setup that provides a real PostgreSQL (`npm run test:integration`).
// `npx vitest run` (and `npm test`) runs both.
import { sveltekit } from '@sveltejs/kit/vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Plugin, ResolvedConfig } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The code only the signing and verifying screens load (packages/signing and its PDF and CMS libraries, ≈ 190 KB
 * sent): usable online only (a signature goes to the server), so it stays out of the offline shell. Its chunks —
 * those made of these modules alone — are told to the service worker's build as `__ONLINE_ONLY_CHUNKS__` (the
 * service worker is built after the client, with the client's `define`), which leaves them out of the precache.
 */
const onlineOnlyModule = /\/node_modules\/(?:(?:@libpdf|pkijs|asn1js|pvtsutils|pvutils|bytestreamjs|@noble\/ciphers|@scure\/base|lru-cache|pako)\/|@noble\/hashes\/legacy\.js$)|\/packages\/signing\//;
function onlineOnlyChunks(): Plugin {
  // SvelteKit builds the client inside the server's build and the service worker with the server build's `define`:
  // every resolved config of this run is told (they share the process, not the plugin instance).
  const shared = globalThis as { __telehealthConfigs?: ResolvedConfig[] };
  return {
    name: 'telehealth-online-only-chunks',
    apply: 'build',
    configResolved(resolved) {
      (shared.__telehealthConfigs ??= []).push(resolved);
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk' && c.fileName.startsWith('_app/immutable/'));
      if (!chunks.length) return;
      const names = chunks.filter((c) => c.type === 'chunk' && c.moduleIds.length > 0 && c.moduleIds.every((id) => onlineOnlyModule.test(id))).map((c) => c.fileName);
      // The resolved config is typed read-only; SvelteKit reads its `define` when it builds the service worker.
      for (const config of shared.__telehealthConfigs ?? []) ((config as { define?: Record<string, string> }).define ??= {}).__ONLINE_ONLY_CHUNKS__ = JSON.stringify(names);
      // For bench/shell/size.ts, which sums what the service worker precaches.
      mkdirSync('.svelte-kit', { recursive: true });
      writeFileSync('.svelte-kit/online-only-chunks.json', JSON.stringify(names));
    }
  };
}

/** App tests that start a whole sync system (server and database): the integration lane runs them. */
const appIntegrationTests = ['app/lib/sync/engine.test.ts', 'app/**/*.integration.test.ts'];

export default defineConfig({
  plugins: [onlineOnlyChunks(), sveltekit()],
  server: { port: 5173 },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: integration files run two at a time (they are written to hold on a busy machine); 1 worker, the
    // default on a 2-core machine, made the CI run 90 s longer.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['app/**/*.test.ts', 'packages/**/*.test.ts', 'sfu/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...appIntegrationTests]
        }
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['sync-server/**/*.test.ts', ...appIntegrationTests],
          globalSetup: ['./scripts/vitest-global-setup.ts']
        }
      }
    ]
  }
});
