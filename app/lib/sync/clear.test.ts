// Removing one account's data from a shared device: its databases and its keys go, another account's stay.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { clearAccountData, keyOfAccount } from './clear';
import { legacyDocDbName, openLocalDb } from './local-db';
import { MemoryStorage } from '../memory-storage';


async function account(userId: string, docId: string) {
  const db = openLocalDb(userId);
  await db.docs.put({ docId, kind: 'patient', meta: '{}', known: 1, legacy: 1 });
  db.close();
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(legacyDocDbName(userId, docId), doc);
  await persistence.whenSynced;
  doc.getMap('patient').set('fullName', 'Hầu Thị Dua');
  await persistence.destroy();
}

const names = async () => (await indexedDB.databases()).map((d) => d.name).sort();

describe('clearAccountData', () => {
  it('deletes the account’s record databases and device keys, keeping another account’s', async () => {
    await account('user-a', 'patient:p1');
    await account('user-b', 'patient:p2');
    const storage = new MemoryStorage();
    const keys = {
      'telehealth.device.user-a': 'd-1',
      'telehealth.openings.user-a': '[]',
      'telehealth.draft.form.f1@user-a': '{"advice":"uống nhiều nước"}',
      'telehealth.draft.booking.user-a@user-a': '{}',
      'telehealth.offline.tram.yty': JSON.stringify({ user: { id: 'user-a' } }),
      'telehealth.device.user-b': 'd-2',
      'telehealth.draft.form.f1@user-b': '{}',
      'telehealth.draft.form.f1@user-ab': '{}',
      'telehealth.offline.bacsi': JSON.stringify({ user: { id: 'user-b' } }),
      'telehealth.locale': 'vi'
    };
    for (const [k, v] of Object.entries(keys)) storage.setItem(k, v);

    await clearAccountData('user-a', indexedDB, storage);

    expect(await names()).toEqual(['telehealth-user-b', legacyDocDbName('user-b', 'patient:p2')]);
    const left = Array.from({ length: storage.length }, (_, i) => storage.key(i)).sort();
    expect(left).toEqual(['telehealth.device.user-b', 'telehealth.draft.form.f1@user-ab', 'telehealth.draft.form.f1@user-b', 'telehealth.locale', 'telehealth.offline.bacsi']);
  });

  it('matches an account id only as a whole part of a key', () => {
    expect(keyOfAccount('telehealth.seen.user-tram.yty', 'user-tram.yty')).toBe(true);
    expect(keyOfAccount('telehealth.seen.user-tram.yty2', 'user-tram.yty')).toBe(false);
    expect(keyOfAccount('other.user-tram.yty', 'user-tram.yty')).toBe(false);
  });
});
