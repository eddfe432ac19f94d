// Notifications on the patient's phone: the permission, and a Web Push subscription to the project's own server
// (VAPID; the push carries a reminder's id only, never its words: the service worker shows a generic line and the app
// shows the reminder). Where the phone has no push service (or the server none), reminders still show from the
// synced chart whenever the app runs.
import { send } from '../admin/admin-api';

const toBytes = (base64url: string) => Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4)), (c) => c.charCodeAt(0));

/** Leaves the words of a push notification, in the person's language, where the service worker reads them. */
export async function keepPushTexts(title: string, body: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  const cache = await caches.open('reminder-texts');
  await cache.put('/reminder-texts.json', new Response(JSON.stringify({ title, body }), { headers: { 'content-type': 'application/json' } }));
}

/** Asks for notifications, then subscribes to push if the server offers it; the permission that results. */
export async function enablePush(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission === 'granted') await subscribePush();
  return permission;
}

/**
 * Subscribes this phone to push (or takes its subscription as it is) and tells the server, again at each start of the
 * app: a subscription that failed once (offline), that the push service renewed, or that the server dropped after a
 * 410 comes back. Does nothing without the permission.
 */
export async function subscribePush(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const key = await send('GET', '/api/push/key');
    const registration = await navigator.serviceWorker?.getRegistration();
    if (!key.ok || typeof key.value.publicKey !== 'string' || !registration?.pushManager) return;
    const subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: toBytes(key.value.publicKey) }));
    const json = subscription.toJSON();
    await send('POST', '/api/push/subscriptions', { endpoint: json.endpoint, keys: json.keys });
  } catch {
    // No push service reachable from this phone (or offline): the app's own reminders still work; the next start tries again.
  }
}
