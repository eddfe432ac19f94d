// The telehealth level self-assessment (decision 28, M12) over HTTP, for a unit's administrators:
//
// - GET  /api/admin/assessments/:unitId?year=YYYY   the unit (as the report prints it), the answers saved for that
//   year (empty ones if none), what the product provides, the connection points, and the level they reach
// - POST /api/admin/assessments/:unitId?year=YYYY   {answers}: saves the year's answers (closed schema,
//   packages/domain/telehealth-level.ts parseLevelAnswers), audited as `assessment_change` on `unit:<id>`
//
// An administrator reads and saves the units they run (accounts-api.ts adminScope); a unit outside is a 404, as if
// it did not exist.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Role, assessLevel, emptyLevelAnswers, parseLevelAnswers, patterns, type ProductFacts } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Storage } from './storage/storage';
import { adminScope, type Refuse } from './accounts-api';

type Vars = { Variables: { principal: Principal } };

export type AssessmentDeps = { storage: Storage; log: Logger; now: () => number; refuse: Refuse; facts: ProductFacts };

const path = '/api/admin/assessments/:unitId';
/** Answers are small: every criterion ticked and every text at its longest fit in well under this. */
const maxBody = 16 * 1024;

export function mountAssessments(app: Hono<Vars>, deps: AssessmentDeps) {
  const { storage, log, now, refuse, facts } = deps;

  app.use(path, async (c, next) => {
    if (c.get('principal').role !== Role.admin) return refuse(c, 403, 'forbidden', 'the self-assessment is for administrator accounts');
    if (c.req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the body as application/json');
    return next();
  });
  app.use(path, bodyLimit({ maxSize: maxBody, onError: (c) => refuse(c, 413, 'payload_too_large', `the body is over ${maxBody} bytes`) }));

  /** The unit and year asked for, if the administrator runs the unit; else the refusal. */
  async function target(c: Context<Vars>): Promise<{ unitId: string; year: number } | Response> {
    const unitId = c.req.param('unitId') ?? '';
    const yearText = c.req.query('year') ?? '';
    if (!/^\d{4}$/.test(yearText) || Number(yearText) < 2021 || Number(yearText) > 2099) return refuse(c, 400, 'bad_request', 'year: a year from 2021 (decision 28) to 2099');
    const s = await adminScope(storage, c.get('principal'));
    const exists = patterns.id.test(unitId) && (await storage.listUnits()).some((u) => u.id === unitId);
    if (!exists || (s !== 'all' && !s(unitId))) return refuse(c, 404, 'not_found', `no unit ${unitId.slice(0, 64)} you administer`);
    return { unitId, year: Number(yearText) };
  }

  async function view(unitId: string, year: number) {
    const units = await storage.listUnits();
    const unit = units.find((u) => u.id === unitId)!;
    const saved = await storage.getAssessment(unitId, year);
    // Saved answers were checked when saved; a row that no longer parses (a later, stricter schema) starts empty.
    const parsed = saved ? parseLevelAnswers(saved.answers) : undefined;
    const answers = parsed?.ok ? parsed.answers : emptyLevelAnswers();
    const connectionPoints = await storage.connectionPoints(unitId);
    return {
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
      year,
      answers,
      saved: saved ? { by: saved.updatedBy, at: saved.updatedAt } : null,
      facts,
      connectionPoints,
      result: assessLevel(answers, facts, connectionPoints)
    };
  }

  app.get(path, async (c) => {
    const t = await target(c);
    if (t instanceof Response) return t;
    return c.json(await view(t.unitId, t.year));
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
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== 'answers')) {
      return refuse(c, 400, 'bad_request', 'the body is {"answers": {…}}');
    }
    const parsed = parseLevelAnswers((body as { answers?: unknown }).answers);
    if (!parsed.ok) return refuse(c, 400, 'bad_request', parsed.problems.join('; '), { problems: parsed.problems });
    const p = c.get('principal');
    await storage.saveAssessment(t.unitId, t.year, parsed.answers, p.userId);
    await storage.log.audit([{ atMs: now(), action: 'assessment_change', docId: `unit:${t.unitId}`, userId: p.userId, device: null, seq: null }]);
    const v = await view(t.unitId, t.year);
    log.info('assessment.saved', { unitId: t.unitId, year: t.year, by: p.userId, level: v.result.level });
    return c.json(v);
  });
}
