// Schema versions: a record created now carries the version it was written in; an older record is upgraded by
// pure migrations when read; the stored record is not touched.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { chartForms, mainRecord, readFields, readForms, writeFields, writeForm } from './documents';
import { SCHEMA_VERSION, migrations, upgradeRecord, versionOf } from './migrations';

describe('schema versions and migrations', () => {
  it('stamps a record with the current version when it is created, not on later edits', () => {
    const doc = new Y.Doc();
    writeFields(mainRecord(doc, 'patient'), { id: 'p-1', fullName: 'Lò Văn Sính', createdAt: '2026-12-01T01:00:00.000Z', createdBy: 'user-1' });
    expect(mainRecord(doc, 'patient').get('schemaVersion')).toBe(SCHEMA_VERSION);
    const old = new Y.Doc();
    writeFields(mainRecord(old, 'patient'), { fullName: 'Trước đây' });
    expect(mainRecord(old, 'patient').has('schemaVersion')).toBe(false);
    expect(versionOf(readFields(mainRecord(old, 'patient')))).toBe(1);
  });

  it('upgrades a version-1 form’s companion CCCD to the paper kind and number when read, leaving the stored form as it was', () => {
    const chart = new Y.Doc();
    writeForm(chart, 'f-old', { id: 'f-old', companionName: 'Giàng A Lử', companionPersonalId: '012345678901' });
    const [read] = readForms(chart);
    expect(read).toMatchObject({ companionIdKind: 'personal_id', companionIdNumber: '012345678901', companionPersonalId: '012345678901' });
    expect(chartForms(chart).get('f-old')!.has('companionIdKind')).toBe(false);
  });

  it('leaves a current record, a record that already has the new fields, and a record from a newer app as they are', () => {
    const current = { id: 'f', companionPersonalId: '012345678901', schemaVersion: SCHEMA_VERSION };
    expect(upgradeRecord('form', current)).toBe(current);
    expect(upgradeRecord('form', { companionPersonalId: '012345678901', companionIdKind: 'other', companionIdNumber: 'Giấy xác nhận của UBND xã' })).toMatchObject({ companionIdKind: 'other' });
    const newer = { id: 'f', schemaVersion: SCHEMA_VERSION + 5, somethingNew: 1 };
    expect(upgradeRecord('form', newer)).toBe(newer);
  });

  it('has migrations that are pure and go one version at a time up to the current one', () => {
    for (const m of migrations) {
      expect(m.from).toBeGreaterThanOrEqual(1);
      expect(m.from).toBeLessThan(SCHEMA_VERSION);
      const input = Object.freeze({ companionPersonalId: '012345678901' });
      expect(() => m.up(input)).not.toThrow();
      expect(input).toEqual({ companionPersonalId: '012345678901' });
    }
  });
});
