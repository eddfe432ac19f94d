// A unit's yearly reports over HTTP, for its administrators (M11, M12): the telehealth level self-assessment of
// decision 28 (`level`, packages/domain/telehealth-level.ts) and the activity report of circular 49 appendix II
// (`activity`, packages/domain/activity-report.ts). One mechanism for both: a closed JSON body per unit, kind and
// year, checked by the domain's parser, stored in `unit_reports`, audited.
//
// - GET  /api/admin/unit-reports/<kind>/<unitId>?year=YYYY   the unit (as the reports print it), the year's saved
//   report (null if none), and what the server knows to fill or judge it: for `level`, what the product provides,
//   the connection points and the level the saved (or empty) answers reach; for `activity`, the year's figures from
//   the projections and the unit's staff
// - POST /api/admin/unit-reports/<kind>/<unitId>?year=YYYY   {report}: saves it; audited `unit_report_change` on
//   `unit:<id>`; answers as GET; 409 `report_signed` once it is signed
// - POST /api/admin/unit-reports/<kind>/<unitId>/signature?year=YYYY&content=<sha256>   body: the saved report's PDF,
//   signed once on the administrator's device (application/pdf): kept as the signed report; audited `unit_report_sign`
// - GET  /api/admin/unit-reports/<kind>/<unitId>/signature?year=YYYY   the signed PDF
//
// An administrator reads and saves the units they run (accounts-api.ts adminScope); a unit outside is a 404, as if
// it did not exist.
import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  Role,
  assessLevel,
  activityBounds,
  canonicalJson,
  emptyActivityReport,
  maxSignedPdfBytes,
  emptyLevelAnswers,
  parseActivityReport,
  parseLevelAnswers,
  patterns,
  type ActivityFigures,
  type ProductFacts
} from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Sql } from './storage/postgres-client';
import type { Storage, UnitReportKind, UnitRow } from './storage/storage';
import { adminScope, type Refuse } from './accounts-api';
import { looksLikePdf, printable } from './signatures-api';

type Vars = { Variables: { principal: Principal } };

export type UnitReportsDeps = {
  storage: Storage;
  log: Logger;
  now: () => number;
  refuse: Refuse;
  facts: ProductFacts;
  /** The projections, for the activity report's figures (absent: no figures). */
  sql?: Sql;
};

const path = '/api/admin/unit-reports/:kind{level|activity}/:unitId';
const signaturePath = `${path}/signature`;
/** A report is small: the activity report at its longest (200 participants, every text full) is under this. */
const maxBody = 256 * 1024;

type Parse = (v: unknown) => { ok: true; value: object } | { ok: false; problems: string[] };
const parsers: Record<UnitReportKind, { parse: Parse; empty: () => object }> = {
  level: {
    parse: (v) => {
      const r = parseLevelAnswers(v);
      return r.ok ? { ok: true, value: r.answers } : r;
    },
    empty: emptyLevelAnswers
  },
  activity: {
    parse: (v) => {
      const r = parseActivityReport(v);
      return r.ok ? { ok: true, value: r.report } : r;
    },
    empty: emptyActivityReport
  }
};

/** The year's figures of a unit from the projections, Vietnam's calendar year. */
export async function activityFigures(sql: Sql, unitId: string, year: number): Promise<ActivityFigures> {
  const from = `${year}-01-01T00:00:00+07:00`;
  const to = `${year + 1}-01-01T00:00:00+07:00`;
  const [counts] = await sql<{ forms: number; sent: number; received: number; done: number }[]>`
    select
      (select count(*)::int from proj_forms where unit_id = ${unitId} and completed_at >= ${from} and completed_at < ${to}) as forms,
      (select count(*)::int from proj_requests where from_unit_id = ${unitId} and withdrawn_at is null and sent_at >= ${from} and sent_at < ${to}) as sent,
      (select count(*)::int from proj_requests where to_unit_id = ${unitId} and withdrawn_at is null and sent_at >= ${from} and sent_at < ${to}) as received,
      (select count(*)::int from proj_appointments where unit_id = ${unitId} and status = 'done' and scheduled_at >= ${from} and scheduled_at < ${to}) as done`;
  const calls = await sql<{ purpose: string | null; n: number }[]>`
    select purpose, count(*)::int as n from proj_calls where unit_id = ${unitId} and started_at >= ${from} and started_at < ${to} group by purpose`;
  const [first] = await sql<{ at: Date | null }[]>`
    select min(at) as at from (
      select min(completed_at) as at from proj_forms where unit_id = ${unitId}
      union all select min(sent_at) from proj_requests where (from_unit_id = ${unitId} or to_unit_id = ${unitId}) and withdrawn_at is null
      union all select min(started_at) from proj_calls where unit_id = ${unitId}
    ) firsts`;
  const byPurpose = { consultation: 0, briefing: 0, professional: 0, other: 0 };
  for (const c of calls) {
    const key = c.purpose && c.purpose in byPurpose ? (c.purpose as keyof typeof byPurpose) : 'other';
    byPurpose[key] += c.n;
  }
  return {
    formsCompleted: counts?.forms ?? 0,
    requestsSent: counts?.sent ?? 0,
    requestsReceived: counts?.received ?? 0,
    appointmentsDone: counts?.done ?? 0,
    calls: byPurpose,
    firstActivity: first?.at ? first.at.toISOString() : null
  };
}

