// SvelteKit configuration: the app's sources live in app/, static assets in static/.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    files: {
      src: 'app',
      lib: 'app/lib',
      routes: 'app/routes',
      appTemplate: 'app/app.html',
      serviceWorker: 'app/service-worker',
      hooks: { client: 'app/hooks.client', server: 'app/hooks.server', universal: 'app/hooks' },
      params: 'app/params',
      assets: 'static'
    },
    // The page registers the service worker itself through workbox-window (update prompt).
    serviceWorker: { register: false },
    // The frame's stylesheet (≈ 4 KB) goes inline into each page: a first visit over 2G paints the prerendered
    // login form with the HTML, without one more round trip (the CSP allows inline styles, not scripts).
    inlineStyleThreshold: 6_000,
    // Absolute asset paths: the service worker answers deep links (/patients/…) with the root shell.
    paths: { relative: false },
    typescript: {
      // svelte-check also covers the browser tests and the test tooling.
      config: (tsconfig) => {
        tsconfig.include.push('../e2e/**/*.ts', '../playwright.config.ts', '../scripts/**/*.ts', '../bench/**/*.ts');
      }
    }
  }
};

export default config;
