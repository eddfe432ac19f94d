// Vite and Vitest configuration for the whole repository (app, packages, sync server).
//
// Two test lanes (Vitest projects): `unit` — the pure packages and the app's modules, with no database and no
// server (runs on a machine without PostgreSQL: `npm run test:unit`); `integration` — the sync server and the
// app tests that start it, with the global setup that provides a real PostgreSQL (`npm run test:integration`).
// `npx vitest run` (and `npm test`) runs both.
import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';

/** App tests that start a whole sync system (server and database): the integration lane runs them. */
const appIntegrationTests = ['app/lib/sync/engine.test.ts', 'app/**/*.integration.test.ts'];

export default defineConfig({
  plugins: [sveltekit()],
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
