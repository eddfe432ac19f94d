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

// A reminder's push (sync-server/src/reminders/): it carries the reminder's id only, never its words. The notification
// says, in the words the app left in the cache for it (app/lib/reminders/push.ts: the patient's language), that a
// reminder waits; the app shows the reminder itself, from the synced chart.
sw.addEventListener('push', (event) => {
  let id = '';
  try {
    const data = event.data?.json() as { id?: unknown } | undefined;
    if (typeof data?.id === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(data.id)) id = data.id;
  } catch {
    // Not JSON: still a reminder to look at.
  }
  event.waitUntil(
    (async () => {
      const texts = (await (await caches.open('reminder-texts')).match('/reminder-texts.json'))?.json().catch(() => undefined);
      const { title, body } = ((await texts) ?? {}) as { title?: string; body?: string };
      await sw.registration.showNotification(title || sw.location.host, { body: body ?? '', tag: id ? `reminder-${id}` : 'reminder', data: { url: '/' } });
    })()
  );
});

// The push service renewed the subscription: the app tells the server at its next start (app/lib/reminders/push.ts,
// subscribePush); the reminders show from the synced chart meanwhile.

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    (async () => {
      const open = (await sw.clients.matchAll({ type: 'window', includeUncontrolled: true }))[0];
      if (open) await open.focus();
      else await sw.clients.openWindow('/');
    })()
  );
});
