// What follows a login or a registration: keep the device's data persistently, then go to the home page; or
// return why it failed (an i18n key) for the form to show.
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { MessageKey } from '../i18n/catalog';
import { pwa } from '../pwa/pwa.svelte';
import type { LoginResult } from './session.svelte';

export async function enter(attempt: Promise<LoginResult>): Promise<MessageKey | undefined> {
  const result = await attempt;
  if (!result.ok) return result.error;
  await pwa.requestPersistence();
  await goto(resolve('/'));
  return undefined;
}
