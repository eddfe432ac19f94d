// Reports over the projections, for admin accounts only: counts, never clinical records (an admin reads no
// clinical document). GET /api/reports/counts[?unitId=…] → appointments by status, forms by ICD-10 chapter,
// patients by gender, requests by state, reviews by status, and the log position the tables reflect. A request its
// station withdrew counts as withdrawn, never as sent: so does its review while it was still open (received or
// scheduled), since it waits for nothing any more.
import type { Hono } from 'hono';
import { Role, patterns } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import type { Sql } from '../storage/postgres-client';

type Vars = { Variables: { principal: Principal } };

const tally = (rows: { key: string | null; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', r.n]));

/** Routes under /api that need a signed-in principal (mounted after the app's authentication middleware). */
export function mountReports(app: Hono<Vars>, deps: { sql: Sql; log: Logger }) {
  const { sql, log } = deps;

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
