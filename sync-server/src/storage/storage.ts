// The sync server's storage contract: everything the server persists goes through this interface.
import type { DocKind, DocMeta, Role, SignatureEntry, UnitKind } from '@telehealth/domain';

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
  /** The unit's address and its operating licence number, as the official reports print them; null: none entered. */
  address?: string | null;
  licence?: string | null;
};

/** A unit's yearly reports: its telehealth level self-assessment, its activity report (circular 49 appendix II). */
export type UnitReportKind = 'level' | 'activity';
/** Who signed a unit's report and when; `content` is the SHA-256 of the report it printed (`reportDigestText`). */
export type UnitReportSignature = { at: string; by: string; signerName: string; content: string };

/** A Department of Health's bulletin (bản tin) to its province. */
export type BulletinRow = { id: string; unitId: string; provinceCode: string; title: string; body: string; publishedAt: Date; publishedBy: string; withdrawnAt: Date | null };

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
} & StaffProfile & {
  /** Who created the account: an administrator, or a health worker for a citizen; null: the person themself (or the setup). */
  createdBy?: string | null;
};

/** A person's profile as the reports and the consultation's minutes need it (absent or null: not entered). */
export type StaffProfile = {
  gender?: 'male' | 'female' | null;
  /** Trình độ chuyên môn, e.g. "Bác sĩ chuyên khoa I". */
  qualification?: string | null;
  /** Chức danh, e.g. "Trưởng trạm". */
  jobTitle?: string | null;
  /** Số chứng chỉ hành nghề. */
  practiceCertificate?: string | null;
  /** Phạm vi hoạt động chuyên môn. */
  practiceScope?: string | null;
};

/** An imported catalog: its name (`icd10`), version (a digest), number of entries, and who imported it when. */
export type CatalogRow = { name: string; version: string; count: number; importedAt: Date; importedBy: string; body?: string };

/** What an administrator changes in an account; absent fields stay as they are. */
export type AccountChange = { displayName?: string; role?: Role; unitId?: string | null; passwordHash?: string } & StaffProfile;
/** What other nodes hear about an account: it was disabled (close 4403), or its sessions ended (close 4401). */
export type AccountEvent = 'disabled' | 'ended' | 'revoked';
/** A device of an account that has synced: when first and last seen (at a hello), its app's versions, and whether it was revoked. */
export type DeviceRow = { userId: string; deviceId: string; firstSeen: Date; lastSeen: Date; schemaVersion: number | null; revision: number | null; revokedAt: Date | null; revokedBy: string | null };

export type RecordingStatus = 'recording' | 'converting' | 'ready' | 'failed';
/** One converted track of a recording: a participant's audio (Ogg Opus) or video (WebM VP8). */
export type RecordingFile = { name: string; kind: 'audio' | 'video'; bytes: number; participant: string };
export type RecordingRow = { id: string; requestId: string; startedBy: string; startedAt: Date; stoppedAt: Date | null; consented: string[]; status: RecordingStatus; files: RecordingFile[] };

/** An invitation of a named person into one consultation's call. */
export type InviteRow = { id: string; requestId: string; name: string; createdBy: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null };

