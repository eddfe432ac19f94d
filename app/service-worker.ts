// The service worker: a workbox precache of the app shell, so every page opens offline.
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, prerendered, version } from '$service-worker';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

const sw = self as unknown as ServiceWorkerGlobalScope;

// The ICD-10 list (≈ 220 KB brotli) is not part of the shell: the app fetches it on first need and keeps it in its
// own cache (app/lib/catalogs.svelte.ts), so a patient's phone never downloads it. bench/shell/size.ts knows this name.
const notInShell = /\/icd10-official\.[^/]*\.json$/;
// The signing code (vite.config.ts, onlineOnlyChunks): loaded from the network when someone signs, online anyway.
declare const __ONLINE_ONLY_CHUNKS__: string[] | undefined;
const onlineOnly = new Set(typeof __ONLINE_ONLY_CHUNKS__ === 'undefined' ? [] : __ONLINE_ONLY_CHUNKS__);

precacheAndRoute([
  // Built assets carry a content hash in their names.
  ...build.filter((url) => !notInShell.test(url) && !onlineOnly.has(url.replace(/^\//, ''))).map((url) => ({ url, revision: null })),
  ...[...files, ...prerendered].map((url) => ({ url, revision: version }))
]);
cleanupOutdatedCaches();

// Any page navigation is answered with the app shell; the client router renders the page, online or not.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/api\//, /^\/healthz/, /^\/sync/] }));

// workbox-window's messageSkipWaiting(): the user accepted the update prompt.
sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

// The first install takes control at once so that the very first visit already works offline.
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));
