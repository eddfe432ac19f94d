// A form's fields as rune state that is also kept in the device's storage as they change, so that a booking
// or a registration half typed survives a reload, a crash or a flat battery. Call during component set-up;
// `clear()` once the form is saved.
export function draftState<T extends Record<string, unknown>>(key: string, initial: T): { value: T; clear(): void } {
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
