// The restore drill (README, "Backups"): the server's database is backed up, devices go on writing, the database
// is restored from the backup and the server restarted. The devices are not provisioned again: the one that wrote
// after the backup sends again what the server lost, the one that had received it keeps its cursor and receives
// what is written after the restore, and a new device receives everything.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { backupEmbedded, backupPostgres, restoreEmbedded, restoreGap, restorePostgres } from '../src/db-admin';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from './harness';
import { backends } from './databases';

const unitId = 'tyt-02701';
const chart = (id: string) => docId('patient', id);
const fullName = (d: Device, id: string) => mainRecord(d.store.doc(chart(id)), 'patient').get('fullName');
const write = (d: Device, id: string, fields: Record<string, string>, create = false) => {
  d.store.edit(chart(id), create ? { kind: 'patient', unitId, patientId: id } : undefined, (doc) => writeFields(mainRecord(doc, 'patient'), fields));
  return d.client.localChange();
};

describe.each(backends)('restoring the server database on $name', (backend) => {
  it('lets devices catch up without being provisioned again, and loses nothing they wrote after the backup', async () => {
    const db = await backend.create();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'telehealth-restore-'));
    const embedded = backend.name !== 'PostgreSQL';
    if (embedded) await db.drop();
    const start = (port = 0): Promise<TestSystem> => startTestSystem({ dataDir, port, ...(embedded ? { embedded: true } : { databaseUrl: db.url }) });
    let system = await start();
    const base = system.url;
    const port = system.port;
    const backup = path.join(dataDir, 'backup.dump');

    const writer = await device(base, 'tram.yty', { name: 'writer' });
    const reader = await device(base, 'tram.yty', { name: 'reader' });
    await write(writer, 'before', { fullName: 'Lò Văn A' }, true);
    await writer.synced();

    // The backup, taken while the server runs (pg_dump reads one snapshot; PGlite's folder is read with it stopped).
    if (embedded) {
      await system.stop();
      await backupEmbedded(dataDir, backup);
      system = await start(port);
    } else await backupPostgres(db.url, backup);

    // After it: a new chart and an edit, acknowledged, and received by the other device.
    await write(writer, 'after', { fullName: 'Hà Thị B' }, true);
    await write(writer, 'before', { phone: '0912000111' });
    await writer.synced();
    await waitFor(() => fullName(reader, 'after') === 'Hà Thị B', 10_000, 'the reader received the chart written after the backup');

    await system.stop();
    const restored = embedded ? await restoreEmbedded(dataDir, backup) : await restorePostgres(db.url, backup);
    expect(restored.restoredSeq).toBeGreaterThan(0);
    system = await start(port);
    try {
      // The writer reconnects on its own, sees the new log identity and sends its lost changes again.
      await waitFor(async () => (await system.hub.docs.get(chart('after'))) !== undefined, 20_000, 'the lost chart sent again');
      await writer.synced(20_000);
      // Written after the restore: numbered past every cursor, so the reader (whose cursor is beyond the backup) gets it.
      await write(writer, 'later', { fullName: 'Vàng Seo C' }, true);
      await writer.synced();
      await waitFor(() => fullName(reader, 'later') === 'Vàng Seo C', 20_000, 'the reader received what was written after the restore');
      expect(mainRecord(reader.store.doc(chart('before')), 'patient').toJSON()).toEqual({ fullName: 'Lò Văn A', phone: '0912000111' });

      const fresh = await device(base, 'tram.yty', { name: 'fresh' });
      await fresh.synced(20_000);
      expect(mainRecord(fresh.store.doc(chart('before')), 'patient').toJSON()).toEqual({ fullName: 'Lò Văn A', phone: '0912000111' });
      expect(fullName(fresh, 'after')).toBe('Hà Thị B');
      expect(fullName(fresh, 'later')).toBe('Vàng Seo C');
      expect(writer.store.refusedEntries).toEqual([]);
      for (const d of [writer, reader, fresh]) d.client.stop();

      if (!embedded) {
        const sql = postgres(db.url, { max: 1, onnotice: () => {} });
        const [row] = await sql<{ max: string }[]>`select max(seq)::text as max from updates`;
        await sql.end();
        expect(Number(row!.max)).toBeGreaterThan(restored.restoredSeq + restoreGap);
      }
    } finally {
      await system.stop();
      if (!embedded) await db.drop();
    }
  }, 120_000);
});
