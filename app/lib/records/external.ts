// The catalog key of a FHIR status code on the records a chart keeps from another system; other systems may use a
// code the catalog does not name, which is then shown as it is.
import type { MessageKey } from '../i18n/catalog';

const named = new Set(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'stopped', 'cancelled', 'preliminary', 'final', 'amended', 'current', 'superseded', 'proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'noshow']);

export function statusKey(code: string): MessageKey | undefined {
  return named.has(code) ? (`external.status.${code}` as MessageKey) : undefined;
}
