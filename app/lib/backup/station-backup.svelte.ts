// The settings screen's backup and restore (README "Backing up a device"): the signed-in account's data to one
// encrypted file and back, and the reminder to make one when changes have waited long for the server.
import { session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import type { MessageKey } from '../i18n/catalog';
import { createBackup, restoreBackup, type BackupSummary, type RestoreSummary } from './backup';
import { MAX_BACKUP_FILE_BYTES, MIN_PASSPHRASE_LENGTH, readBackupHeader, type BackupError } from './format';
import { backupDue, lastBackupKey, oldestQueuedAt } from './reminder';

const errorKey = (e: BackupError) => `backup.error.${e}` as MessageKey;
/** The file name: the unit and the time in Vietnam (UTC+7), e.g. sao-luu-tyt-02701-2026-12-01-0930.ytxbak. */
const fileName = (unitId: string | null, now: number) =>
  `sao-luu-${unitId ?? 'tai-khoan'}-${new Date(now + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', '-').replace(':', '')}.ytxbak`;

class StationBackup {
  busy = $state<'create' | 'restore' | undefined>(undefined);
  /** Why the last attempt failed, as a catalog key. */
  problem = $state<MessageKey | undefined>(undefined);
  made = $state<(BackupSummary & { fileName: string }) | undefined>(undefined);
  restored = $state<RestoreSummary | undefined>(undefined);
  /** The reminder to back up (changes waiting for the server for a day, no recent backup). */
  due = $state(false);
  oldestQueuedAt = $state<number | undefined>(undefined);
  lastBackupAt = $state<number | undefined>(undefined);
  /** The clock (tests inject one). */
  now: () => number = Date.now;

  private account() {
    const user = session.user;
    return sync.engine && user ? { store: sync.engine.store, account: { userId: user.id, unitId: user.unitId } } : undefined;
  }

  /** Reads when the oldest waiting change was made and the last backup, and whether to remind. */
  async refresh() {
    const a = this.account();
    if (!a) return;
    this.oldestQueuedAt = await oldestQueuedAt(a.store);
    const kept = Number(localStorage.getItem(lastBackupKey(a.account.userId)));
    this.lastBackupAt = kept > 0 ? kept : undefined;
    this.due = backupDue({ oldestQueuedAt: this.oldestQueuedAt, lastBackupAt: this.lastBackupAt, now: this.now() });
  }

  /** Makes the backup file; undefined (and `problem` set) when the passphrase will not do. */
  async create(passphrase: string, repeated: string): Promise<{ blob: Blob; fileName: string } | undefined> {
    this.problem = undefined;
    this.made = undefined;
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) return void (this.problem = 'backup.passphraseShort');
    if (passphrase !== repeated) return void (this.problem = 'backup.passphraseMismatch');
    const a = this.account();
    if (!a) return void (this.problem = 'backup.notReady');
    this.busy = 'create';
    try {
      const now = this.now();
      const { file, summary } = await createBackup(a.store, a.account, passphrase, { now: () => now });
      const name = fileName(a.account.unitId, now);
      localStorage.setItem(lastBackupKey(a.account.userId), String(now));
      this.made = { ...summary, fileName: name };
      await this.refresh();
      return { blob: new Blob([file as BlobPart], { type: 'application/octet-stream' }), fileName: name };
    } finally {
      this.busy = undefined;
    }
  }

  /** Restores a chosen file into this device, merging with what it holds. */
  async restore(file: File, passphrase: string) {
    this.problem = undefined;
    this.restored = undefined;
    const a = this.account();
    if (!a) return void (this.problem = 'backup.notReady');
    if (file.size > MAX_BACKUP_FILE_BYTES) return void (this.problem = errorKey('too_large'));
    this.busy = 'restore';
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const clear = readBackupHeader(bytes);
      if ('error' in clear) return void (this.problem = errorKey(clear.error));
      const result = await restoreBackup(a.store, a.account, bytes, passphrase);
      if ('error' in result) return void (this.problem = errorKey(result.error));
      this.restored = result.summary;
      await this.refresh();
    } finally {
      this.busy = undefined;
    }
  }
}

export const stationBackup = new StationBackup();
