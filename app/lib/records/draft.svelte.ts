// A form's fields as rune state that is also kept in the device's storage as they change, so that a booking
// or a registration half typed survives a reload, a crash or a flat battery. Call during component set-up;
// `clear()` once the form is saved. Drafts belong to the account that typed them: the key carries its user id.
import { session } from '../auth/session.svelte';

/** A device-storage key of the signed-in account: another account on the same device never reads it. */
export const accountKey = (key: string) => `${key}@${session.user?.id ?? 'anonymous'}`;

export function draftState<T extends Record<string, unknown>>(base: string, initial: T): { value: T; clear(): void } {
  const key = accountKey(base);
  let restored: Partial<T> = {};
  try {
    restored = JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<T>;
  } catch {
    localStorage.removeItem(key);
  }
  const value = $state<T>({ ...initial, ...restored });
  let cleared = false;
  $effect(() => {
    const json = JSON.stringify(value);
    if (!cleared) localStorage.setItem(key, json);
  });
  return {
    value,
    clear() {
      cleared = true;
      localStorage.removeItem(key);
    }
  };
}
