// Vite and Vitest configuration for the whole repository (app, packages, sync server).
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  server: { port: 5173 },
  test: {
    include: ['app/**/*.test.ts', 'packages/**/*.test.ts', 'sync-server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./scripts/vitest-global-setup.ts']
  }
});