export function mountUnitReports(app: Hono<Vars>, deps: UnitReportsDeps) {
  const { storage, log, now, refuse, facts, sql } = deps;

  for (const [route, type, limit] of [
    [path, 'application/json', maxBody],
    [signaturePath, 'application/pdf', maxSignedPdfBytes]
  ] as const) {
    app.use(route, async (c, next) => {
      if (c.get('principal').role !== Role.admin) return refuse(c, 403, 'forbidden', "a unit's reports are kept by its administrators");
      const given = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (c.req.method === 'POST' && given !== type) return refuse(c, 415, 'unsupported_media_type', `send the body as ${type}`);
      return next();
    });
    app.use(route, bodyLimit({ maxSize: limit, onError: (c) => refuse(c, 413, 'payload_too_large', `the body is over ${limit} bytes`) }));
  }

  /** The kind, unit and year asked for, if the administrator runs the unit; else the refusal. */
  async function target(c: Context<Vars>): Promise<{ kind: UnitReportKind; unitId: string; year: number; units: UnitRow[] } | Response> {
    const kind = c.req.param('kind') as UnitReportKind;
    const unitId = c.req.param('unitId') ?? '';
    const yearText = c.req.query('year') ?? '';
    if (!/^\d{4}$/.test(yearText) || Number(yearText) < 2017 || Number(yearText) > 2099) return refuse(c, 400, 'bad_request', 'year: a year from 2017 to 2099');
    const s = await adminScope(storage, c.get('principal'));
    const units = await storage.listUnits();
    const exists = patterns.id.test(unitId) && units.some((u) => u.id === unitId);
    if (!exists || (s !== 'all' && !s(unitId))) return refuse(c, 404, 'not_found', `no unit ${unitId.slice(0, 64)} you administer`);
    return { kind, unitId, year: Number(yearText), units };
  }

  async function view({ kind, unitId, year, units }: { kind: UnitReportKind; unitId: string; year: number; units: readonly UnitRow[] }) {
    const unit = units.find((u) => u.id === unitId)!;
    const saved = await storage.getUnitReport(unitId, kind, year);
    // A saved body was checked when saved; one that no longer parses (a later, stricter schema) reads as none.
    const parsed = saved ? parsers[kind].parse(saved.body) : undefined;
    const report = parsed?.ok ? parsed.value : null;
    const base = {
      unit: {
        id: unit.id,
        name: unit.name,
        kind: unit.kind,
        parentName: units.find((u) => u.id === unit.parentId)?.name ?? null,
        address: unit.address ?? null,
        licence: unit.licence ?? null,
        phone: unit.phone ?? null,
        facilityCode: unit.facilityCode ?? null,
        provinceCode: unit.provinceCode
      },
      kind,
      year,
      report,
      saved: saved && report ? { by: saved.updatedBy, at: saved.updatedAt } : null,
      signed: saved?.signed && report ? { at: saved.signed.at, by: saved.signed.by, signerName: saved.signed.signerName } : null
    };
    if (kind === 'level') {
      const connectionPoints = await storage.connectionPoints(unitId);
      const answers = parseLevelAnswers(report ?? emptyLevelAnswers());
      return { ...base, facts, connectionPoints, result: answers.ok ? assessLevel(answers.answers, facts, connectionPoints) : null };
    }
    const staff = (await storage.unitStaff(unitId, activityBounds.participants)).map((u) => ({ name: u.displayName, jobTitle: u.jobTitle ?? '', qualification: u.qualification ?? '', practiceCertificate: u.practiceCertificate ?? '' }));
    return { ...base, figures: sql ? await activityFigures(sql, unitId, year) : null, staff };
  }

  app.get(path, async (c) => {
    const t = await target(c);
    if (t instanceof Response) return t;
    return c.json(await view(t));
  });

  app.post(path, async (c) => {
    const t = await target(c);
    if (t instanceof Response) return t;
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return refuse(c, 400, 'bad_request', 'the body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== 'report')) return refuse(c, 400, 'bad_request', 'the body is {"report": {…}}');
    const parsed = parsers[t.kind].parse((body as { report?: unknown }).report);
    if (!parsed.ok) return refuse(c, 400, 'bad_request', parsed.problems.slice(0, 20).join('; '), { problems: parsed.problems.slice(0, 100) });
    const p = c.get('principal');
    if (!(await storage.saveUnitReport(t.unitId, t.kind, t.year, parsed.value, p.userId))) return refuse(c, 409, 'report_signed', 'this report is signed: it is not changed any more');
    await storage.log.audit([{ atMs: now(), action: 'unit_report_change', docId: `unit:${t.unitId}`, userId: p.userId, device: null, seq: null }]);
    log.info('unit_report.saved', { unitId: t.unitId, kind: t.kind, year: t.year, by: p.userId });
    return c.json(await view(t));
  });

  // The saved report signed: its PDF as the signer's device printed and signed it (a PKCS#12 file or a remote
  // signer, as for the minutes). The file must hold exactly one signature, intact, over the whole file; `content`
  // is the SHA-256 of the saved report (`canonicalJson`), which must be the server's, so that what is signed is
  // what is saved. A signed report is not changed any more.
  app.post(signaturePath, async (c) => {
    const t = await target(c);
    if (t instanceof Response) return t;
    const content = c.req.query('content') ?? '';
    if (!/^[0-9a-f]{64}$/.test(content)) return refuse(c, 400, 'invalid_content', 'content: the SHA-256 (hex) of the report that was printed');
    const pdf = new Uint8Array(await c.req.arrayBuffer());
    if (!looksLikePdf(pdf)) return refuse(c, 400, 'bad_signature', 'the body is not a PDF');
    const saved = await storage.getUnitReport(t.unitId, t.kind, t.year);
    if (!saved) return refuse(c, 404, 'not_found', 'save the report before signing it');
    if (saved.signed) return refuse(c, 409, 'already_signed', 'this report is signed already');
    if (createHash('sha256').update(canonicalJson(saved.body)).digest('hex') !== content) return refuse(c, 409, 'changed', 'the report changed since it was printed: print and sign it again');
    const { checkSignature, findSignatures } = await import('@telehealth/signing/verify');
    const found = findSignatures(pdf);
    if (found.length !== 1) return refuse(c, 400, 'bad_signature', `the file must hold exactly one signature (it holds ${found.length})`);
    const check = await checkSignature(pdf, found[0]!);
    if (!check.intact || !check.coversWhole) {
      log.warn('unit_report.bad_signature', { unitId: t.unitId, kind: t.kind, year: t.year, problem: check.problem ?? 'not over the whole file' });
      return refuse(c, 400, 'bad_signature', check.problem ?? 'the signature does not cover the whole file');
    }
    const p = c.get('principal');
    const signerName = printable(check.signerName || check.subject, 200) || '?';
    if (!(await storage.signUnitReport(t.unitId, t.kind, t.year, { body: saved.body, pdf, by: p.userId, signerName, content }))) {
      return refuse(c, 409, 'changed', 'the report was signed or changed meanwhile');
    }
    await storage.log.audit([{ atMs: now(), action: 'unit_report_sign', docId: `unit:${t.unitId}`, userId: p.userId, device: null, seq: null }]);
    log.info('unit_report.signed', { unitId: t.unitId, kind: t.kind, year: t.year, by: p.userId });
    return c.json(await view(t));
  });

  app.get(signaturePath, async (c) => {
    const t = await target(c);
    if (t instanceof Response) return t;
    const pdf = await storage.unitReportPdf(t.unitId, t.kind, t.year);
    if (!pdf) return refuse(c, 404, 'not_found', 'this report is not signed');
    c.header('Content-Type', 'application/pdf');
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="${t.kind === 'level' ? 'muc-do-y-te-tu-xa' : 'bao-cao-y-te-tu-xa'}-${t.unitId}-${t.year}-da-ky.pdf"`);
    return c.body(pdf.slice().buffer);
  });
}
