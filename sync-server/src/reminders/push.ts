// Web Push from the project's own server (M9): VAPID keys of this deployment (VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY,
// else made once and kept in DATA_DIR/vapid.json, mode 600), and the sender. The payload is a reminder's id only,
// never its words: the phone shows them from its synced chart. No Firebase SDK or account: the browser's push service
// is the only party between, and it sees an encrypted id.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };
export type PushTarget = { endpoint: string; p256dh: string; auth: string };
export type PushResult = 'sent' | 'gone' | { error: string };

export type PushSender = {
  publicKey: string;
  send(target: PushTarget, payload: { id: string }, ttlSeconds: number): Promise<PushResult>;
};

export function vapidKeys(dataDir: string, configured: Partial<VapidKeys>): VapidKeys {
  const subject = configured.subject ?? 'mailto:admin@localhost';
  if (configured.publicKey && configured.privateKey) return { publicKey: configured.publicKey, privateKey: configured.privateKey, subject };
  const file = path.join(dataDir, 'vapid.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
    return { ...kept, subject };
  }
  mkdirSync(dataDir, { recursive: true });
  const made = webpush.generateVAPIDKeys();
  writeFileSync(file, JSON.stringify(made) + '\n', { mode: 0o600 });
  return { ...made, subject };
}

export function pushSender(keys: VapidKeys, timeoutMs = 15_000): PushSender {
  return {
    publicKey: keys.publicKey,
    async send(target, payload, ttlSeconds) {
      try {
        // web-push encrypts (RFC 8291, aes128gcm) and signs (VAPID, RFC 8292); the request goes out with fetch (a
        // bounded time; http too for a push service on a private network, if PUSH_ENDPOINT_ORIGINS allows one).
        const request = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, JSON.stringify(payload), {
          vapidDetails: { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: ttlSeconds,
          contentEncoding: 'aes128gcm'
        });
        const res = await fetch(request.endpoint, { method: request.method, headers: request.headers as Record<string, string>, body: new Uint8Array(request.body as Buffer), signal: AbortSignal.timeout(timeoutMs) });
        // The subscription is gone (the person unsubscribed or reinstalled): never send to it again.
        if (res.status === 404 || res.status === 410) return 'gone';
        if (!res.ok) return { error: `the push service answered ${res.status}` };
        return 'sent';
      } catch (err) {
        return { error: String((err as Error).message).slice(0, 200) };
      }
    }
  };
}
