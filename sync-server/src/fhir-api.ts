// FHIR R4 export and import (M13, criteria 52–55; docs/fhir.md):
//
// - GET  /api/fhir/Patient/<id>/$everything   a patient's chart as a searchset Bundle: staff of a unit that reads the
//   chart (its own station, or the upper unit a request granted it to). Audited `fhir_export`.
// - GET  /api/fhir/export?from=YYYY-MM-DD&to=YYYY-MM-DD   the caller's unit's charts as one collection Bundle: each
//   chart with a record dated in the period (Vietnam's days), whole, so that its references resolve. Audited `fhir_export`.
// - POST /api/fhir/validate   body: a Bundle. Its problems (JSON schema, structure definitions, the product's checks).
// - POST /api/fhir/import     body: a Bundle. A station worker's import into their own unit: validated whole first,
//   then read into charts (patients and their visits; their other records kept as they came, read-only, in the
//   chart's `external` root); a patient already in the unit (same chart id, CCCD or BHYT number) is merged into
//   (fields it lacks are filled, visits and kept records it lacks added; nothing it has is overwritten), others are
//   created. A bundle with any problem is refused with all of them, and nothing is written: every record, every
//   new chart's creation and every update's size and structure are checked before the first write. The records are
//   written as documents through the sync server's own write path (sync/write.ts: one update for a patient, one per
//   visit, a few kept records per update), so devices receive them as any other change. Audited `fhir_import`.
import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { limits } from '@telehealth/protocol';
import { bodyLimit } from 'hono/body-limit';
import * as Y from 'yjs';
import {
  Role,
  docId,
  docLayouts,
  externalBounds,
  mainRecord,
  parseExternal,
  readExternal,
  writeExternal,
  parseDocId,
  patientSchema,
  readForms,
  readRecord,
  teleconsultationFormSchema,
  validateRecord,
  writeFields,
  writeForm,
  vietnamDate,
  type DocMeta,
  type Fields
} from '@telehealth/domain';
import { bundleOf, chartResources, readBundle, renamePatient, resourceKey, type Bundle, type ChartRecords, type ExportContext, type ImportedChart, type Problem, type Resource, organizationResource } from '@telehealth/fhir';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Refuse } from './accounts-api';
import type { DocRow, Storage } from './storage/storage';
import { readerOf } from './sync/access';
import { stateOf } from './sync/content-policy';
import type { UpdateResult, UpdateWrite } from './sync/write';
import type { CreateDecision } from './sync/access';
import { inspectUpdateV2 } from './sync/update-bounds';

/** The origin of an import's writes: not a device id (devices' ids have no colon), so no device skips them as its own. */
const importOrigin = 'server:fhir-import';

type Vars = { Variables: { principal: Principal } };

