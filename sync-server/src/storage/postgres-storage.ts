// Storage on PostgreSQL through the `postgres` client: the same code serves a real server and embedded PGlite.
import type { Sql } from './postgres-client';
import { patterns, type Role, type UnitKind } from '@telehealth/domain';
import { migrations } from './migrations';
import { createPostgresLog } from './postgres-log';
import type { AccountEvent, BulletinRow, DeviceRow, InviteRow, RecordingFile, RecordingRow, RecordingStatus, Storage, UnitRow, UserRow } from './storage';

type RecordingDb = { id: string; request_id: string; started_by: string; started_at: Date; stopped_at: Date | null; consented: string[]; status: RecordingStatus; files: RecordingFile[] };
type InviteDb = { id: string; request_id: string; name: string; created_by: string; created_at: Date; expires_at: Date; revoked_at: Date | null };
const toInvite = (r: InviteDb): InviteRow => ({ id: r.id, requestId: r.request_id, name: r.name, createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at });
const toRecording = (r: RecordingDb): RecordingRow => ({
  id: r.id,
  requestId: r.request_id,
  startedBy: r.started_by,
  startedAt: r.started_at,
  stoppedAt: r.stopped_at,
  consented: r.consented,
  status: r.status,
  files: r.files
});

export { connectPostgres, type Sql } from './postgres-client';

type UnitDb = { id: string; kind: string; name: string; province_code: string; commune_code: string | null; parent_id: string | null; telehealth_icd: string[] | null; facility_code: string | null; phone: string | null; address: string | null; licence: string | null };
type UserDb = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  unit_id: string | null;
  patient_id: string | null;
  password_hash: string;
  disabled_at: Date | null;
  gender?: 'male' | 'female' | null;
  qualification?: string | null;
  job_title?: string | null;
  practice_certificate?: string | null;
  practice_scope?: string | null;
  created_by?: string | null;
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
  phone: r.phone,
  address: r.address,
  licence: r.licence
});

type BulletinDb = { id: string; unit_id: string; province_code: string; title: string; body: string; published_at: Date; published_by: string; withdrawn_at: Date | null };
const toBulletin = (r: BulletinDb): BulletinRow => ({
  id: r.id,
  unitId: r.unit_id,
  provinceCode: r.province_code,
  title: r.title,
  body: r.body,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  withdrawnAt: r.withdrawn_at
});

