// The editors with text not yet committed, and committing it all when the screen is left or hidden. A module of its
// own, without the record schemas or Yjs, so that the app frame (+layout.svelte) can flush on every navigation
// without loading the editing code on pages that have no editor (login, register, setup).

// A registry of editors to flush, not state a screen reads.
export const active = new Set<{ flush(): void }>();

/** Commits every editor's pending text now (the screen is being left or hidden). */
export function flushEditors() {
  for (const editor of active) editor.flush();
}

if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushEditors();
  });
  addEventListener('pagehide', flushEditors);
}
