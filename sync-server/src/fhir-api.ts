// FHIR R4 export and import (M13, criteria 52–55; docs/fhir.md):
//
// - GET  /api/fhir/Patient/<id>/$everything   a patient's chart as a searchset Bundle: staff of a unit that reads the
//   chart (its own station, or the upper unit a request granted it to). Audited `fhir_export`.
// - GET  /api/fhir/export?from=YYYY-MM-DD&to=YYYY-MM-DD   the caller's unit's charts as one collection Bundle: each
//   chart with a record dated in the period, with those records. Audited `fhir_export`.
// - POST /api/fhir/validate   body: a Bundle. Its problems (JSON schema, structure definitions, the product's checks).
// - POST /api/fhir/import     body: a Bundle. A station worker's import into their own unit: validated whole first,
//   then read into charts (patients and their visits); a patient already in the unit (same chart id, CCCD or BHYT
//   number) is merged into (fields it lacks are filled, visits it lacks added; nothing it has is overwritten), others
//   are created. A bundle with any problem is refused with all of them, and nothing is written. The records are
//   written as documents through the sync server's own write path (sync/write.ts), so devices receive them as any
//   other change. Audited `fhir_import`.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as Y from 'yjs';
import {
  Role,
  docId,
  docLayouts,
  mainRecord,
  parseDocId,
  patientSchema,
  readForms,
  readRecord,
  teleconsultationFormSchema,
  validateRecord,
  writeFields,
  writeForm,
  type Fields
} from '@telehealth/domain';
import { bundleOf, chartResources, readBundle, type Bundle, type ChartRecords, type ExportContext, type ImportedChart, type Problem, type Resource, organizationResource } from '@telehealth/fhir';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Refuse } from './accounts-api';
import type { DocRow, Storage } from './storage/storage';
import { readerOf } from './sync/access';
import { stateOf } from './sync/content-policy';
import type { UpdateResult, UpdateWrite } from './sync/write';

type Vars = { Variables: { principal: Principal } };

export type FhirDeps = {
  storage: Storage;
  log: Logger;
  now: () => number;
  refuse: Refuse;
  /** The sync server's write path (the hub's); no import without it. */
  writeUpdate?: (u: UpdateWrite) => Promise<UpdateResult>;
  /** Names for codes, from the product's catalogs. */
  names?: Pick<ExportContext, 'icdName' | 'ethnicName'>;
};

export const fhirLimits = {
  /** A bundle to import or validate, in bytes. */
  maxBundleBytes: 16 * 1024 * 1024,
  maxResources: 20_000,
  /** The charts one unit export reads. */
  maxCharts: 20_000,
  /** The documents of one patient. */
  maxPatientDocs: 2_000,
  /** The problems a refusal lists (the count says how many there were). */
  maxProblemsListed: 200
} as const;

const date = /^\d{4}-\d{2}-\d{2}$/;
const staff = (p: Principal) => (p.role === Role.stationWorker || p.role === Role.doctor) && !!p.unitId;

/** A patient's records as the documents `docs` hold them. */
async function chartRecords(storage: Storage, docs: readonly DocRow[]): Promise<ChartRecords | undefined> {
  const out = { patient: undefined as Fields | undefined, forms: [] as Fields[], appointments: [] as Fields[], requests: [] as Fields[], reviews: [] as Fields[], minutes: [] as Fields[], prescriptions: [] as Fields[] };
  for (const d of docs) {
    const kind = parseDocId(d.id)?.kind;
    if (!kind || kind === 'call') continue;
    const doc = stateOf(d.id, await storage.log.docHistory(d.id, Number.MAX_SAFE_INTEGER));
    const record = readRecord(doc, kind);
    if (!record.id) continue;
    if (kind === 'patient') {
      out.patient = record;
      out.forms = readForms(doc);
    } else if (kind === 'appointment') out.appointments.push(record);
    else if (kind === 'request') out.requests.push(record);
    else if (kind === 'review') out.reviews.push(record);
    else if (kind === 'minutes') out.minutes.push(record);
    else out.prescriptions.push(record);
  }
  return out.patient ? (out as ChartRecords) : undefined;
}

