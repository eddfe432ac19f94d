// Reports over the projections, for admin accounts only: counts, never clinical records (an admin reads no
// clinical document). GET /api/reports/counts[?unitId=…] → appointments by status, forms by ICD-10 chapter,
// patients by gender, reviews by status, and the log position the tables reflect.
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
    const reviews = await sql<Count[]>`
      select status as key, count(*)::int as n from proj_reviews
      where ${unitId}::text is null or unit_id = ${unitId} or station_unit_id = ${unitId} group by status`;
    const [pos] = await sql<{ seq: string }[]>`select seq from projection_position where name = 'records'`;
    return c.json({
      unitId,
      position: Number(pos?.seq ?? 0),
      appointmentsByStatus: tally(appointments),
      formsByIcdChapter: tally(forms),
      patientsByGender: tally(patients),
      reviewsByStatus: tally(reviews)
    });
  });
}
