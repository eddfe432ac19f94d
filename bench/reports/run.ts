// `npm run bench:reports` (issue 12's targets, the server's side and the export): reports 5A–5D read by the server
// over 100,000 and 1,000,000 records in its projections, the server's numbers checked against the domain's pure
// functions over the same rows for random filter sets, and the XLSX export of a 100,000-row report. Prints each part
// and writes bench-results/reports.json. Needs PostgreSQL from Debian (a throwaway server is started).
//
// The records are written straight into the projection tables (generate_series with a fixed seed: the same data
// every run), after the server has caught up with its (empty) log, so the projector leaves them alone.
// `device.ms` (a station's report in Chromium with a 4× CPU slowdown) is bench/reports/device.ts, run after this.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { computeReport, reportTables, seededRandom, type Report, type ReportFilter, type ReportInput, type ReportTable } from '@telehealth/domain';
import { oldDistrictOfNewCommune } from '@telehealth/catalogs';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/log';
import { startSystem } from '../../sync-server/src/system';
import { toReportAppointment, toReportPatient, type ApptRow, type PatientRow } from '../../sync-server/src/projections/reports-api';
import { reportXlsx } from '../../app/lib/reports/xlsx';
import { startThrowawayPostgres } from '../../scripts/lib/postgres.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const log = (s: string) => console.log(`[bench:reports] ${s}`);
const sizes = (process.env.BENCH_REPORT_SIZES ?? '100000,1000000').split(',').map(Number);
const filterSets = Number(process.env.BENCH_REPORT_FILTERS ?? 1000);
const stations = [
  { id: 'tyt-02701', commune: '02701' },
  { id: 'tyt-02686', commune: '02686' }
];
const units = ['tyt-02701', 'tyt-02686', 'ttyt-bat-xat'];

const summary: Record<string, unknown> = {};
await exportBench();

const pg = await startThrowawayPostgres();
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-reports-'));
const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, APP_BUILD_DIR: path.join(dataDir, 'none'), DATABASE_URL: pg.url, SEED_DEMO: 'true', PASSWORD_HASH_N: '1024', SFU: 'off', LOG_LEVEL: 'error' });
const system = await startSystem(config, createLogger('error'));
const sql = postgres(pg.url, { max: 2, onnotice: () => {} });
try {
  const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo-2025' }) });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const read = async (table: ReportTable, filter: ReportFilter): Promise<{ ms: number; report: Report & { position: number } }> => {
    const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const t0 = performance.now();
    const res = await fetch(`${system.url}/api/reports/${table}?${q}`, { headers: { authorization: `Bearer ${token}` } });
    const report = (await res.json()) as Report & { position: number };
    if (!res.ok) throw new Error(`${table} ${q}: ${res.status} ${JSON.stringify(report)}`);
    return { ms: performance.now() - t0, report };
  };

  // ---- The server over 100,000 and 1,000,000 records (a quarter each: charts, appointments, forms, calls).
  let have = 0;
  const server: Record<string, unknown> = {};
  for (const size of sizes) {
    await addRecords(have, size);
    have = size;
    const year = { from: '2025-01-01', to: '2025-12-31' };
    const byTable: Record<string, number> = {};
    for (const table of reportTables) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push((await read(table, year)).ms);
      byTable[table] = Math.round(runs.sort((a, b) => a - b)[1]!);
    }
    const worst = Math.max(...Object.values(byTable));
    log(`${size.toLocaleString('en')} records: a year's report, median of 3 — ${Object.entries(byTable).map(([t, ms]) => `${t.toUpperCase()} ${ms} ms`).join(', ')}`);
    server[String(size)] = { ...byTable, worstMs: worst };
    if (size === sizes[0]) await compare(read, have);
  }
  summary.server = { ms: (server[String(sizes.at(-1))] as { worstMs: number }).worstMs, bySize: server, target: 2000 };

} finally {
  await sql.end();
  await system.stop();
  pg.stop();
}

console.log(JSON.stringify(summary, null, 2));
mkdirSync(path.join(root, 'bench-results'), { recursive: true });
writeFileSync(path.join(root, 'bench-results/reports.json'), JSON.stringify(summary, null, 2) + '\n');
process.exit(0);

