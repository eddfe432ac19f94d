// A list the server serves with an ETag that the device keeps per account in its storage, to read offline (the
// bulletins, the consultation calendars): reading and writing the kept copy, and asking the server for a newer one.
import { session } from './auth/session.svelte';

/** The copy kept under `key`, or undefined (none, or unreadable: then it is dropped). */
export function readKept(key: string): Record<string, unknown> | undefined {
  if (typeof localStorage === 'undefined') return undefined;
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? 'null') as unknown;
    return typeof kept === 'object' && kept !== null && !Array.isArray(kept) ? (kept as Record<string, unknown>) : undefined;
  } catch {
    localStorage.removeItem(key);
    return undefined;
  }
}

/** Keeps `value` under `key`; a full storage keeps the last copy (the list on screen is still the new one). */
export function keep(key: string, value: object): void {
  if (typeof localStorage === 'undefined') return;
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota: the previous copy stays.
  }
}

/** The server's body and ETag at `path` when it has something newer than `etag`; undefined when unchanged, refused or offline. */
export async function fetchNewer(path: string, etag: string | null): Promise<{ body: Record<string, unknown>; etag: string | null } | undefined> {
  const token = await session.accessToken();
  if (!token) return undefined;
  try {
    const res = await fetch(path, { headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) } });
    if (res.status === 304 || !res.ok) return undefined;
    return { body: (await res.json()) as Record<string, unknown>, etag: res.headers.get('etag') };
  } catch {
    return undefined;
  }
}
