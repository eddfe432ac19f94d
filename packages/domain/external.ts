// Records a chart received from another system (M13): the consultation requests, minutes, signed documents,
// prescriptions and bookings a FHIR import brings for a patient. Each belonged to a workflow of the system it comes
// from (a request that granted an upper unit the chart, minutes signed there, a prescription sent from there to the
// national system), which an import cannot re-enact here; so the chart keeps them as they were said, read-only: the
// FHIR resource itself, in the chart's `external` root (key "Type/id"), shown on the chart and exported again as it
// came. The chart's own records are never written from a file.
import * as Y from 'yjs';
import { patterns } from './records';
import { validatePatch, type Schema } from './schema';

/** The FHIR resource types a chart keeps from another system. */
export const externalTypes = ['Appointment', 'ServiceRequest', 'Composition', 'DocumentReference', 'MedicationRequest'] as const;
export type ExternalType = (typeof externalTypes)[number];

export const externalBounds = { maxPerChart: 2_000, maxResourceChars: 48 * 1024, maxDepth: 24, sourceMax: 200 } as const;

const entrySchema = {
  /** The FHIR resource, as JSON. */
  resource: { type: 'text', max: externalBounds.maxResourceChars, required: true },
  importedAt: { type: 'datetime', required: true },
  importedBy: { type: 'text', max: 64, pattern: patterns.id, required: true },
  /** Where it came from, as the file said (the Bundle's id or the source system), for the reader. */
  source: { type: 'text', max: externalBounds.sourceMax }
} as const satisfies Schema;

export type ExternalEntry = { resource: string; importedAt: string; importedBy: string; source?: string };
export type ExternalRecord = { key: string; resource: Record<string, unknown> & { resourceType: ExternalType; id: string }; importedAt: string; importedBy: string; source?: string };

const fhirId = /^[A-Za-z0-9\-.]{1,64}$/;

/** The key of a resource in the chart's `external` root. */
export const externalKey = (resourceType: string, id: string) => `${resourceType}/${id}`;

function depthOf(value: unknown, depth = 0): number {
  if (depth > externalBounds.maxDepth || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const v of Object.values(value)) deepest = Math.max(deepest, depthOf(v, depth + 1));
  return deepest;
}

/** The resource an entry holds, when the entry is well formed under `key`; else why not. */
export function parseExternal(key: string, value: unknown): { resource: ExternalRecord['resource'] } | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return { problem: 'an external record is an object' };
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((k) => !(k in entrySchema));
  if (unknown.length) return { problem: `external ${unknown[0]}: unknown_field` };
  const missing = Object.entries(entrySchema).filter(([k, s]) => 'required' in s && s.required && entry[k] === undefined);
  if (missing.length) return { problem: `external record without ${missing.map(([k]) => k).join(', ')}` };
  const errors = validatePatch(entrySchema, entry);
  if (errors.length) return { problem: `external ${errors[0]!.field}: ${errors[0]!.code}` };
  let resource: unknown;
  try {
    resource = JSON.parse(entry.resource as string);
  } catch {
    return { problem: 'external resource: not JSON' };
  }
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return { problem: 'external resource: not an object' };
  if (depthOf(resource) > externalBounds.maxDepth) return { problem: 'external resource: too deep' };
  const { resourceType, id } = resource as Record<string, unknown>;
  if (!externalTypes.includes(resourceType as ExternalType)) return { problem: 'external resource: type not kept' };
  if (typeof id !== 'string' || !fhirId.test(id) || key !== externalKey(resourceType as string, id)) return { problem: 'external resource: id does not match its key' };
  return { resource: resource as ExternalRecord['resource'] };
}

/** The layout's check of an entry (layouts.ts). */
export function checkExternal(key: string, value: unknown): string | undefined {
  const parsed = parseExternal(key, value);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** The `external` map of a patient chart. */
export function chartExternal(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('external');
}

/** The chart's records from other systems, each parsed (an entry that is not well formed is left out), by key. */
export function readExternal(doc: Y.Doc): ExternalRecord[] {
  const out: ExternalRecord[] = [];
  for (const [key, value] of chartExternal(doc).entries()) {
    const parsed = parseExternal(key, value);
    if ('problem' in parsed) continue;
    const e = value as ExternalEntry;
    out.push({ key, resource: parsed.resource, importedAt: e.importedAt, importedBy: e.importedBy, ...(e.source ? { source: e.source } : {}) });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Keeps a resource from another system in the chart (under "Type/id"; an entry already there is left as it is). */
export function writeExternal(doc: Y.Doc, resource: { resourceType: string; id: string; [field: string]: unknown }, meta: Omit<ExternalEntry, 'resource'>): boolean {
  const map = chartExternal(doc);
  const key = externalKey(resource.resourceType, resource.id);
  if (map.has(key)) return false;
  map.set(key, { resource: JSON.stringify(resource), importedAt: meta.importedAt, importedBy: meta.importedBy, ...(meta.source ? { source: meta.source } : {}) });
  return true;
}