/** XLSX: a 100,000-row report written on the device's code path (write-excel-file, universal build), first, in a fresh process. */
async function exportBench() {
  const columns = [
    { key: 'province', kind: 'label' },
    { key: 'district', kind: 'label' },
    { key: 'commune', kind: 'label' },
    { key: 'unit', kind: 'label' },
    { key: 'gender', kind: 'label' },
    ...['total', 'new', 'done', 'waiting', 'cancelled'].map((key) => ({ key, kind: 'count' }))
  ] as Report['columns'];
  const rows = Array.from({ length: 100_000 }, (_, i) => ({
    provinceCode: '15',
    oldDistrictCode: null,
    communeCode: '02701',
    unitId: `tyt-${i}`,
    gender: i % 2 ? 'male' : 'female',
    ethnicityCode: null,
    qualification: null,
    counts: { total: i % 50, new: i % 7, done: i % 11, waiting: i % 5, cancelled: i % 3 }
  })) as Report['rows'];
  const report: Report = { table: '5c', filter: { from: '2025-01-01', to: '2025-12-31' }, columns, rows };
  const names = { province: () => 'Lào Cai', district: () => undefined, commune: () => 'Xã Y Tý', unit: (id: string) => `Trạm Y tế ${id}`, ethnicity: () => undefined };
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const blob = await reportXlsx(report, names);
  const ms = Math.round(performance.now() - t0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const peakMB = Math.round((peak - before) / 1024 / 1024);
  log(`XLSX of 100,000 rows: ${ms} ms, ${(blob.size / 1024 / 1024).toFixed(1)} MB file, peak memory above the start ${peakMB} MB (Node ${process.version})`);
  summary.export = { xlsxMs: ms, peakMB, bytes: blob.size, targets: { xlsxMs: 5000, peakMB: 300 } };
}

/** The same numbers: the server's tables against the pure functions over all the rows, for random filter sets. */
async function compare(read: (table: ReportTable, filter: ReportFilter) => Promise<{ ms: number; report: Report }>, have: number) {
  const input = await allRows();
  const random = seededRandom(2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  let mismatches = 0;
  let nonEmpty = 0;
  const firstMismatches: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < filterSets; i++) {
    const table = pick(reportTables);
    const start = Date.UTC(2024, 0, 1) + Math.floor(random() * 1000) * 86_400_000;
    const from = new Date(start).toISOString().slice(0, 10);
    const to = new Date(start + Math.floor(random() * 400) * 86_400_000).toISOString().slice(0, 10);
    const filter: ReportFilter = { from, to };
    if (random() < 0.3) filter.provinceCode = '15';
    if (random() < 0.3) filter.unitId = pick(units);
    if (table !== '5b' && table !== '5d' && random() < 0.3) filter.gender = pick(['male', 'female']);
    if (table === '5a' && random() < 0.3) filter.ethnicityCode = pick(['01', '02', '11']);
    if (random() < 0.2) filter.communeCode = pick(stations).commune;
    if (from < '2025-07-01' && random() < 0.2) filter.oldDistrictCode = '082';
    const fromServer = (await read(table, filter)).report;
    const pure = computeReport(table, input, filter);
    if (pure.rows.length) nonEmpty++;
    if (JSON.stringify(fromServer.rows) !== JSON.stringify(pure.rows)) {
      mismatches++;
      if (firstMismatches.length < 3) firstMismatches.push(`${table} ${JSON.stringify(filter)}`);
    }
  }
  log(`${filterSets} random filter sets over ${have.toLocaleString('en')} records: ${mismatches} mismatches between the server and the pure functions; ${nonEmpty} with rows (${Math.round(performance.now() - t0)} ms)`);
  summary.equal = { records: have, nonEmpty, filterSets, mismatches, firstMismatches, compared: 'server (projections, SQL prefilter) vs packages/domain computeReport over every row' };
}

/** Adds records [from, to) to the projections: a quarter charts, a quarter appointments, forms and calls. */
async function addRecords(from: number, to: number) {
  const t0 = performance.now();
  const [a, b] = [Math.floor(from / 4), Math.floor(to / 4) - 1];
  // Times spread over 2024-01-01 .. 2026-09-27 (1,000 days), each record at its own hour.
  const t = (expr: string) => `(timestamptz '2024-01-01 00:00+07' + ((${expr}) % 1000) * interval '1 day' + ((${expr}) % 24) * interval '1 hour')`;
  const station = (expr: string) => `(case when (${expr}) % 2 = 0 then 'tyt-02701' else 'tyt-02686' end)`;
  const statements = [
    `insert into proj_patients (doc_id, patient_id, unit_id, gender, ethnicity_code, commune_code, province_code, old_district_code)
     select 'patient:bp-' || i, 'bp-' || i, ${station('i')}, (array['male', 'female', null])[1 + i % 3], (array['01', '02', '11', null])[1 + i % 4],
       case when i % 2 = 0 then '02701' else '02686' end, '15', case when i % 5 = 0 then '082' else null end
     from generate_series($1::int, $2::int) i`,
    `insert into proj_appointments (doc_id, unit_id, patient_id, status, purpose, wished_at, scheduled_at, created_at, patient_gender, booked_by_citizen, handlings)
     select 'appointment:ba-' || i, ${station('i')}, 'bp-' || (i / 3), (array['new', 'waiting', 'done', 'cancelled'])[1 + i % 4], 'checkup',
       ${t('i * 7 + 3')}, case when i % 3 = 0 then ${t('i * 7 + 4')} else null end, ${t('i * 7')}, (array['male', 'female', null])[1 + i % 3], i % 4 <> 0,
       case when i % 5 = 0 then '[{"at":"' || to_char(${t('i * 7 + 1')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') || '","by":"user-tram.yty"}]' else '[]' end
     from generate_series($1::int, $2::int) i`,
    `insert into proj_forms (chart_doc_id, form_id, unit_id, patient_id, completed_at)
     select 'patient:bp-' || (i / 2), 'bf-' || i, ${station('i / 2')}, 'bp-' || (i / 2), case when i % 6 = 0 then null else ${t('i * 5 + 2')} end
     from generate_series($1::int, $2::int) i`,
    `insert into proj_calls (doc_id, call_id, unit_id, direction, purpose, channel, started_at, created_by)
     select 'call:bc-' || i, 'bc-' || i, (array['tyt-02701', 'tyt-02686', 'ttyt-bat-xat'])[1 + i % 3], (array['incoming', 'outgoing'])[1 + i % 2],
       (array['consultation', 'briefing', 'professional', 'other', null])[1 + i % 5], (array['webrtc', 'phone'])[1 + i % 2], ${t('i * 11 + 5')},
       (array['user-tram.yty', 'user-bacsi.batxat'])[1 + i % 2]
     from generate_series($1::int, $2::int) i`
  ];
  for (const statement of statements) await sql.unsafe(statement, [a, b]);
  await sql`analyze`;
  log(`added records ${from.toLocaleString('en')}–${to.toLocaleString('en')} in ${Math.round(performance.now() - t0)} ms`);
}

/** Every row of the projections and the accounts, as the pure functions take them. */
async function allRows(): Promise<ReportInput> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const unitRows = await sql<{ id: string; province_code: string; commune_code: string | null }[]>`select id, province_code, commune_code from units`;
  return {
    units: unitRows.map((u) => ({ id: u.id, provinceCode: u.province_code, communeCode: u.commune_code, oldDistrictCode: (u.commune_code && oldDistrictOfNewCommune(u.commune_code)?.code) || null })),
    patients: (await sql<PatientRow[]>`select patient_id, unit_id, gender, ethnicity_code, province_code, commune_code, old_district_code from proj_patients`).map(toReportPatient),
    appointments: (await sql<ApptRow[]>`
      select doc_id, unit_id, patient_id, status, patient_gender, created_at, coalesce(scheduled_at, wished_at) as visit_at, booked_by_citizen, handlings from proj_appointments`).map(toReportAppointment),
    forms: (await sql<{ patient_id: string; unit_id: string; completed_at: Date | null }[]>`select patient_id, unit_id, completed_at from proj_forms`).map((r) => ({ patientId: r.patient_id, unitId: r.unit_id, completedAt: iso(r.completed_at) })),
    calls: (await sql<{ call_id: string; unit_id: string; direction: string | null; purpose: string | null; channel: string | null; started_at: Date | null; created_by: string | null }[]>`
      select call_id, unit_id, direction, purpose, channel, started_at, created_by from proj_calls`).map((r) => ({
      id: r.call_id,
      unitId: r.unit_id,
      direction: r.direction,
      purpose: r.purpose,
      channel: r.channel,
      startedAt: iso(r.started_at),
      createdBy: r.created_by
    })),
    accounts: (await sql<{ id: string; role: string; unit_id: string | null; patient_id: string | null; created_at: Date; disabled_at: Date | null }[]>`
      select id, role, unit_id, patient_id, created_at, disabled_at from users`).map((r) => ({ id: r.id, role: r.role, unitId: r.unit_id, patientId: r.patient_id, createdAt: r.created_at.toISOString(), disabledAt: iso(r.disabled_at) }))
  };
}
