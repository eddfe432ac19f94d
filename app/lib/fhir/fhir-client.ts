// The FHIR exchange from the app (sync-server/src/fhir-api.ts): a chart's $everything and a unit's period as files,
// and a bundle file imported into the station. It needs the network (the server validates, writes and audits); the
// answers are read by their shape, never cast.
import { send, type Result } from '../admin/admin-api';
import type { MessageKey } from '../i18n/catalog';
import { downloadFile } from '../download';

export type Problem = { resource: string; path: string; message: string };
export type ImportSummary = { created: number; merged: number; formsAdded: number; formsKept: number; externalAdded: number; externalKept: number; skipped: { resource: string; reason: string }[] };
export type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; error: MessageKey; problems: Problem[]; problemCount: number };

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : '');
const rows = <T>(v: unknown, read: (r: Record<string, unknown>) => T): T[] =>
  Array.isArray(v) ? v.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null).slice(0, 500).map(read) : [];
const problemsOf = (v: unknown) => rows(v, (p) => ({ resource: text(p.resource), path: text(p.path), message: text(p.message) }));

const save = (bundle: unknown, fileName: string) => downloadFile(new Blob([JSON.stringify(bundle, null, 1)], { type: 'application/fhir+json' }), fileName);

/** Downloads a patient's chart as a FHIR Bundle; the refusal's key otherwise. */
export async function exportChart(patientId: string): Promise<MessageKey | undefined> {
  const r: Result<Record<string, unknown>> = await send('GET', `/api/fhir/Patient/${encodeURIComponent(patientId)}/$everything`);
  if (!r.ok) return r.error;
  save(r.value, `fhir-${patientId}.json`);
  return undefined;
}

/** Downloads the unit's charts with a record dated from `from` to `to` (YYYY-MM-DD) as one Bundle. */
export async function exportUnit(from: string, to: string): Promise<MessageKey | undefined> {
  const r = await send('GET', `/api/fhir/export?${new URLSearchParams({ from, to })}`);
  if (!r.ok) return r.error;
  save(r.value, `fhir-${from}-${to}.json`);
  return undefined;
}

/** Imports a bundle file: what it created and merged, or why nothing was imported. */
export async function importFile(file: File): Promise<ImportOutcome> {
  let bundle: unknown;
  try {
    bundle = JSON.parse(await file.text());
  } catch {
    return { ok: false, error: 'fhir.notJson', problems: [], problemCount: 0 };
  }
  const r = await send('POST', '/api/fhir/import', bundle);
  if (!r.ok) return { ok: false, error: r.error, problems: problemsOf(r.body?.problems), problemCount: count(r.body?.problemCount) };
  const v = r.value;
  return {
    ok: true,
    summary: { created: count(v.created), merged: count(v.merged), formsAdded: count(v.formsAdded), formsKept: count(v.formsKept), externalAdded: count(v.externalAdded), externalKept: count(v.externalKept), skipped: rows(v.skipped, (s) => ({ resource: text(s.resource), reason: text(s.reason) })) }
  };
}