export function mountFhir(app: Hono<Vars>, deps: FhirDeps) {
  const { storage, log, now, refuse } = deps;

  const context = async (signed: Set<string>): Promise<ExportContext> => ({
    ...deps.names,
    signedPdfUrl: (kind, id) => (signed.has(docId(kind, id)) ? `/api/signatures/${docId(kind, id)}/pdf` : undefined)
  });
  const signedOf = async (docs: readonly DocRow[]) => {
    const signed = new Set<string>();
    for (const d of docs.filter((d) => d.kind === 'minutes' || d.kind === 'prescription')) if ((await storage.log.signatures(d.id)).length) signed.add(d.id);
    return signed;
  };
  const organizations = async (resources: readonly Resource[]): Promise<Resource[]> => {
    const named = new Set<string>();
    const walk = (v: unknown, depth = 0) => {
      if (depth > 16 || !v || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
      const ref = (v as { reference?: unknown }).reference;
      if (typeof ref === 'string' && ref.startsWith('Organization/')) named.add(ref.slice('Organization/'.length));
      for (const x of Object.values(v)) walk(x, depth + 1);
    };
    walk(resources);
    const units = (await storage.listUnits()).filter((u) => named.has(u.id));
    return units.map((u) => organizationResource({ id: u.id, name: u.name, facilityCode: u.facilityCode ?? undefined, phone: u.phone ?? undefined, address: u.address ?? undefined }));
  };

  app.get('/api/fhir/Patient/:id/$everything', async (c) => {
    const p = c.get('principal');
    const id = c.req.param('id');
    const reader = readerOf(p);
    if (!staff(p) || !reader) return refuse(c, 403, 'forbidden', 'health staff export the charts their unit reads');
    const chartDoc = (await storage.log.docAccess(docId('patient', id))).find((a) => a.reader === reader);
    if (!chartDoc) return refuse(c, 404, 'not_found', 'no chart with this id that your unit reads');
    const docs = await storage.log.readableDocs(reader, { patientId: id }, fhirLimits.maxPatientDocs);
    const chart = await chartRecords(storage, docs);
    if (!chart) return refuse(c, 404, 'not_found', 'no chart with this id that your unit reads');
    const resources = chartResources(chart, await context(await signedOf(docs)));
    await storage.log.audit([{ atMs: now(), action: 'fhir_export', docId: docId('patient', id), userId: p.userId, device: null, seq: null }]);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'application/fhir+json; charset=utf-8');
    return c.body(JSON.stringify(bundleOf([...resources, ...(await organizations(resources))], 'searchset', new Date(now()).toISOString())));
  });

  app.get('/api/fhir/export', async (c) => {
    const p = c.get('principal');
    const reader = readerOf(p);
    if (!staff(p) || !reader) return refuse(c, 403, 'forbidden', 'health staff export their own unit');
    const from = c.req.query('from') ?? '';
    const to = c.req.query('to') ?? '';
    if (!date.test(from) || !date.test(to) || from > to) return refuse(c, 400, 'invalid_period', 'from and to: dates YYYY-MM-DD, from on or before to');
    const inPeriod = (r: Fields) => {
      const at = String(r.completedAt ?? r.issuedAt ?? r.heldAt ?? r.sentAt ?? r.createdAt ?? '').slice(0, 10);
      return at >= from && at <= to;
    };
    const charts = await storage.log.readableDocs(reader, { unitId: p.unitId!, kind: 'patient' }, fhirLimits.maxCharts);
    const resources: Resource[] = [];
    for (const chartDoc of charts) {
      const docs = await storage.log.readableDocs(reader, { patientId: chartDoc.patientId }, fhirLimits.maxPatientDocs);
      const chart = await chartRecords(storage, docs.filter((d) => d.unitId === p.unitId || d.kind === 'review'));
      if (!chart) continue;
      const kept: ChartRecords = {
        patient: chart.patient,
        forms: chart.forms.filter(inPeriod),
        appointments: chart.appointments.filter(inPeriod),
        requests: chart.requests.filter(inPeriod),
        reviews: chart.reviews,
        minutes: chart.minutes.filter(inPeriod),
        prescriptions: chart.prescriptions.filter(inPeriod)
      };
      if (!inPeriod(chart.patient) && !kept.forms.length && !kept.appointments.length && !kept.requests.length && !kept.minutes.length && !kept.prescriptions.length) continue;
      resources.push(...chartResources(kept, await context(await signedOf(docs))));
    }
    await storage.log.audit([{ atMs: now(), action: 'fhir_export', docId: `unit:${p.unitId}`, userId: p.userId, device: null, seq: null }]);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'application/fhir+json; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="fhir-${p.unitId}-${from}-${to}.json"`);
    return c.body(JSON.stringify(bundleOf([...resources, ...(await organizations(resources))], 'collection', new Date(now()).toISOString())));
  });

  const readBody = async (c: Context): Promise<{ bundle: unknown } | { problems: Problem[] }> => {
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return { problems: [{ resource: 'Bundle', path: '(body)', message: 'the body is not JSON', by: 'schema' }] };
    const entries = (body as { entry?: unknown })?.entry;
    if (Array.isArray(entries) && entries.length > fhirLimits.maxResources) return { problems: [{ resource: 'Bundle', path: 'entry', message: `at most ${fhirLimits.maxResources} resources`, by: 'product' }] };
    // The validators load on first use (about 2 s): never at server start.
    const { fhirValidator } = await import('@telehealth/fhir/validate');
    const problems = fhirValidator().bundle(body);
    return problems.length ? { problems } : { bundle: body };
  };
  const limit = bodyLimit({ maxSize: fhirLimits.maxBundleBytes, onError: (c) => refuse(c, 413, 'payload_too_large', `a bundle is at most ${fhirLimits.maxBundleBytes} bytes`) });
  const listed = (problems: Problem[]) => ({ problemCount: problems.length, problems: problems.slice(0, fhirLimits.maxProblemsListed) });

  app.post('/api/fhir/validate', limit, async (c) => {
    if (!staff(c.get('principal'))) return refuse(c, 403, 'forbidden', 'health staff validate bundles');
    const read = await readBody(c);
    return c.json({ valid: !('problems' in read), ...listed('problems' in read ? read.problems : []) });
  });

  app.post('/api/fhir/import', limit, async (c) => {
    const p = c.get('principal');
    const reader = readerOf(p);
    if (p.role !== Role.stationWorker || !p.unitId || !reader) return refuse(c, 403, 'forbidden', "a station's health worker imports into their station");
    if (!deps.writeUpdate) return refuse(c, 403, 'forbidden', 'this server does not import');
    const read = await readBody(c);
    if ('problems' in read) {
      log.warn('fhir.import_refused', { userId: p.userId, problems: read.problems.length });
      return refuse(c, 400, 'invalid_bundle', `the bundle has ${read.problems.length} problem(s): nothing was imported`, listed(read.problems));
    }
    const { charts, skipped } = readBundle(read.bundle as Bundle);
    const at = new Date(now()).toISOString();
    const plans: Plan[] = [];
    const problems: Problem[] = [];
    const index = new ChartIndex(storage, p.unitId);
    for (const chart of charts) {
      const plan = await planChart(storage, index, chart, { unitId: p.unitId, userId: p.userId, at });
      if ('problems' in plan) problems.push(...plan.problems);
      else plans.push(plan);
    }
    if (problems.length) {
      log.warn('fhir.import_refused', { userId: p.userId, problems: problems.length });
      return refuse(c, 400, 'invalid_bundle', `the bundle has ${problems.length} problem(s): nothing was imported`, listed(problems));
    }
    const summary = { created: 0, merged: 0, formsAdded: 0, formsKept: 0 };
    const written: string[] = [];
    for (const plan of plans) {
      summary[plan.existing ? 'merged' : 'created']++;
      summary.formsAdded += plan.formsAdded;
      summary.formsKept += plan.formsKept;
      if (!plan.update) continue;
      const result = await deps.writeUpdate({ principal: p, reader, origin: 'fhir-import', docId: plan.docId, meta: plan.existing ? undefined : { kind: 'patient', unitId: p.unitId, patientId: plan.patientId }, data: plan.update });
      if (!result.ok) {
        // Checked before anything was written; a refusal here is a rule the checks above do not know: say which.
        log.error('fhir.import_write_refused', { userId: p.userId, docId: plan.docId, code: result.code, message: result.message, written: written.length });
        return c.json({ error: 'import_incomplete', message: `${plan.docId}: ${result.message}`, written, ...summary }, 500);
      }
      written.push(plan.docId);
    }
    await storage.log.audit(written.map((d) => ({ atMs: now(), action: 'fhir_import' as const, docId: d, userId: p.userId, device: null, seq: null })));
    log.info('fhir.imported', { userId: p.userId, ...summary, skipped: skipped.length });
    return c.json({ ...summary, skipped });
  });
}

