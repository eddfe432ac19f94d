// The device's own database (Dexie), one per account: every document's stored updates, which of them are
// still queued for the server (the outbox), changes the server refused, the sync cursor, and the indexes
// derived from documents for lists and search. One database, so that storing a change, queueing it and
// indexing it are one IndexedDB transaction (ARCHITECTURE.md, "The device side").
import Dexie, { type EntityTable } from 'dexie';

export type StateRow = { key: string; value: unknown };
/**
 * One stored Yjs v2 update of a document. A document's state is the union of its rows (in any order). `q` is 1
 * while the update is a local change the server has not acknowledged: the outbox is the rows with q = 1.
 * `z` marks a row deflated (compacted rows: several updates merged into one).
 */
export type UpdateRow = { seq?: number; docId: string; data: Uint8Array; q: 0 | 1; z?: 1; at: number };
export type RefusedRow = { localId: number; docId: string; update: Uint8Array; code: string; message: string; at: number };
/**
 * Documents this device holds: kind, metadata, and whether the server has acknowledged them. `legacy` marks a
 * document an older version of the app kept in its own y-indexeddb database, moved here when first read.
 * `ackedSeq`: the log entry of the last change from here the server acknowledged (LocalStore.serverLog).
 */
export type DocRow = { docId: string; kind: string; meta: string; known: 0 | 1; legacy?: 0 | 1; ackedSeq?: number };
/** A patient as lists and search need it, derived from the patient's chart. */
export type PatientRow = {
  id: string;
  fullName: string;
  /** fullName without diacritics, lower case, for search. */
  nameKey: string;
  dateOfBirth: string;
  gender: string;
  personalId: string;
  insuranceNumber: string;
  phone: string;
  communeCode: string;
  /**
   * What the device's reports 5A–5D read of the chart (app/lib/reports/device-reports.ts), so that a report does not
   * open every chart: the owning unit, the place and ethnic group, and each visit's completion time ('' for none).
   * Absent on rows indexed by an older version of the app: the report opens those charts.
   */
  report?: { unitId: string; ethnicityCode: string; provinceCode: string; oldDistrictCode: string; forms: string[] };
  updatedAt: number;
};

/**
 * Appointments, requests and reviews as lists need them: the main record's fields (without attachments), and
 * for an appointment its events, derived from the document whenever it changes.
 */
export type RecordRow = {
  docId: string;
  kind: string;
  id: string;
  patientId: string;
  fields: Record<string, unknown>;
  events?: unknown[];
  updatedAt: number;
};

export type LocalDb = Dexie & {
  state: EntityTable<StateRow, 'key'>;
  updates: EntityTable<UpdateRow, 'seq'>;
  refused: EntityTable<RefusedRow, 'localId'>;
  docs: EntityTable<DocRow, 'docId'>;
  patients: EntityTable<PatientRow, 'id'>;
  records: EntityTable<RecordRow, 'docId'>;
};

export function openLocalDb(namespace: string, indexedDB?: IDBFactory): LocalDb {
  const db = new Dexie(`telehealth-${namespace}`, indexedDB ? { indexedDB, IDBKeyRange: globalThis.IDBKeyRange } : undefined) as LocalDb;
  db.version(1).stores({
    state: 'key',
    outbox: '++localId, docId',
    refused: 'localId, docId',
    docs: 'docId, kind',
    snapshots: 'docId',
    // Searched in memory (records/patient-index.ts): only the key is indexed here.
    patients: 'id'
  });
  db.version(2).stores({ records: 'docId, kind, patientId' });
  // Version 3: documents' updates move into this database. The old outbox becomes queued rows, the snapshots of
  // documents never opened become deflated rows, and documents kept by y-indexeddb are marked to move when read.
  db.version(3)
    .stores({ updates: '++seq, docId, q' })
    .upgrade(async (tx) => {
      const snapshots = (await tx.table('snapshots').toArray()) as { docId: string; data: Uint8Array }[];
      const outbox = (await tx.table('outbox').orderBy('localId').toArray()) as { docId: string; update: Uint8Array; at: number }[];
      await tx.table('updates').bulkAdd([
        ...snapshots.map((s): UpdateRow => ({ docId: s.docId, data: s.data, q: 0, z: 1, at: 0 })),
        ...outbox.map((o): UpdateRow => ({ docId: o.docId, data: o.update, q: 1, at: o.at }))
      ]);
      await tx
        .table('docs')
        .toCollection()
        .modify((d: DocRow & { opened?: 0 | 1 }) => {
          if (d.opened) d.legacy = 1;
          delete d.opened;
        });
    });
  db.version(4).stores({ outbox: null, snapshots: null });
  return db;
}

/** The y-indexeddb database in which versions before 3 kept an opened document (read once, then deleted). */
export const legacyDocDbName = (namespace: string, docId: string) => `telehealth-${namespace}-doc-${docId}`;
