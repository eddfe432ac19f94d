// Schema versions of records, and the pure migrations that upgrade an older record when it is read or indexed.
//
// A record is stamped with the schema version it was written in when it is created (`writeFields` adds
// `schemaVersion` to a patch that creates a record, i.e. one that sets `createdBy`). Records written before
// versions existed have none: version 1. Readers and indexes call `upgradeRecord`, which applies each migration
// from the record's version up to `SCHEMA_VERSION`; the stored document is not rewritten (an upper unit reads
// charts it may not write). The app says its version in its hello, and a server refuses an app older than
// `MIN_APP_SCHEMA_VERSION` (close 4427): that app shows "cập nhật ứng dụng" and keeps every local change.
// No import from documents.ts (which calls upgradeRecord): the kinds are named here as strings.
type Fields = Record<string, unknown>;
type DocKind = 'patient' | 'appointment' | 'request' | 'review' | 'minutes' | 'call' | 'prescription';

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION = 2;

/** A record kind as migrations see it: a document's main record, or a teleconsultation form inside a chart. */
export type RecordKind = DocKind | 'form';

/** One step: a record of `kind` at version `from` becomes version `from + 1`. Pure: returns a new object. */
export type Migration = { kind: RecordKind; from: number; describe: string; up: (fields: Fields) => Fields };

export const migrations: readonly Migration[] = [
  {
    kind: 'form',
    from: 1,
    describe: 'the companion’s paper: a CCCD kept in companionPersonalId becomes companionIdKind "personal_id" + companionIdNumber',
    up: (f) => {
      const cccd = typeof f.companionPersonalId === 'string' ? f.companionPersonalId : '';
      if (!cccd || f.companionIdNumber !== undefined) return f;
      return { ...f, companionIdKind: 'personal_id', companionIdNumber: cccd };
    }
  }
];

/** The version a record was written in: its `schemaVersion`, or 1 for records from before versions. */
export function versionOf(fields: Fields): number {
  const v = fields.schemaVersion;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

/**
 * The record as the current schema reads it. A record from a newer app (a version above SCHEMA_VERSION) is left
 * as it is: this code cannot know what changed, and the server keeps such apps from writing what it refuses.
 */
export function upgradeRecord(kind: RecordKind, fields: Fields): Fields {
  let version = versionOf(fields);
  if (version >= SCHEMA_VERSION) return fields;
  // Records from before versions: the migrations are idempotent (each checks whether its change is needed).
  let out = fields;
  for (; version < SCHEMA_VERSION; version++) {
    for (const m of migrations) if (m.kind === kind && m.from === version) out = m.up(out);
  }
  // The stored version stays what it is (versionOf still says it): readers get the current shape, not a stamp.
  return out;
}