type Plan = { docId: string; patientId: string; existing: boolean; update: Uint8Array | undefined; formsAdded: number; formsKept: number };

/**
 * Finds the unit's chart an imported patient is: the chart of the same id, else one with the same CCCD, else the same
 * BHYT number (the projections, and the charts this import planned already, so that one bundle never makes two).
 */
class ChartIndex {
  private readonly planned = new Map<string, string>();
  constructor(
    private readonly storage: Storage,
    private readonly unitId: string
  ) {}
  async find(match: ImportedChart['match']): Promise<{ existing?: string; problem?: string }> {
    const same = await this.storage.log.getDoc(docId('patient', match.chartId));
    if (same && same.unitId === this.unitId) return { existing: match.chartId };
    const planned = (match.personalId && this.planned.get(`cccd:${match.personalId}`)) || (match.insuranceNumber && this.planned.get(`bhyt:${match.insuranceNumber}`));
    if (planned) return { problem: `the same person as Patient/${planned} of this bundle (same CCCD or BHYT number)` };
    const [found] = await this.storage.patientsByIdentifier(this.unitId, { personalId: match.personalId, insuranceNumber: match.insuranceNumber });
    if (found) return { existing: found };
    if (same) return { problem: 'a chart of another unit has this id' };
    return {};
  }
  /** A chart this import will write: later patients of the bundle with its identifiers are it. */
  plan(patientId: string, match: ImportedChart['match']) {
    if (match.personalId) this.planned.set(`cccd:${match.personalId}`, patientId);
    if (match.insuranceNumber) this.planned.set(`bhyt:${match.insuranceNumber}`, patientId);
  }
}