export type Storage = {
  /** Creates or upgrades the schema; safe to run at every start. */
  migrate(): Promise<void>;
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  upsertUnit(unit: UnitRow): Promise<void>;
  listUnits(): Promise<UnitRow[]>;
  /** A unit's yearly report of a kind (its body, as JSON the domain parses), if saved. */
  getUnitReport(unitId: string, kind: UnitReportKind, year: number): Promise<{ body: unknown; updatedBy: string; updatedAt: string; signed: UnitReportSignature | null } | undefined>;
  /** Saves the report; false (nothing changed) when the saved one is signed. */
  saveUnitReport(unitId: string, kind: UnitReportKind, year: number, body: object, by: string): Promise<boolean>;
  /** Keeps the signed PDF of the saved report, when its body is still `body`; false when it is signed already or changed since. */
  signUnitReport(unitId: string, kind: UnitReportKind, year: number, s: { body: unknown; pdf: Uint8Array; by: string; signerName: string; content: string }): Promise<boolean>;
  unitReportPdf(unitId: string, kind: UnitReportKind, year: number): Promise<Uint8Array | undefined>;
  /** A unit's enabled staff accounts (station workers and doctors), by name: at most `limit`. */
  unitStaff(unitId: string, limit: number): Promise<UserRow[]>;
  /** The consultation calendars of these units (those that published one), as JSON the domain parses. */
  getCalendars(unitIds: readonly string[]): Promise<{ unitId: string; body: unknown; updatedAt: string }[]>;
  saveCalendar(unitId: string, body: object, by: string): Promise<void>;
  /** A call recording started (status `recording`), or its end: status and files. */
  addRecording(r: RecordingRow): Promise<void>;
  finishRecording(id: string, change: { status: RecordingStatus; stoppedAt: Date; files: RecordingFile[]; consented?: string[] }): Promise<void>;
  /** A consultation's recordings, oldest first (at most 200). */
  listRecordings(requestId: string): Promise<RecordingRow[]>;
  getRecording(id: string): Promise<RecordingRow | undefined>;
  addInvite(i: InviteRow): Promise<void>;
  getInvite(id: string): Promise<InviteRow | undefined>;
  /** A consultation's invitations still valid at `at` (not revoked, not expired), newest first. */
  liveInvites(requestId: string, at: Date): Promise<InviteRow[]>;
  /** Marks an invitation revoked; false when there is none or it was revoked already. */
  revokeInvite(id: string, at: Date): Promise<boolean>;
  /** Stores a new bulletin. */
  addBulletin(b: BulletinRow): Promise<void>;
  /** Marks a bulletin withdrawn (at `at`); false when there is none or it was withdrawn already. */
  withdrawBulletin(id: string, at: Date): Promise<boolean>;
  getBulletin(id: string): Promise<BulletinRow | undefined>;
  /** The newest bulletins of these provinces (withdrawn ones too, when asked), newest first. */
  listBulletins(provinceCodes: readonly string[] | 'all', opts: { limit: number; withdrawn: boolean }): Promise<BulletinRow[]>;
  /** How many bulletins each unit published in [from, to) (withdrawn ones included). */
  countBulletins(from: Date, to: Date): Promise<{ unitId: string; count: number }[]>;
  /**
   * The connection points of a unit's telehealth network (decision 28, group D): the unit itself and every unit it
   * exchanges consultations with (links either way, its parent, its children).
   */
  connectionPoints(unitId: string): Promise<number>;
  linkUnits(fromUnitId: string, toUnitId: string): Promise<void>;
  /** Units that `fromUnitId` may send consultation requests to. */
  linkedUnits(fromUnitId: string): Promise<string[]>;

  createUser(user: UserRow): Promise<'created' | 'username-taken'>;
  findUserByUsername(username: string): Promise<UserRow | undefined>;
  findUserById(id: string): Promise<UserRow | undefined>;
  /** The station a patient account with this patient id registered with, if there is such an account. */
  patientAccountUnit(patientId: string): Promise<string | undefined>;
  /**
   * The unit's charts with this CCCD (first) or BHYT number, from the projections (a FHIR import's match; a chart
   * written in the last moments may not be projected yet).
   */
  patientsByIdentifier(unitId: string, ids: { personalId?: string; insuranceNumber?: string }): Promise<string[]>;
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
  /** Every account, staff and patients, ordered by username (an administration screen's list; no more than `limit`). */
  listUsers(limit: number): Promise<UserRow[]>;
  /**
   * Changes an account's name, role and unit, or its password. A change of role, unit or password ends the account's
   * sessions: its refresh tokens are deleted in the same transaction and, with `notify`, every node is told
   * (`listenAccounts`, kind `ended`) so that its open sync sockets close and the device signs in again.
   * The account as it is now, or undefined if none.
   */
  updateUser(userId: string, change: AccountChange): Promise<UserRow | undefined>;
  /**
   * Calls `onChange(userId, kind)` whenever any node disables an account (`disabled`) or ends its sessions (`ended`)
   * (PostgreSQL LISTEN/NOTIFY); undefined where unsupported.
   */
  listenAccounts?(onChange: (userId: string, kind: AccountEvent, deviceId?: string) => void): Promise<() => Promise<void>>;

  /**
   * Replaces an account's password hash by one of the same password at the current cost, if it is still `before`;
   * the account's sessions go on (unlike a password change).
   */
  rehashPassword(userId: string, before: string, after: string): Promise<void>;
  /** The account signed in or refreshed its session on this day (Vietnam's date): kept once a day. */
  recordLogin(userId: string, day: string): Promise<void>;
  /** How many accounts signed in on a day from `from` to `to` (dates, inclusive), by account id. */
  loginDays(from: string, to: string): Promise<Map<string, number>>;
  /**
   * The identity of this database's log and its restore point: a random id made when the database was created and
   * renewed by `finishRestore` (db-admin.ts) after a restore from a backup, with the last log position the backup held.
   */
  logIdentity(): Promise<{ id: string; restoredSeq: number }>;
  /**
   * Takes a national prescription code for a prescription document, or finds who holds it: the document that holds the
   * code after the call (this one when it was free or already its own).
   */
  claimPrescriptionCode(code: string, docId: string): Promise<string>;
  /** A device said hello: records it (first and last seen, its versions); true when it was revoked (refuse it). */
  deviceSeen(d: { userId: string; deviceId: string; at: Date; schemaVersion: number; revision: number }): Promise<{ revoked: boolean }>;
  /** The devices that synced, most recently seen first (no more than `limit`). */
  listDevices(limit: number): Promise<DeviceRow[]>;
  /**
   * Revokes a device of an account: it is refused from now on, and with `notify` every node is told (`listenAccounts`,
   * kind `revoked <deviceId>`) so that its open sync sockets close with 4410. False when no such device synced.
   */
  revokeDevice(userId: string, deviceId: string, by: string, at: Date): Promise<boolean>;
  /** A catalog an administrator imported (catalogs.ts); undefined: none, the shipped one is published. `withBody`: with the publication's JSON. */
  getCatalog(name: string, withBody: boolean): Promise<CatalogRow | undefined>;
  /** Stores an imported catalog, replacing the one of that name. */
  putCatalog(row: CatalogRow & { body: string }): Promise<void>;

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
  /** It changes a signed kind's content: refused (`signed`) if the record was signed before it commits. */
  unlessSigned?: boolean;
  /** This write issues a prescription: it goes to the national prescription system (national-rx/outbox.ts). */
  outbox?: { code: string; unitId: string; patientId: string };
};

