// The sync server's storage contract: everything the server persists goes through this interface.
import type { DocMeta, Role, UnitKind } from '@telehealth/domain';

export type UnitRow = {
  id: string;
  kind: UnitKind;
  name: string;
  provinceCode: string;
  communeCode: string | null;
  parentId: string | null;
  /** ICD-10 categories this unit handles by teleconsultation; null: the default list for its kind. */
  telehealthIcd?: string[] | null;
  /** Mã cơ sở y tế: the unit's code in the BHYT list of health facilities (5 characters, `patterns.facilityCode`); null: none. */
  facilityCode?: string | null;
  /** The unit's phone line (0 and 9 or 10 digits): a call's last rung, offered as a tel: link; null: none entered. */
  phone?: string | null;
};

export type UserRow = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  /** For a patient account: the patient record it owns. */
  patientId: string | null;
  passwordHash: string;
  /** When an administrator disabled the account (it may not log in or sync); null or absent: enabled. */
  disabledAt?: Date | null;
};

export type Storage = {
  /** Creates or upgrades the schema; safe to run at every start. */
  migrate(): Promise<void>;
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  upsertUnit(unit: UnitRow): Promise<void>;
  listUnits(): Promise<UnitRow[]>;
  linkUnits(fromUnitId: string, toUnitId: string): Promise<void>;
  /** Units that `fromUnitId` may send consultation requests to. */
  linkedUnits(fromUnitId: string): Promise<string[]>;

  createUser(user: UserRow): Promise<'created' | 'username-taken'>;
  findUserByUsername(username: string): Promise<UserRow | undefined>;
  findUserById(id: string): Promise<UserRow | undefined>;
  /** The station a patient account with this patient id registered with, if there is such an account. */
  patientAccountUnit(patientId: string): Promise<string | undefined>;
  countUsers(): Promise<number>;

  saveRefreshToken(tokenHash: string, userId: string, expiresAt: Date): Promise<void>;
  /** Consumes a refresh token (one use only): returns its user when it existed and had not expired. */
  takeRefreshToken(tokenHash: string, now: Date): Promise<{ userId: string } | undefined>;
  /** Deletes a refresh token (logout); true when it existed. */
  revokeRefreshToken(tokenHash: string): Promise<boolean>;
  /**
   * Disables (`disabledAt` a time) or enables (null) an account; disabling deletes its refresh tokens in the same
   * transaction and, with `notify`, tells every node (`listenAccounts`). The account as it is now, or undefined if none.
   */
  setUserDisabled(userId: string, disabledAt: Date | null): Promise<UserRow | undefined>;
  /** Calls `onDisabled(userId)` whenever any node disables an account (PostgreSQL LISTEN/NOTIFY); undefined where unsupported. */
  listenAccounts?(onDisabled: (userId: string) => void): Promise<() => Promise<void>>;

  /** The update log (see ARCHITECTURE.md, "Sync protocol"). */
  log: LogStorage;
};

/** Who reads: `unit:<unitId>` for a unit's staff, `patient:<patientId>` for a patient's own account. */
export type Reader = string;

export type DocRow = DocMeta & { id: string; createdSeq: number };

export type AccessRow = { reader: Reader; docId: string; visSeq: number; canWrite: boolean };

export type LogWrite = {
  docId: string;
  /** The writing device; its own updates are never sent back to it. */
  origin: string;
  data: Uint8Array;
  /** For a document not yet in the log: its metadata and who may read and write it. */
  create?: {
    meta: DocMeta;
    /** `granted`: visible from this write on (a grant), rather than from the document's beginning. */
    access: { reader: Reader; canWrite: boolean; granted?: boolean }[];
  };
  /**
   * Read access to other, existing documents that this write grants (a request lets its upper unit read the chart);
   * `source`: the document whose state makes the grant (the request, the minutes), remembered for revocation.
   */
  grants?: { reader: Reader; docId: string; source?: string }[];
  /**
   * Grants this write takes back (a request withdrawn): `source` no longer grants `reader` the document; the access
   * ends when no other source grants it (see ARCHITECTURE.md, "Authorization").
   */
  revokes?: { reader: Reader; docId: string; source: string }[];
  /** Who wrote it and when (ms): kept in the audit trail with the update's seq and the origin device. */
  author?: { userId: string; atMs: number };
};

/**
 * One line of the audit trail: a stored update (`write`), a chart delivered to (`deliver`) or opened on (`open`) a
 * device outside its unit; an account disabled or enabled by an administrator (`userId`; `docId` is `account:<id>`).
 */
export type AuditEntry = { atMs: number; action: 'write' | 'deliver' | 'open' | 'disable' | 'enable'; docId: string; userId: string; device: string | null; seq: number | null };

/** A reader's access to a document that ended at `seq` (a withdrawn request took back the chart). */
export type Revocation = { reader: Reader; docId: string; seq: number };

export type LogWriteResult = { ok: true; seq: number; newAccess: AccessRow[]; revoked: Revocation[] } | { ok: false; code: 'bad_meta' };

export type LogEntry = { docId: string; data: Uint8Array; e: number; s: number };

export type LogRow = { seq: number; docId: string; origin: string | null; data: Uint8Array };

export type LogStorage = {
  /** Appends in one transaction, in order, durable when the promise resolves; sequence numbers commit in order. */
  append(writes: LogWrite[]): Promise<LogWriteResult[]>;
  maxSeq(): Promise<number>;
  getDoc(docId: string): Promise<DocRow | undefined>;
  docAccess(docId: string): Promise<AccessRow[]>;
  /** Units that hold a consultation request for this patient (they may read the patient's chart). */
  requestPeers(patientId: string): Promise<string[]>;
  /**
   * What `reader` may see after cursor (e, s) and at or before `horizon`, in (e, s) order, leaving out `device`'s
   * own updates; stops before `maxBytes`. `complete` when nothing else is pending up to the horizon.
   */
  readLog(q: { reader: Reader; device: string; after: { e: number; s: number }; horizon: number; maxBytes: number }): Promise<{
    entries: LogEntry[];
    complete: boolean;
  }>;
  /** A document's updates with seq ≤ upTo, oldest first. */
  docHistory(docId: string, upTo: number): Promise<LogRow[]>;
  /** Log rows with from ≤ seq ≤ to (for fan-out on other nodes), and the grants made and revoked in that range. */
  readRange(from: number, to: number): Promise<{ rows: LogRow[]; grants: AccessRow[]; revoked: Revocation[] }>;
  /** Whether `reader` could read `docId` once and lost it (a revocation was logged). */
  wasRevoked(reader: Reader, docId: string): Promise<boolean>;
  /** Documents with at least `minRows` updates. */
  docsToCompact(minRows: number, limit: number): Promise<string[]>;
  /** Replaces runs of a document's updates by their merge (each at most `maxBytes`), keeping the run's last seq. */
  compactDoc(docId: string, merge: (updates: Uint8Array[]) => Uint8Array, maxBytes: number): Promise<{ before: number; after: number }>;
  /** Appends lines to the audit trail (deliveries and openings; writes are recorded by `append`). */
  audit(entries: AuditEntry[]): Promise<void>;
  /** The audit trail of one document or one account, newest first. */
  auditTrail(q: { docId?: string; userId?: string; limit: number }): Promise<AuditEntry[]>;
  /** Calls `onAppend(from, to)` whenever any node appends (PostgreSQL LISTEN/NOTIFY); undefined where unsupported. */
  listen?(onAppend: (from: number, to: number) => void): Promise<() => Promise<void>>;
};
