// Offline login on a station device: after one online login, a salted PBKDF2 verifier of the password (never
// the password) is kept on the device, so the same person can open the app again with no network.

export type OfflineRecord<U> = { username: string; salt: string; hash: string; iterations: number; user: U };

const iterations = 200_000;
const key = (username: string) => `telehealth.offline.${username.trim().toLowerCase()}`;
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, rounds: number): Promise<string> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: rounds }, material, 256);
  return b64(new Uint8Array(bits));
}

export async function rememberCredentials<U>(username: string, password: string, user: U, storage: Storage = localStorage): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const record: OfflineRecord<U> = { username, salt: b64(salt), hash: await derive(password, salt, iterations), iterations, user };
  storage.setItem(key(username), JSON.stringify(record));
}

/** Forgets the offline login of this account on the device (the server said it is disabled). */
export function forgetCredentials(username: string, storage: Storage = localStorage): void {
  storage.removeItem(key(username));
}

/** The user remembered for these credentials, or undefined when unknown here or the password differs. */
export async function verifyOffline<U>(username: string, password: string, storage: Storage = localStorage): Promise<U | undefined> {
  const raw = storage.getItem(key(username));
  if (!raw) return undefined;
  let record: OfflineRecord<U>;
  try {
    record = JSON.parse(raw) as OfflineRecord<U>;
  } catch {
    return undefined;
  }
  const hash = await derive(password, unb64(record.salt), record.iterations);
  return hash === record.hash ? record.user : undefined;
}
