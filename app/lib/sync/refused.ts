// Changes the server refused: they stay on this device (nothing typed is lost) and settings lists them with the
// server's reason.
import { sync } from './sync-state.svelte';
import type { RefusedRow } from './local-db';

export type { RefusedRow };

/** The refused changes on this device, oldest first; undefined before the account's engine has started. */
export function refusedChanges(): Promise<RefusedRow[]> | undefined {
  return sync.engine?.db.refused.orderBy('localId').toArray();
}
