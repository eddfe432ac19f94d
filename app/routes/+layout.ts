// The app renders on the device (offline-first); every page is prerendered as a shell for the service worker.
export const ssr = false;
export const prerender = true;
export const trailingSlash = 'never';