export type FhirDeps = {
  storage: Storage;
  log: Logger;
  now: () => number;
  refuse: Refuse;
  /** The sync server's write path (the hub's); no import without it. */
  writeUpdate?: (u: UpdateWrite) => Promise<UpdateResult>;
  /** The sync server's decision on creating a document (checked for every new chart before anything is written). */
  decideCreate?: (p: Principal, docId: string, meta: DocMeta) => Promise<CreateDecision>;
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
  const out = { patient: undefined as Fields | undefined, forms: [] as Fields[], appointments: [] as Fields[], requests: [] as Fields[], reviews: [] as Fields[], minutes: [] as Fields[], prescriptions: [] as Fields[], external: [] as Resource[] };
  for (const d of docs) {
    const kind = parseDocId(d.id)?.kind;
    if (!kind || kind === 'call') continue;
    const doc = stateOf(d.id, await storage.log.docHistory(d.id, Number.MAX_SAFE_INTEGER));
    const record = readRecord(doc, kind);
    if (!record.id) continue;
    if (kind === 'patient') {
      out.patient = record;
      out.forms = readForms(doc);
      out.external = readExternal(doc).map((e) => e.resource);
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
    // A chart goes out whole when any of its records is dated in the period (Vietnam's days), so that every reference
    // of the file resolves in it (a visit names its booking, a request its visit).
    const inPeriod = (r: Fields) => {
      const at = r.completedAt ?? r.issuedAt ?? r.heldAt ?? r.sentAt ?? r.createdAt;
      if (typeof at !== 'string' || !Number.isFinite(Date.parse(at))) return false;
      const day = vietnamDate(at);
      return day >= from && day <= to;
    };
    const charts = await storage.log.readableDocs(reader, { unitId: p.unitId!, kind: 'patient' }, fhirLimits.maxCharts);
    if (charts.length === fhirLimits.maxCharts) log.warn('fhir.export_truncated', { unitId: p.unitId, charts: charts.length });
    const resources: Resource[] = [];
    const emitted = new Set<string>();
    for (const chartDoc of charts) {
      const docs = await storage.log.readableDocs(reader, { patientId: chartDoc.patientId }, fhirLimits.maxPatientDocs);
      const chart = await chartRecords(storage, docs.filter((d) => d.unitId === p.unitId || d.kind === 'review'));
      if (!chart) continue;
      const records = [chart.patient, ...chart.forms, ...chart.appointments, ...chart.requests, ...chart.minutes, ...chart.prescriptions];
      if (!records.some(inPeriod)) continue;
      for (const r of chartResources(chart, await context(await signedOf(docs)))) {
        // Two charts may keep a record from two other systems under one "Type/id": the file holds the first.
        if (emitted.has(resourceKey(r))) log.warn('fhir.export_duplicate', { unitId: p.unitId, resource: resourceKey(r) });
        else resources.push(r);
        emitted.add(resourceKey(r));
      }
    }
    await storage.log.audit([{ atMs: now(), action: 'fhir_export', docId: `unit:${p.unitId}`, userId: p.userId, device: null, seq: null }]);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'application/fhir+json; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="fhir-${p.unitId}-${from}-${to}.json"`);
    return c.body(JSON.stringify(bundleOf([...resources, ...(await organizations(resources))], 'collection', new Date(now()).toISOString())));
  });

  const validating = new Set<string>();
  const readBody = async (c: Context): Promise<{ bundle: unknown } | { problems: Problem[] }> => {
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return { problems: [{ resource: 'Bundle', path: '(body)', message: 'the body is not JSON', by: 'schema' }] };
    const entries = (body as { entry?: unknown })?.entry;
    if (Array.isArray(entries) && entries.length > fhirLimits.maxResources) return { problems: [{ resource: 'Bundle', path: 'entry', message: `at most ${fhirLimits.maxResources} resources`, by: 'product' }] };
    // One validation at a time per account (a large bundle takes seconds); the validators load on first use (about
    // 2 s), never at server start, and yield to the server's other work as they go.
    const userId = c.get('principal').userId;
    if (validating.has(userId)) return { problems: [{ resource: 'Bundle', path: '(request)', message: 'another bundle of this account is being checked: try again when it is done', by: 'product' }] };
    validating.add(userId);
    try {
      const { fhirValidator } = await import('@telehealth/fhir/validate');
      const problems = await fhirValidator().bundleAsync(body);
      return problems.length ? { problems } : { bundle: body };
    } finally {
      validating.delete(userId);
    }
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
    const context: PlanContext = {
      unitId: p.unitId,
      userId: p.userId,
      at,
      newId: () => randomUUID(),
      ownKeys: async (patientId) => {
        const records = await chartRecords(storage, await storage.log.readableDocs(reader, { patientId }, fhirLimits.maxPatientDocs));
        return new Set(records ? chartResources({ ...records, external: [] }).map(resourceKey) : []);
      },
      ...(typeof (read.bundle as Bundle).id === 'string' ? { source: `Bundle/${(read.bundle as Bundle).id}`.slice(0, externalBounds.sourceMax) } : {}),
      ...(deps.decideCreate ? { mayCreate: async (id: string, meta: DocMeta) => {
        const decision = await deps.decideCreate!(p, id, meta);
        return decision.ok ? undefined : decision.message;
      } } : {})
    };
    for (const chart of charts) {
      const plan = await planChart(storage, index, chart, context);
      if ('problems' in plan) problems.push(...plan.problems);
      else plans.push(plan);
    }
    if (problems.length) {
      log.warn('fhir.import_refused', { userId: p.userId, problems: problems.length });
      return refuse(c, 400, 'invalid_bundle', `the bundle has ${problems.length} problem(s): nothing was imported`, listed(problems));
    }
    const summary = { created: 0, merged: 0, formsAdded: 0, formsKept: 0, externalAdded: 0, externalKept: 0 };
    const written = new Set<string>();
    const audit = () => storage.log.audit([...written].map((d) => ({ atMs: now(), action: 'fhir_import' as const, docId: d, userId: p.userId, device: null, seq: null })));
    for (const plan of plans) {
      summary[plan.existing ? 'merged' : 'created']++;
      summary.formsAdded += plan.formsAdded;
      summary.formsKept += plan.formsKept;
      summary.externalAdded += plan.externalAdded;
      summary.externalKept += plan.externalKept;
      for (const [i, update] of plan.updates.entries()) {
        const create = !plan.existing && i === 0;
        const result = await deps.writeUpdate({ principal: p, reader, origin: importOrigin, docId: plan.docId, meta: create ? { kind: 'patient', unitId: p.unitId, patientId: plan.patientId } : undefined, data: update });
        if (!result.ok) {
          // Checked before anything was written; a refusal here is a rule the checks above do not know: say which,
          // and what was written (importing the file again adds what is missing and changes nothing else).
          log.error('fhir.import_write_refused', { userId: p.userId, docId: plan.docId, code: result.code, message: result.message, written: written.size });
          await audit();
          return c.json({ error: 'import_incomplete', message: `${plan.docId}: ${result.message}`, written: [...written], ...summary }, 500);
        }
        written.add(plan.docId);
      }
    }
    await audit();
    log.info('fhir.imported', { userId: p.userId, ...summary, skipped: skipped.length });
    return c.json({ ...summary, skipped });
  });
}