/** What importing one chart writes, checked against the records' schemas and the forms' completion rules. */
async function planChart(storage: Storage, index: ChartIndex, chart: ImportedChart, who: { unitId: string; userId: string; at: string }): Promise<Plan | { problems: Problem[] }> {
  const where = `Patient/${chart.match.chartId}`;
  const problems: Problem[] = [];
  const found = await index.find(chart.match);
  if (found.problem) return { problems: [{ resource: where, path: 'identifier', message: found.problem, by: 'product' }] };
  const existingId = found.existing;
  const patientId = existingId ?? chart.match.chartId;
  if (!existingId) index.plan(patientId, chart.match);
  const id = docId('patient', patientId);
  const doc = existingId ? stateOf(id, await storage.log.docHistory(id, Number.MAX_SAFE_INTEGER)) : new Y.Doc();
  const before = Y.encodeStateVector(doc);
  const current = readRecord(doc, 'patient');
  // A new chart takes every field; an existing one only those it lacks.
  const patch: Fields = existingId
    ? Object.fromEntries(Object.entries(chart.patient).filter(([k, v]) => k !== 'id' && (current[k] === undefined || current[k] === '') && v !== undefined))
    : { ...chart.patient, id: patientId, unitId: who.unitId, createdAt: who.at, createdBy: who.userId };
  const whole = validateRecord(patientSchema, { ...current, ...patch });
  if (!whole.ok) for (const e of whole.errors) problems.push({ resource: where, path: e.field, message: `${e.field}: ${e.code}`, by: 'product' });
  const present = new Set(readForms(doc).map((f) => String(f.id)));
  let formsAdded = 0;
  let formsKept = 0;
  const formPatches: Fields[] = [];
  for (const form of chart.forms) {
    if (present.has(String(form.id))) {
      formsKept++;
      continue;
    }
    const full: Fields = { ...form, patientId, unitId: who.unitId, createdAt: form.createdAt ?? who.at, createdBy: who.userId };
    const checked = validateRecord(teleconsultationFormSchema, full);
    if (!checked.ok) for (const e of checked.errors) problems.push({ resource: `Encounter/${String(form.id)}`, path: e.field, message: `${e.field}: ${e.code}`, by: 'product' });
    formPatches.push(full);
    formsAdded++;
  }
  if (problems.length) return { problems };
  doc.transact(() => {
    if (Object.keys(patch).length) writeFields(mainRecord(doc, 'patient'), patch);
    for (const f of formPatches) writeForm(doc, String(f.id), f);
  });
  // The forms' completion rules (what a completed visit must have): as the server will check them on the write.
  const forms = docLayouts.patient.roots.forms;
  if (forms?.type === 'records' && forms.completion) {
    for (const f of formPatches.filter((f) => f.completedAt)) {
      const missing = forms.completion(f, doc);
      if (missing.length) problems.push({ resource: `Encounter/${String(f.id)}`, path: '(visit)', message: `a finished visit lacks: ${missing.join(', ')}`, by: 'product' });
    }
  }
  if (problems.length) return { problems };
  const changed = Object.keys(patch).length > 0 || formPatches.length > 0;
  return { docId: id, patientId, existing: !!existingId, update: changed ? Y.encodeStateAsUpdateV2(doc, before) : undefined, formsAdded, formsKept };
}
