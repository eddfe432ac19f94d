// What the app frame (+layout.svelte) runs and shows only once someone is signed in: the account's sync engine, the
// record activity (lists, notices, reminders), the device catalogs, the sync indicator and the logout button.
// The frame loads this module with a dynamic import when a user is signed in, so the login, register and setup pages
// of a first visit do not download the sync engine, Yjs, Dexie or the catalogs (≈ 70 KB brotli, ≈ 9 s over 2G).
// The service worker precaches every chunk, so an offline reload of a signed-in device still has it.
import { session } from './auth/session.svelte';
import { sync } from './sync/sync-state.svelte';
import { catalogs } from './catalogs.svelte';
import { activity } from './records/activity.svelte';

export { default as Logout } from './auth/Logout.svelte';
export { default as SyncIndicator } from './sync/SyncIndicator.svelte';
export { default as Notices } from './records/Notices.svelte';

let started = false;

/** Starts, once for the app's life, what follows the signed-in account (and stops its engine after a logout). */
export function startSignedIn() {
  if (started) return;
  started = true;
  void catalogs.start();
  // Waiting times and reminders move with the clock, not only with the data.
  setInterval(() => (activity.now = Date.now()), 60_000);
  $effect.root(() => {
    // Lists and notifications re-read the device's index whenever documents change.
    $effect(() => {
      void sync.changes;
      if (sync.engine) void activity.refresh();
    });
    $effect(() => {
      if (session.user) activity.loadSeen();
    });
    // Clinical staff keep the ICD-10 catalog on the device for the forms they fill offline: fetched once in the
    // background after login (a patient's phone never downloads it).
    $effect(() => {
      const role = session.user?.role;
      if (role === 'station_worker' || role === 'doctor') void catalogs.keepIcd10Offline();
    });
    // The account's sync engine runs while someone is signed in.
    $effect(() => {
      void sync.follow(session.user?.id);
    });
    // A new online login (new tokens) lets a connection that was waiting for one start again.
    $effect(() => {
      if (session.current?.refreshToken) sync.resume();
    });
  });
}
