// Reports over the projections, for admin accounts only: counts, never clinical records (an admin reads no
// clinical document). GET /api/reports/counts[?unitId=…] → appointments by status, forms by ICD-10 chapter,
// patients by gender, requests by state, reviews by status, and the log position the tables reflect. A request its
// station withdrew counts as withdrawn, never as sent: so does its review while it was still open (received or
// scheduled), since it waits for nothing any more.
//
// Reports 5A–5D (appendix 5): GET /api/reports/<5a|5b|5c|5d>?from=…&to=…[&provinceCode, oldDistrictCode, communeCode,
// unitId, gender, ethnicityCode]. The projections' rows, read for the period, go through the same pure functions a
// station's device runs over its own index (packages/domain/reports.ts), so both give the same numbers. Who reads what:
// an administrator without a unit every unit; an administrator of a unit (a Sở Y tế, a centre) that unit and every unit
// below it; a station worker or doctor their own unit; a patient nothing. Rows outside the reader's units are left out
// before counting, and asking for a unit outside them is refused.
import type { Context, Hono } from 'hono';
import { oldDistrictOfNewCommune } from '@telehealth/catalogs';
import {
  Role,
  computeReport,
  parseReportFilter,
  patterns,
  reportTables,
  type ReportAccount,
  type ReportAppointment,
  type ReportCall,
  type ReportFilter,
  type ReportForm,
  type ReportInput,
  type ReportPatient,
  type ReportTable,
  type ReportUnit
} from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import type { Sql } from '../storage/postgres-client';

type Vars = { Variables: { principal: Principal } };

