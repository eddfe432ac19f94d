// The reminder to back up follows how long changes have waited for the server, on an injected clock.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { openLocalDb } from '../sync/local-db';
import { LocalStore } from '../sync/local-store';
import { BACKUP_REMIND_AFTER_MS, backupDue, oldestQueuedAt } from './reminder';

const hour = 3_600_000;

describe('the backup reminder', () => {
  it('comes when a change has waited a day for the server and no backup was made since, and goes once one is', async () => {
    let now = Date.UTC(2026, 11, 1, 1);
    const store = new LocalStore('reminder-user', 7, openLocalDb('reminder-user'), { changed() {}, outboxChanged() {} }, () => now);
    expect(await oldestQueuedAt(store)).toBeUndefined();
    const made = now;
    const chart = docId('patient', 'p-wait');
    const doc = await store.openDoc(chart, { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-wait' });
    writeFields(mainRecord(doc, 'patient'), { id: 'p-wait', fullName: 'Hảng A Chư', gender: 'male', dateOfBirth: '1999-09-09' });
    await store.closeDoc(chart);
    now += 2 * hour;
    writeFields(mainRecord(await store.openDoc(chart), 'patient'), { phone: '0912999888' });
    await store.closeDoc(chart);
    expect(await oldestQueuedAt(store)).toBe(made);

    const due = (at: number, lastBackupAt?: number) => backupDue({ oldestQueuedAt: made, lastBackupAt, now: at });
    expect(due(made + BACKUP_REMIND_AFTER_MS - 1)).toBe(false);
    expect(due(made + BACKUP_REMIND_AFTER_MS)).toBe(true);
    // A backup made an hour ago holds what waits: no reminder until another day has passed.
    expect(due(made + 30 * hour, made + 29 * hour)).toBe(false);
    expect(due(made + 53 * hour, made + 29 * hour)).toBe(true);
    // Once everything reached the server, nothing is due however old the last backup.
    expect(backupDue({ oldestQueuedAt: undefined, lastBackupAt: undefined, now: made + 100 * hour })).toBe(false);
    for (const e of await store.outbox()) await store.acknowledged(e.docId, e.localId, 1);
    expect(await oldestQueuedAt(store)).toBeUndefined();
    store.db.close();
  });
});
