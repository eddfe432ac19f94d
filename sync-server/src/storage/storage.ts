// The sync server's storage contract: everything the server persists goes through this interface.
import type { Role, UnitKind } from '@telehealth/domain';

export type UnitRow = {
  id: string;
  kind: UnitKind;
  name: string;
  provinceCode: string;
  communeCode: string | null;
  parentId: string | null;
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
  countUsers(): Promise<number>;

  saveRefreshToken(tokenHash: string, userId: string, expiresAt: Date): Promise<void>;
  /** Consumes a refresh token (one use only): returns its user when it existed and had not expired. */
  takeRefreshToken(tokenHash: string, now: Date): Promise<{ userId: string } | undefined>;
};
