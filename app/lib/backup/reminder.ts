// When to remind a station to back up: its changes have waited for the server long (days offline: a lost or broken
// device would lose them) and no backup was made recently.
import type { LocalStore } from '../sync/local-store';

/** Changes waiting for the server longer than this call for a backup. */
export const BACKUP_REMIND_AFTER_MS = 24 * 3_600_000;

/** Where the time of the last backup made on this device is kept (removed with the account's data at logout). */
export const lastBackupKey = (userId: string) => `telehealth.backup.last.${userId}`;

/**
 * Whether to remind: the oldest change still queued was made more than BACKUP_REMIND_AFTER_MS ago, and the last
 * backup made here is older than that too (a backup made since holds every change waiting before it).
 */
export function backupDue(input: { oldestQueuedAt: number | undefined; lastBackupAt: number | undefined; now: number }): boolean {
  const { oldestQueuedAt, lastBackupAt, now } = input;
  if (oldestQueuedAt === undefined || now - oldestQueuedAt < BACKUP_REMIND_AFTER_MS) return false;
  return lastBackupAt === undefined || now - lastBackupAt >= BACKUP_REMIND_AFTER_MS;
}

/** When the oldest change still waiting for the server was made here (undefined: none waits). */
export async function oldestQueuedAt(store: LocalStore): Promise<number | undefined> {
  // The outbox is the rows with q = 1; the lowest sequence number is the oldest.
  return (await store.db.updates.where('q').equals(1).first())?.at;
}