type Plan = { docId: string; patientId: string; existing: boolean; updates: Uint8Array[]; formsAdded: number; formsKept: number; externalAdded: number; externalKept: number };

/**
 * Finds the unit's chart an imported patient is: the chart of the same id when the Patient carries this product's
 * chart-id identifier, else one with the same CCCD, else the same BHYT number (the projections). Each chart is the
 * target of one Patient of a bundle at most: two that are one person are refused, not merged into each other.
 */
class ChartIndex {
  private readonly targets = new Set<string>();
  private readonly planned = new Map<string, string>();
  constructor(
    private readonly storage: Storage,
    private readonly unitId: string
  ) {}
  async find(match: ImportedChart['match']): Promise<{ existing?: string; problem?: string }> {
    const same = match.ownId ? await this.storage.log.getDoc(docId('patient', match.chartId)) : undefined;
    if (same && same.unitId !== this.unitId) return { problem: 'a chart of another unit has this id' };
    const planned = (match.personalId && this.planned.get(`cccd:${match.personalId}`)) || (match.insuranceNumber && this.planned.get(`bhyt:${match.insuranceNumber}`));
    const existing = same ? match.chartId : (await this.storage.patientsByIdentifier(this.unitId, { personalId: match.personalId, insuranceNumber: match.insuranceNumber }))[0];
    if (planned || (existing && this.targets.has(existing)) || (match.ownId && this.targets.has(match.chartId))) {
      return { problem: `the same person as another Patient of this bundle (same chart id, CCCD or BHYT number)` };
    }
    return existing ? { existing } : {};
  }
  /** The chart this Patient is written into: later Patients of the bundle that are it are refused. */
  claim(patientId: string, match: ImportedChart['match']) {
    this.targets.add(patientId);
    if (match.personalId) this.planned.set(`cccd:${match.personalId}`, patientId);
    if (match.insuranceNumber) this.planned.set(`bhyt:${match.insuranceNumber}`, patientId);
  }
}

type PlanContext = {
  unitId: string;
  userId: string;
  at: string;
  newId: () => string;
  /** The sync server's decision on creating a chart (a patient registered with another station is that station's). */
  mayCreate?: (docId: string, meta: DocMeta) => Promise<string | undefined>;
  /** The resources ("Type/id") an existing chart's own records export as (a record of the file that is one of them is not kept twice). */
  ownKeys: (patientId: string) => Promise<Set<string>>;
  /** Where the file says it comes from (the Bundle's id), kept with each record from it. */
  source?: string;
};

/**
 * What importing one chart writes, checked as the write path will check it: the records' schemas, a finished visit's
 * completion rules, the creation of a new chart, and each update's size and structure (one update for the patient,
 * one per visit, each under the sync limits; the chart under its layout's bound).
 */