const tally = (rows: { key: string | null; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', r.n]));

/** Routes under /api that need a signed-in principal (mounted after the app's authentication middleware). */
export function mountReports(app: Hono<Vars>, deps: { sql: Sql; log: Logger }) {
  const { sql, log } = deps;
  const refuse = (c: Context<Vars>, status: 400 | 403, error: string, message: string, extra: Record<string, unknown> = {}) =>
    c.json({ error, message, request: `${c.req.method} ${c.req.path}`, ...extra }, status);

  app.get('/api/reports/:table{5[a-d]}', async (c) => {
    const p = c.get('principal');
    const table = c.req.param('table') as ReportTable;
    if (!reportTables.includes(table)) return refuse(c, 400, 'bad_request', 'the report is one of 5a, 5b, 5c, 5d');
    if (p.role === Role.patient || (p.role !== Role.admin && !p.unitId)) {
      log.warn('reports.refused', { userId: p.userId, table });
      return refuse(c, 403, 'forbidden', 'reports are for administrators and the staff of a unit');
    }
    const query = c.req.queries();
    const single: Record<string, string> = {};
    for (const [key, values] of Object.entries(query)) {
      if (values.length !== 1) return refuse(c, 400, 'bad_request', `${key.slice(0, 40)} is given ${values.length} times`);
      single[key] = values[0]!;
    }
    const parsed = parseReportFilter(table, single);
    if (!parsed.ok) {
      log.warn('reports.bad_filter', { userId: p.userId, table, field: parsed.problem.field, code: parsed.problem.code });
      return refuse(c, 400, 'bad_request', parsed.problem.message, { field: parsed.problem.field, code: parsed.problem.code });
    }
    const filter = parsed.filter;
    const units = await sql<{ id: string; province_code: string; commune_code: string | null; parent_id: string | null }[]>`
      select id, province_code, commune_code, parent_id from units`;
    const scope = readableUnits(p, units);
    if (filter.unitId && !scope.has(filter.unitId)) {
      log.warn('reports.refused', { userId: p.userId, table, unitId: filter.unitId });
      return refuse(c, 403, 'forbidden', 'this unit is not one whose reports you read');
    }
    const input = await loadReportInput(sql, table, filter, scope, units);
    const [pos] = await sql<{ seq: string }[]>`select seq from projection_position where name = 'records'`;
    return c.json({ ...computeReport(table, input, filter), position: Number(pos?.seq ?? 0) });
  });

  app.get('/api/reports/counts', async (c) => {
    const p = c.get('principal');
    if (p.role !== Role.admin) {
      log.warn('reports.refused', { userId: p.userId });
      return c.json({ error: 'forbidden', message: 'reports are for admin accounts', request: `${c.req.method} ${c.req.path}` }, 403);
    }
    const unitId = c.req.query('unitId') ?? null;
    if (unitId !== null && !patterns.id.test(unitId)) return c.json({ error: 'bad_request', message: 'unitId is not a unit id', request: `${c.req.method} ${c.req.path}` }, 400);
    type Count = { key: string | null; n: number };
    const appointments = await sql<Count[]>`
      select status as key, count(*)::int as n from proj_appointments where ${unitId}::text is null or unit_id = ${unitId} group by status`;
    const forms = await sql<Count[]>`
      select icd_chapter as key, count(*)::int as n from proj_forms where ${unitId}::text is null or unit_id = ${unitId} group by icd_chapter`;
    const patients = await sql<Count[]>`
      select gender as key, count(*)::int as n from proj_patients where ${unitId}::text is null or unit_id = ${unitId} group by gender`;
    const requests = await sql<Count[]>`
      select case when withdrawn_at is not null then 'withdrawn' when sent_at is not null then 'sent' else 'draft' end as key, count(*)::int as n
      from proj_requests where ${unitId}::text is null or from_unit_id = ${unitId} or to_unit_id = ${unitId} group by 1`;
    const reviews = await sql<Count[]>`
      select case when q.withdrawn_at is not null and v.status in ('received', 'scheduled') then 'withdrawn' else v.status end as key, count(*)::int as n
      from proj_reviews v left join proj_requests q on q.doc_id = 'request:' || v.request_id
      where ${unitId}::text is null or v.unit_id = ${unitId} or v.station_unit_id = ${unitId} group by 1`;
    const [pos] = await sql<{ seq: string }[]>`select seq from projection_position where name = 'records'`;
    return c.json({
      unitId,
      position: Number(pos?.seq ?? 0),
      appointmentsByStatus: tally(appointments),
      formsByIcdChapter: tally(forms),
      patientsByGender: tally(patients),
      requestsByState: tally(requests),
      reviewsByStatus: tally(reviews)
    });
  });
}

type UnitInfo = { id: string; province_code: string; commune_code: string | null; parent_id: string | null };

/** The units whose reports an account reads: all (an admin without a unit), a unit and those below it, or its own. */
export function readableUnits(p: Principal, units: readonly UnitInfo[]): Set<string> {
  if (p.role === Role.admin && !p.unitId) return new Set(units.map((u) => u.id));
  const mine = new Set(p.unitId ? [p.unitId] : []);
  if (p.role !== Role.admin) return mine;
  // Parents before children is not guaranteed: repeat until nothing is added (a unit tree is a few levels deep).
  for (let added = true; added; ) {
    added = false;
    for (const u of units) {
      if (!u.parent_id || !mine.has(u.parent_id) || mine.has(u.id)) continue;
      mine.add(u.id);
      added = true;
    }
  }
  return mine;
}

const iso = (v: Date | null): string | null => (v ? v.toISOString() : null);

/** A row of proj_appointments as the reports read it (`visit_at`: the scheduled time, else the wished one). */
export type ApptRow = { doc_id: string; unit_id: string; patient_id: string; status: string | null; patient_gender: string | null; created_at: Date | null; visit_at: Date | null; booked_by_citizen: boolean; handlings: string };
export const toReportAppointment = (r: ApptRow): ReportAppointment => ({
  id: r.doc_id.slice('appointment:'.length),
  unitId: r.unit_id,
  patientId: r.patient_id,
  status: r.status,
  patientGender: r.patient_gender,
  createdAt: iso(r.created_at),
  visitAt: iso(r.visit_at),
  bookedByCitizen: r.booked_by_citizen,
  handlings: JSON.parse(r.handlings) as ReportAppointment['handlings']
});
/** A row of proj_patients as the reports read it. */
export type PatientRow = { patient_id: string; unit_id: string; gender: string | null; ethnicity_code: string | null; province_code: string | null; commune_code: string | null; old_district_code: string | null };
export const toReportPatient = (r: PatientRow): ReportPatient => ({
  patientId: r.patient_id,
  unitId: r.unit_id,
  gender: r.gender,
  ethnicityCode: r.ethnicity_code,
  provinceCode: r.province_code,
  communeCode: r.commune_code,
  oldDistrictCode: r.old_district_code
});

/**
 * The rows a table reads, for the period (the instants of its first and last Vietnam days) and the units in `scope`.
 * The pure functions filter again by day and place: this only keeps the read small.
 */
async function loadReportInput(sql: Sql, table: ReportTable, f: ReportFilter, scope: Set<string>, unitInfo: readonly UnitInfo[]): Promise<ReportInput> {
  const start = new Date(`${f.from}T00:00:00+07:00`);
  const end = new Date(Date.parse(`${f.to}T00:00:00+07:00`) + 86_400_000);
  const inScope = <T extends { unitId: string | null }>(rows: T[]) => rows.filter((r) => r.unitId !== null && scope.has(r.unitId));
  // A unit's district before the reform is its commune's, when that commune came from one district (the catalogs).
  const units: ReportUnit[] = unitInfo.map((u) => ({
    id: u.id,
    provinceCode: u.province_code,
    communeCode: u.commune_code,
    oldDistrictCode: (u.commune_code && oldDistrictOfNewCommune(u.commune_code)?.code) || null
  }));
  const input: ReportInput = { units, patients: [], appointments: [], forms: [], calls: [] };

  // The charts the counted rows name (the pure functions look a chart up by its patient only): not every chart of the
  // province, which is what a million records would cost.
  const patients = async (...rows: readonly (readonly { patientId: string | null }[])[]) => {
    // A chart's document id is `patient:<its patient id>` (access.ts): its primary key finds it.
    const docIds = [...new Set(rows.flatMap((list) => list.map((r) => r.patientId)).filter((id): id is string => id !== null))].map((id) => `patient:${id}`);
    if (docIds.length === 0) return [];
    return inScope(
      (await sql<PatientRow[]>`
        select patient_id, unit_id, gender, ethnicity_code, province_code, commune_code, old_district_code from proj_patients where doc_id = any(${docIds}::text[])`).map(toReportPatient)
    );
  };
  const accounts = async (roles: string[]) =>
    inScope(
      (await sql<{ id: string; role: string; unit_id: string | null; patient_id: string | null; created_at: Date; disabled_at: Date | null }[]>`
        select id, role, unit_id, patient_id, created_at, disabled_at from users where role in ${sql(roles)} and created_at < ${end}`).map(
        (r): ReportAccount => ({ id: r.id, role: r.role, unitId: r.unit_id, patientId: r.patient_id, createdAt: r.created_at.toISOString(), disabledAt: iso(r.disabled_at) })
      )
    );
  const apptColumns = sql`doc_id, unit_id, patient_id, status, patient_gender, created_at, coalesce(scheduled_at, wished_at) as visit_at, booked_by_citizen, handlings`;
  switch (table) {
    case '5a': {
      input.appointments = inScope((await sql<ApptRow[]>`select ${apptColumns} from proj_appointments where booked_by_citizen and created_at >= ${start} and created_at < ${end}`).map(toReportAppointment));
      input.forms = inScope(
        (await sql<{ patient_id: string; unit_id: string; completed_at: Date }[]>`
          select patient_id, unit_id, completed_at from proj_forms where completed_at >= ${start} and completed_at < ${end}`).map(
          (r): ReportForm => ({ patientId: r.patient_id, unitId: r.unit_id, completedAt: r.completed_at.toISOString() })
        )
      );
      input.accounts = (await accounts(['patient'])).filter((a) => a.createdAt >= start.toISOString());
      input.patients = await patients(input.appointments, input.forms, input.accounts);
      break;
    }
    case '5b': {
      // A station acts on an appointment after it is made: those made after the period have no handling in it.
      input.appointments = inScope((await sql<ApptRow[]>`select ${apptColumns} from proj_appointments where handlings <> '[]' and created_at < ${end}`).map(toReportAppointment));
      input.calls = await calls(sql, start, end, scope);
      input.accounts = await accounts(['station_worker', 'doctor']);
      break;
    }
    case '5c': {
      input.appointments = inScope(
        (await sql<ApptRow[]>`select ${apptColumns} from proj_appointments where coalesce(scheduled_at, wished_at) >= ${start} and coalesce(scheduled_at, wished_at) < ${end}`).map(toReportAppointment)
      );
      input.patients = await patients(input.appointments);
      break;
    }
    case '5d': {
      input.calls = await calls(sql, start, end, scope);
      break;
    }
  }
  return input;
}

async function calls(sql: Sql, start: Date, end: Date, scope: Set<string>): Promise<ReportCall[]> {
  const rows = await sql<{ call_id: string; unit_id: string; direction: string | null; purpose: string | null; channel: string | null; started_at: Date; created_by: string | null }[]>`
    select call_id, unit_id, direction, purpose, channel, started_at, created_by from proj_calls where started_at >= ${start} and started_at < ${end}`;
  return rows
    .filter((r) => scope.has(r.unit_id))
    .map((r) => ({ id: r.call_id, unitId: r.unit_id, direction: r.direction, purpose: r.purpose, channel: r.channel, startedAt: r.started_at.toISOString(), createdBy: r.created_by }));
}
