// The device's own database (Dexie): sync state, the outbox of changes not yet acknowledged, changes the
// server refused, and the indexes derived from documents for lists and search.
import Dexie, { type EntityTable } from 'dexie';

export type StateRow = { key: string; value: unknown };
export type OutboxRow = { localId?: number; docId: string; meta: string; update: Uint8Array; at: number };
export type RefusedRow = { localId: number; docId: string; update: Uint8Array; code: string; message: string; at: number };
/**
 * Documents this device holds: kind, metadata, whether the server has acknowledged them, and whether they have
 * been opened here (then y-indexeddb keeps them in their own database; until then a compressed snapshot does).
 */
export type DocRow = { docId: string; kind: string; meta: string; known: 0 | 1; opened?: 0 | 1 };
/** A document received but never opened on this device: its merged state, a deflated Yjs v2 update. */
export type SnapshotRow = { docId: string; data: Uint8Array };
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
  outbox: EntityTable<OutboxRow, 'localId'>;
  refused: EntityTable<RefusedRow, 'localId'>;
  docs: EntityTable<DocRow, 'docId'>;
  snapshots: EntityTable<SnapshotRow, 'docId'>;
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
  return db;
}

/** The y-indexeddb database name of one document. */
export const docDbName = (namespace: string, docId: string) => `telehealth-${namespace}-doc-${docId}`;
