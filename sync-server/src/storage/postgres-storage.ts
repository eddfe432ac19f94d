// Storage on PostgreSQL through the `postgres` client: the same code serves a real server and embedded PGlite.
import type { Sql } from './postgres-client';
import { patterns, type Role, type UnitKind } from '@telehealth/domain';
import { migrations } from './migrations';
import { createPostgresLog } from './postgres-log';
import type { Storage, UnitRow, UserRow } from './storage';

export { connectPostgres, type Sql } from './postgres-client';

type UnitDb = { id: string; kind: string; name: string; province_code: string; commune_code: string | null; parent_id: string | null; telehealth_icd: string[] | null; facility_code: string | null; phone: string | null };
type UserDb = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  unit_id: string | null;
  patient_id: string | null;
  password_hash: string;
  disabled_at: Date | null;
};

/** NOTIFY channel on which a node that disables an account tells every node (each closes that account's sockets). */
const accountsChannel = 'telehealth_accounts';

/** A unit's phone line: a landline (0 and 10 digits, e.g. 0214…) or a mobile (0 and 9 digits). */
const unitPhone = /^0\d{9,10}$/;

const toUnit = (r: UnitDb): UnitRow => ({
  id: r.id,
  kind: r.kind as UnitKind,
  name: r.name,
  provinceCode: r.province_code,
  communeCode: r.commune_code,
  parentId: r.parent_id,
  telehealthIcd: r.telehealth_icd,
  facilityCode: r.facility_code,
  phone: r.phone
});

const toUser = (r: UserDb): UserRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  unitId: r.unit_id,
  patientId: r.patient_id,
  passwordHash: r.password_hash,
  disabledAt: r.disabled_at
});

/** `notify`: announce appends with NOTIFY so that other nodes can deliver them (a real PostgreSQL server only). */
export function createPostgresStorage(sql: Sql, options: { notify: boolean } = { notify: false }): Storage {
  return {
    log: createPostgresLog(sql, options),

    async migrate() {
      await sql`create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())`;
      const rows = await sql<{ version: number }[]>`select version from schema_migrations`;
      const applied = new Set(rows.map((r) => r.version));
      for (const [index, text] of migrations.entries()) {
        const version = index + 1;
        if (applied.has(version)) continue;
        await sql.begin(async (tx) => {
          await tx.unsafe(text);
          await tx`insert into schema_migrations (version) values (${version})`;
        });
      }
    },

    async ping() {
      try {
        await sql`select 1`;
        return true;
      } catch {
        // Unreachable is an answer here, not an error: /healthz reports it.
        return false;
      }
    },

    async close() {
      await sql.end({ timeout: 5 });
    },

    async upsertUnit(u) {
      const facilityCode = u.facilityCode ?? null;
      if (facilityCode !== null && !patterns.facilityCode.test(facilityCode)) {
        throw new Error(`unit ${u.id}: facility code must be 5 digits or capital letters (MA_CSKCB), got "${facilityCode}"`);
      }
      const phone = u.phone ?? null;
      if (phone !== null && !unitPhone.test(phone)) throw new Error(`unit ${u.id}: phone must be 0 and 9 or 10 digits, got "${phone}"`);
      await sql`
        insert into units (id, kind, name, province_code, commune_code, parent_id, telehealth_icd, facility_code, phone)
        values (${u.id}, ${u.kind}, ${u.name}, ${u.provinceCode}, ${u.communeCode}, ${u.parentId}, ${u.telehealthIcd ?? null}, ${facilityCode}, ${phone})
        on conflict (id) do update set kind = excluded.kind, name = excluded.name,
          province_code = excluded.province_code, commune_code = excluded.commune_code, parent_id = excluded.parent_id,
          telehealth_icd = excluded.telehealth_icd, facility_code = excluded.facility_code, phone = excluded.phone`;
    },

    async listUnits() {
      const rows = await sql<UnitDb[]>`select * from units order by id`;
      return rows.map(toUnit);
    },

    async linkUnits(from, to) {
      await sql`insert into unit_links (from_unit, to_unit) values (${from}, ${to}) on conflict do nothing`;
    },

    async linkedUnits(from) {
      const rows = await sql<{ to_unit: string }[]>`select to_unit from unit_links where from_unit = ${from} order by to_unit`;
      return rows.map((r) => r.to_unit);
    },

    async createUser(u) {
      const rows = await sql`
        insert into users (id, username, display_name, role, unit_id, patient_id, password_hash)
        values (${u.id}, ${u.username}, ${u.displayName}, ${u.role}, ${u.unitId}, ${u.patientId}, ${u.passwordHash})
        on conflict (username) do nothing
        returning id`;
      return rows.length === 1 ? 'created' : 'username-taken';
    },

    async findUserByUsername(username) {
      const [row] = await sql<UserDb[]>`select * from users where username = ${username}`;
      return row && toUser(row);
    },

    async findUserById(id) {
      const [row] = await sql<UserDb[]>`select * from users where id = ${id}`;
      return row && toUser(row);
    },

    async patientAccountUnit(patientId) {
      const [row] = await sql<{ unit_id: string | null }[]>`select unit_id from users where patient_id = ${patientId} order by created_at limit 1`;
      return row?.unit_id ?? undefined;
    },

    async countUsers() {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users`;
      return row?.n ?? 0;
    },

    async saveRefreshToken(tokenHash, userId, expiresAt) {
      await sql`insert into refresh_tokens (token_hash, user_id, expires_at) values (${tokenHash}, ${userId}, ${expiresAt})`;
    },

    async takeRefreshToken(tokenHash, now) {
      const [row] = await sql<{ user_id: string; expires_at: Date }[]>`
        delete from refresh_tokens where token_hash = ${tokenHash} returning user_id, expires_at`;
      if (!row || row.expires_at.getTime() <= now.getTime()) return undefined;
      return { userId: row.user_id };
    },

    async revokeRefreshToken(tokenHash) {
      const rows = await sql`delete from refresh_tokens where token_hash = ${tokenHash} returning token_hash`;
      return rows.length === 1;
    },

    async setUserDisabled(userId, disabledAt) {
      return sql.begin(async (tx) => {
        // Disabling again keeps the first time; enabling clears it.
        const [row] = await tx<UserDb[]>`
          update users set disabled_at = case when ${disabledAt}::timestamptz is null then null else coalesce(disabled_at, ${disabledAt}::timestamptz) end
          where id = ${userId} returning *`;
        if (!row) return undefined;
        if (disabledAt) {
          await tx`delete from refresh_tokens where user_id = ${userId}`;
          if (options.notify) await tx`select pg_notify(${accountsChannel}, ${userId})`;
        }
        return toUser(row);
      });
    },

    ...(options.notify
      ? {
          async listenAccounts(onDisabled: (userId: string) => void) {
            const { unlisten } = await sql.listen(accountsChannel, (payload) => onDisabled(payload));
            return unlisten;
          }
        }
      : {})
  };
}