/**
 * One line of the audit trail: a stored update (`write`), a chart delivered to (`deliver`) or opened on (`open`) a
 * device outside its unit; an account disabled or enabled by an administrator (`userId`; `docId` is `account:<id>`).
 */
/** What the audit trail records: document traffic, and account and unit administration. */
export type AuditAction = 'write' | 'deliver' | 'open' | 'disable' | 'enable' | 'account_create' | 'account_change' | 'password_reset' | 'unit_change' | 'catalog_import' | 'device_revoke' | 'unit_report_change' | 'bulletin_publish' | 'bulletin_withdraw' | 'sign' | 'calendar_change' | 'record_consent' | 'record_start' | 'record_stop' | 'invite_create' | 'invite_revoke' | 'invite_join' | 'fhir_export' | 'fhir_import' | 'unit_report_sign';
export type AuditEntry = { atMs: number; action: AuditAction; docId: string; userId: string; device: string | null; seq: number | null };

/** A reader's access to a document that ended at `seq` (a withdrawn request took back the chart). */
export type Revocation = { reader: Reader; docId: string; seq: number };

export type LogWriteResult = { ok: true; seq: number; newAccess: AccessRow[]; revoked: Revocation[] } | { ok: false; code: 'bad_meta' | 'signed' };

export type LogEntry = { docId: string; data: Uint8Array; e: number; s: number };

export type LogRow = { seq: number; docId: string; origin: string | null; data: Uint8Array };

export type LogStorage = {
  /** Appends in one transaction, in order, durable when the promise resolves; sequence numbers commit in order. */
  append(writes: LogWrite[]): Promise<LogWriteResult[]>;
  maxSeq(): Promise<number>;
  getDoc(docId: string): Promise<DocRow | undefined>;
  docAccess(docId: string): Promise<AccessRow[]>;
  /** Documents `reader` may read, of one patient, unit or kind, by id, at most `limit` (a FHIR export, fhir-api.ts). */
  readableDocs(reader: Reader, filter: { patientId?: string; unitId?: string; kind?: DocKind }, limit: number): Promise<DocRow[]>;
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
  /** The signatures of a signed record (signatures-api.ts), in version order. */
  signatures(docId: string): Promise<SignatureEntry[]>;
  /** The signed PDF of a record as it was after signature `version` (the latest when absent). */
  signedPdf(docId: string, version?: number): Promise<Uint8Array | undefined>;
  /**
   * Keeps a new signature and the signed PDF that holds it, if it is the next version and, for the first one
   * (`contentSeq` given), the record's last update is still `contentSeq` (nothing changed since its state was read).
   */
  addSignature(docId: string, entry: SignatureEntry, pdf: Uint8Array, contentSeq?: number): Promise<'ok' | 'version_taken' | 'changed'>;
  /** Appends lines to the audit trail (deliveries and openings; writes are recorded by `append`). */
  audit(entries: AuditEntry[]): Promise<void>;
  /** The audit trail of one document or one account, newest first. */
  auditTrail(q: { docId?: string; userId?: string; limit: number }): Promise<AuditEntry[]>;
  /** Calls `onAppend(from, to)` whenever any node appends (PostgreSQL LISTEN/NOTIFY); undefined where unsupported. */
  listen?(onAppend: (from: number, to: number) => void): Promise<() => Promise<void>>;
};