async function planChart(storage: Storage, index: ChartIndex, chart: ImportedChart, who: PlanContext): Promise<Plan | { problems: Problem[] }> {
  const where = `Patient/${chart.match.chartId}`;
  const problem = (message: string, path = 'identifier', resource = where): { problems: Problem[] } => ({ problems: [{ resource, path, message, by: 'product' }] });
  const problems: Problem[] = [];
  const found = await index.find(chart.match);
  if (found.problem) return problem(found.problem);
  const existingId = found.existing;
  // A new chart keeps the id this product gave it; another system's Patient gets a new one.
  const patientId = existingId ?? (chart.match.ownId ? chart.match.chartId : who.newId());
  index.claim(patientId, chart.match);
  const id = docId('patient', patientId);
  if (!existingId && who.mayCreate) {
    const refused = await who.mayCreate(id, { kind: 'patient', unitId: who.unitId, patientId });
    if (refused) return problem(refused);
  }
  const doc = existingId ? stateOf(id, await storage.log.docHistory(id, Number.MAX_SAFE_INTEGER)) : new Y.Doc();
  const current = readRecord(doc, 'patient');
  // The identifiers must agree: a chart with another CCCD or BHYT number is another person.
  for (const [field, label] of [['personalId', 'CCCD'], ['insuranceNumber', 'BHYT number']] as const) {
    const incoming = chart.patient[field];
    if (existingId && typeof current[field] === 'string' && typeof incoming === 'string' && current[field] !== incoming) return problem(`the chart ${patientId} has another ${label}`);
  }
  // A new chart takes every field; an existing one only those it lacks.
  const patch: Fields = existingId
    ? Object.fromEntries(Object.entries(chart.patient).filter(([k, v]) => k !== 'id' && (current[k] === undefined || current[k] === '') && v !== undefined))
    : { ...chart.patient, id: patientId, unitId: who.unitId, createdAt: who.at, createdBy: who.userId };
  const whole = validateRecord(patientSchema, { ...current, ...patch });
  if (!whole.ok) for (const e of whole.errors) problems.push({ resource: where, path: e.field, message: `${e.field}: ${e.code}`, by: 'product' });
  const present = new Set(readForms(doc).map((f) => String(f.id)));
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
  }
  // The records the chart keeps from the file as they came (external.ts), naming the chart by its id here; one the
  // chart already has (kept from an earlier import, or one of its own records) is not kept twice.
  const have = new Set([...readExternal(doc).map((e) => e.key), ...(existingId ? await who.ownKeys(patientId) : [])]);
  const external: Resource[] = [];
  let externalKept = 0;
  for (const r of chart.external) {
    if (have.has(resourceKey(r))) {
      externalKept++;
      continue;
    }
    const renamed = renamePatient(r, chart.sourceId, patientId);
    const checked = parseExternal(resourceKey(r), { resource: JSON.stringify(renamed), importedAt: who.at, importedBy: who.userId });
    if ('problem' in checked) problems.push({ resource: resourceKey(r), path: '(record)', message: checked.problem, by: 'product' });
    else external.push(renamed);
  }
  if (problems.length) return { problems };
  const updates: Uint8Array[] = [];
  const step = (what: string, write: () => void) => {
    const before = Y.encodeStateVector(doc);
    doc.transact(write);
    const update = Y.encodeStateAsUpdateV2(doc, before);
    const shape = inspectUpdateV2(update);
    if (update.length > limits.maxUpdateBytes) problems.push({ resource: what, path: '(size)', message: `too large for one update (${update.length} bytes, at most ${limits.maxUpdateBytes})`, by: 'product' });
    else if (!shape.ok) problems.push({ resource: what, path: '(structure)', message: shape.message, by: 'product' });
    updates.push(update);
  };
  if (Object.keys(patch).length) step(where, () => writeFields(mainRecord(doc, 'patient'), patch));
  for (const f of formPatches) step(`Encounter/${String(f.id)}`, () => writeForm(doc, String(f.id), f));
  // The records from the file, a few to an update (each well under the update bound).
  const meta = { importedAt: who.at, importedBy: who.userId, ...(who.source ? { source: who.source } : {}) };
  const sizes = external.map((r) => Buffer.byteLength(JSON.stringify(r)));
  for (let i = 0; i < external.length; ) {
    const group: Resource[] = [];
    let bytes = 0;
    while (i < external.length && (group.length === 0 || bytes + sizes[i]! < limits.maxUpdateBytes / 2)) {
      bytes += sizes[i]!;
      group.push(external[i++]!);
    }
    step(resourceKey(group[0]!), () => group.forEach((r) => writeExternal(doc, r, meta)));
  }
  if (Y.encodeStateAsUpdateV2(doc).length > docLayouts.patient.maxBytes) problems.push({ resource: where, path: '(size)', message: `the chart would be over ${docLayouts.patient.maxBytes} bytes`, by: 'product' });
  // The forms' completion rules (what a completed visit must have): as the server will check them on the write.
  const forms = docLayouts.patient.roots.forms;
  if (forms?.type === 'records' && forms.completion) {
    for (const f of formPatches.filter((f) => f.completedAt)) {
      const missing = forms.completion(f, doc);
      if (missing.length) problems.push({ resource: `Encounter/${String(f.id)}`, path: '(visit)', message: `a finished visit lacks: ${missing.join(', ')}`, by: 'product' });
    }
  }
  if (problems.length) return { problems };
  return { docId: id, patientId, existing: !!existingId, updates, formsAdded: formPatches.length, formsKept, externalAdded: external.length, externalKept };
}