const toUser = (r: UserDb): UserRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  unitId: r.unit_id,
  patientId: r.patient_id,
  passwordHash: r.password_hash,
  disabledAt: r.disabled_at,
  gender: r.gender ?? null,
  qualification: r.qualification ?? null,
  jobTitle: r.job_title ?? null,
  practiceCertificate: r.practice_certificate ?? null,
  practiceScope: r.practice_scope ?? null,
  createdBy: r.created_by ?? null
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
        insert into units (id, kind, name, province_code, commune_code, parent_id, telehealth_icd, facility_code, phone, address, licence)
        values (${u.id}, ${u.kind}, ${u.name}, ${u.provinceCode}, ${u.communeCode}, ${u.parentId}, ${u.telehealthIcd ?? null}, ${facilityCode}, ${phone}, ${u.address ?? null}, ${u.licence ?? null})
        on conflict (id) do update set kind = excluded.kind, name = excluded.name,
          province_code = excluded.province_code, commune_code = excluded.commune_code, parent_id = excluded.parent_id,
          telehealth_icd = excluded.telehealth_icd, facility_code = excluded.facility_code, phone = excluded.phone,
          address = excluded.address, licence = excluded.licence`;
    },

    async listUnits() {
      const rows = await sql<UnitDb[]>`select * from units order by id`;
      return rows.map(toUnit);
    },

    async getUnitReport(unitId, kind, year) {
      const [row] = await sql<{ body: unknown; updated_by: string; updated_at: Date; signed_at: Date | null; signed_by: string | null; signer_name: string | null; signed_content: string | null }[]>`
        select body, updated_by, updated_at, signed_at, signed_by, signer_name, signed_content from unit_reports where unit_id = ${unitId} and kind = ${kind} and year = ${year}`;
      if (!row) return undefined;
      const signed = row.signed_at ? { at: row.signed_at.toISOString(), by: row.signed_by ?? '', signerName: row.signer_name ?? '', content: row.signed_content ?? '' } : null;
      return { body: row.body, updatedBy: row.updated_by, updatedAt: row.updated_at.toISOString(), signed };
    },

    async saveUnitReport(unitId, kind, year, body, by) {
      const rows = await sql`
        insert into unit_reports (unit_id, kind, year, body, updated_by) values (${unitId}, ${kind}, ${year}, ${sql.json(body as never)}, ${by})
        on conflict (unit_id, kind, year) do update set body = excluded.body, updated_by = excluded.updated_by, updated_at = now()
        where unit_reports.signed_at is null
        returning 1`;
      return rows.length === 1;
    },

    async signUnitReport(unitId, kind, year, s) {
      // The caller checked the digest against `s.body`: only that body, not signed yet, is signed (a save between
      // the check and now leaves it unsigned).
      const rows = await sql`
        update unit_reports set signed_pdf = ${s.pdf}, signed_at = now(), signed_by = ${s.by}, signer_name = ${s.signerName}, signed_content = ${s.content}
        where unit_id = ${unitId} and kind = ${kind} and year = ${year} and signed_at is null and body = ${sql.json(s.body as never)}::jsonb
        returning 1`;
      return rows.length === 1;
    },

    async unitReportPdf(unitId, kind, year) {
      const [row] = await sql<{ signed_pdf: Uint8Array | null }[]>`
        select signed_pdf from unit_reports where unit_id = ${unitId} and kind = ${kind} and year = ${year}`;
      return row?.signed_pdf ? new Uint8Array(row.signed_pdf) : undefined;
    },

    async rehashPassword(userId, before, after) {
      await sql`update users set password_hash = ${after} where id = ${userId} and password_hash = ${before}`;
    },

    async getCalendars(unitIds) {
      if (!unitIds.length) return [];
      const rows = await sql<{ unit_id: string; body: unknown; updated_at: Date }[]>`
        select unit_id, body, updated_at from consultation_calendars where unit_id = any(${[...unitIds]}::text[]) order by unit_id`;
      return rows.map((r) => ({ unitId: r.unit_id, body: r.body, updatedAt: r.updated_at.toISOString() }));
    },

    async saveCalendar(unitId, body, by) {
      await sql`
        insert into consultation_calendars (unit_id, body, updated_by) values (${unitId}, ${sql.json(body as never)}, ${by})
        on conflict (unit_id) do update set body = excluded.body, updated_by = excluded.updated_by, updated_at = now()`;
    },

    async addRecording(r) {
      await sql`
        insert into call_recordings (id, request_id, started_by, started_at, stopped_at, consented, status, files)
        values (${r.id}, ${r.requestId}, ${r.startedBy}, ${r.startedAt}, ${r.stoppedAt}, ${sql.json(r.consented)}, ${r.status}, ${sql.json(r.files as never)})`;
    },

    async finishRecording(id, change) {
      await sql`update call_recordings set status = ${change.status}, stopped_at = ${change.stoppedAt}, files = ${sql.json(change.files as never)}, consented = coalesce(${change.consented ? sql.json(change.consented) : null}, consented) where id = ${id}`;
    },

    async listRecordings(requestId) {
      const rows = await sql<RecordingDb[]>`select * from call_recordings where request_id = ${requestId} order by started_at, id limit 200`;
      return rows.map(toRecording);
    },

    async getRecording(id) {
      const [row] = await sql<RecordingDb[]>`select * from call_recordings where id = ${id}`;
      return row ? toRecording(row) : undefined;
    },

    async addInvite(i) {
      await sql`
        insert into call_invites (id, request_id, name, created_by, created_at, expires_at, revoked_at)
        values (${i.id}, ${i.requestId}, ${i.name}, ${i.createdBy}, ${i.createdAt}, ${i.expiresAt}, ${i.revokedAt})`;
    },

    async getInvite(id) {
      const [row] = await sql<InviteDb[]>`select * from call_invites where id = ${id}`;
      return row ? toInvite(row) : undefined;
    },

    async liveInvites(requestId, at) {
      const rows = await sql<InviteDb[]>`
        select * from call_invites where request_id = ${requestId} and revoked_at is null and expires_at > ${at} order by created_at desc, id limit 50`;
      return rows.map(toInvite);
    },

    async revokeInvite(id, at) {
      const rows = await sql`update call_invites set revoked_at = ${at} where id = ${id} and revoked_at is null returning id`;
      return rows.length > 0;
    },

    async unitStaff(unitId, limit) {
      const rows = await sql<UserDb[]>`
        select * from users where unit_id = ${unitId} and role in ('station_worker', 'doctor') and disabled_at is null order by display_name, id limit ${limit}`;
      return rows.map(toUser);
    },

    async addBulletin(b) {
      await sql`
        insert into bulletins (id, unit_id, province_code, title, body, published_at, published_by)
        values (${b.id}, ${b.unitId}, ${b.provinceCode}, ${b.title}, ${b.body}, ${b.publishedAt}, ${b.publishedBy})`;
    },

    async withdrawBulletin(id, at) {
      const rows = await sql`update bulletins set withdrawn_at = ${at} where id = ${id} and withdrawn_at is null returning id`;
      return rows.length === 1;
    },

    async getBulletin(id) {
      const [row] = await sql<BulletinDb[]>`select * from bulletins where id = ${id}`;
      return row ? toBulletin(row) : undefined;
    },

    async listBulletins(provinces, opts) {
      const rows = await sql<BulletinDb[]>`
        select * from bulletins
        where (${provinces === 'all'} or province_code = any(${provinces === 'all' ? [] : [...provinces]}::text[]))
          and (${opts.withdrawn} or withdrawn_at is null)
        order by published_at desc, id limit ${opts.limit}`;
      return rows.map(toBulletin);
    },

    async countBulletins(from, to) {
      return sql<{ unitId: string; count: number }[]>`
        select unit_id as "unitId", count(*)::int as count from bulletins
        where published_at >= ${from} and published_at < ${to} group by unit_id order by unit_id`;
    },

    async connectionPoints(unitId) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from (
          select ${unitId}::text as u
          union select to_unit from unit_links where from_unit = ${unitId}
          union select from_unit from unit_links where to_unit = ${unitId}
          union select id from units where parent_id = ${unitId}
          union select parent_id from units where id = ${unitId} and parent_id is not null
        ) points`;
      return row?.n ?? 1;
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
        insert into users (id, username, display_name, role, unit_id, patient_id, password_hash, gender, qualification, job_title, practice_certificate, practice_scope, created_by)
        values (${u.id}, ${u.username}, ${u.displayName}, ${u.role}, ${u.unitId}, ${u.patientId}, ${u.passwordHash}, ${u.gender ?? null},
          ${u.qualification ?? null}, ${u.jobTitle ?? null}, ${u.practiceCertificate ?? null}, ${u.practiceScope ?? null}, ${u.createdBy ?? null})
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

    async patientsByIdentifier(unitId, ids) {
      if (!ids.personalId && !ids.insuranceNumber) return [];
      const rows = await sql<{ patient_id: string; by: string }[]>`
        select patient_id, 'cccd' as by from proj_patients where unit_id = ${unitId} and personal_id = ${ids.personalId ?? null}
        union all
        select patient_id, 'bhyt' as by from proj_patients where unit_id = ${unitId} and insurance_number = ${ids.insuranceNumber ?? null}
        order by by desc, patient_id limit 10`;
      return [...new Set(rows.map((r) => r.patient_id))];
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

    async recordLogin(userId, day) {
      await sql`insert into logins (user_id, day) values (${userId}, ${day}::date) on conflict do nothing`;
    },

    async loginDays(from, to) {
      const rows = await sql<{ user_id: string; n: number }[]>`
        select user_id, count(*)::int as n from logins where day between ${from}::date and ${to}::date group by user_id`;
      return new Map(rows.map((r) => [r.user_id, r.n]));
    },

    async logIdentity() {
      const [row] = await sql<{ id: string; restored_seq: string }[]>`select id, restored_seq from log_identity`;
      if (!row) throw new Error('the database has no log identity (migration 13 not applied)');
      return { id: row.id, restoredSeq: Number(row.restored_seq) };
    },

    async claimPrescriptionCode(code, docId) {
      await sql`insert into prescription_codes (code, doc_id) values (${code}, ${docId}) on conflict (code) do nothing`;
      const [row] = await sql<{ doc_id: string }[]>`select doc_id from prescription_codes where code = ${code}`;
      return row!.doc_id;
    },

    async deviceSeen(d) {
      const [row] = await sql<{ revoked_at: Date | null }[]>`
        insert into devices (user_id, device_id, first_seen, last_seen, schema_version, revision)
        values (${d.userId}, ${d.deviceId}, ${d.at}, ${d.at}, ${d.schemaVersion}, ${d.revision})
        on conflict (user_id, device_id) do update set last_seen = excluded.last_seen, schema_version = excluded.schema_version, revision = excluded.revision
        returning revoked_at`;
      return { revoked: Boolean(row?.revoked_at) };
    },

    async listDevices(limit) {
      const rows = await sql<{ user_id: string; device_id: string; first_seen: Date; last_seen: Date; schema_version: number | null; revision: number | null; revoked_at: Date | null; revoked_by: string | null }[]>`
        select * from devices order by last_seen desc limit ${limit}`;
      return rows.map((r): DeviceRow => ({ userId: r.user_id, deviceId: r.device_id, firstSeen: r.first_seen, lastSeen: r.last_seen, schemaVersion: r.schema_version, revision: r.revision, revokedAt: r.revoked_at, revokedBy: r.revoked_by }));
    },

    async revokeDevice(userId, deviceId, by, at) {
      return sql.begin(async (tx) => {
        const rows = await tx`update devices set revoked_at = coalesce(revoked_at, ${at}), revoked_by = coalesce(revoked_by, ${by}) where user_id = ${userId} and device_id = ${deviceId} returning device_id`;
        if (rows.length && options.notify) await tx`select pg_notify(${accountsChannel}, ${`revoked ${userId} ${deviceId}`})`;
        return rows.length === 1;
      });
    },

    async getCatalog(name, withBody) {
      const [row] = withBody
        ? await sql<{ name: string; version: string; count: number; body: string; imported_at: Date; imported_by: string }[]>`select * from catalogs where name = ${name}`
        : await sql<{ name: string; version: string; count: number; imported_at: Date; imported_by: string }[]>`select name, version, count, imported_at, imported_by from catalogs where name = ${name}`;
      if (!row) return undefined;
      return { name: row.name, version: row.version, count: row.count, importedAt: row.imported_at, importedBy: row.imported_by, ...('body' in row ? { body: row.body } : {}) };
    },

    async putCatalog(c) {
      await sql`
        insert into catalogs (name, version, count, body, imported_at, imported_by) values (${c.name}, ${c.version}, ${c.count}, ${c.body}, ${c.importedAt}, ${c.importedBy})
        on conflict (name) do update set version = excluded.version, count = excluded.count, body = excluded.body, imported_at = excluded.imported_at, imported_by = excluded.imported_by`;
    },

    async listUsers(limit) {
      const rows = await sql<UserDb[]>`select * from users order by username limit ${limit}`;
      return rows.map(toUser);
    },

    async updateUser(userId, change) {
      return sql.begin(async (tx) => {
        const [before] = await tx<UserDb[]>`select * from users where id = ${userId} for update`;
        if (!before) return undefined;
        const keep = <T>(v: T | undefined, old: T) => (v === undefined ? old : v);
        const next = {
          display_name: change.displayName ?? before.display_name,
          role: change.role ?? before.role,
          unit_id: keep(change.unitId, before.unit_id),
          password_hash: change.passwordHash ?? before.password_hash
        };
        const [row] = await tx<UserDb[]>`
          update users set display_name = ${next.display_name}, role = ${next.role}, unit_id = ${next.unit_id}, password_hash = ${next.password_hash},
            gender = ${keep(change.gender, before.gender ?? null)}, qualification = ${keep(change.qualification, before.qualification ?? null)},
            job_title = ${keep(change.jobTitle, before.job_title ?? null)}, practice_certificate = ${keep(change.practiceCertificate, before.practice_certificate ?? null)},
            practice_scope = ${keep(change.practiceScope, before.practice_scope ?? null)}
          where id = ${userId} returning *`;
        const ends = next.role !== before.role || next.unit_id !== before.unit_id || next.password_hash !== before.password_hash;
        if (ends) {
          await tx`delete from refresh_tokens where user_id = ${userId}`;
          if (options.notify) await tx`select pg_notify(${accountsChannel}, ${`ended ${userId}`})`;
        }
        return row && toUser(row);
      });
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
          async listenAccounts(onChange: (userId: string, kind: AccountEvent, deviceId?: string) => void) {
            // The payload is the account id (disabled), "ended <id>" (its sessions ended) or "revoked <id> <device>".
            const { unlisten } = await sql.listen(accountsChannel, (payload) => {
              const [kind, userId, deviceId] = payload.split(' ');
              if (kind === 'ended' && userId) onChange(userId, 'ended');
              else if (kind === 'revoked' && userId && deviceId) onChange(userId, 'revoked', deviceId);
              else onChange(payload, 'disabled');
            });
            return unlisten;
          }
        }
      : {})
  };
}
