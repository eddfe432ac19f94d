// The shapes the mapping works with: a FHIR resource as plain JSON, a Bundle, and helpers that keep a resource
// free of what FHIR forbids (empty strings, empty arrays, empty objects).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Resource = { resourceType: string; id: string; [key: string]: unknown };
export type BundleEntry = { fullUrl?: string; resource?: Resource; [key: string]: unknown };
export type Bundle = { resourceType: 'Bundle'; id?: string; type: string; timestamp?: string; total?: number; entry?: BundleEntry[]; [key: string]: unknown };

/** FHIR's id type: what a resource's id may be. */
export const fhirId = /^[A-Za-z0-9\-.]{1,64}$/;

/** A copy without undefined values, empty strings, empty arrays and empty objects, recursively (FHIR allows none). */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    const items = value.map(compact).filter((v) => !isEmpty(v));
    return items as T;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (!isEmpty(c)) out[k] = c;
    }
    return out as T;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

export const ref = (type: string, id: string | undefined, display?: string) => (id ? { reference: `${type}/${id}`, ...(display ? { display } : {}) } : undefined);

/** The id a reference "Type/id" names, when it names a resource of `type`. */
export function refId(value: unknown, type: string): string | undefined {
  const reference = (value as { reference?: unknown } | undefined)?.reference;
  if (typeof reference !== 'string') return undefined;
  const prefix = `${type}/`;
  const rest = reference.startsWith(prefix) ? reference.slice(prefix.length) : undefined;
  return rest && fhirId.test(rest) ? rest : undefined;
}

/** A Bundle of resources, each under its full URL "Type/id". */
export function bundleOf(resources: readonly Resource[], type: 'collection' | 'searchset', timestamp: string, id?: string): Bundle {
  return {
    resourceType: 'Bundle',
    ...(id ? { id } : {}),
    type,
    timestamp,
    ...(type === 'searchset' ? { total: resources.length } : {}),
    entry: resources.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource, ...(type === 'searchset' ? { search: { mode: 'match' } } : {}) }))
  };
}
