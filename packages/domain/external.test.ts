// Records from another system in a chart (external.ts): what an entry may hold, and that the layout's check refuses
// anything else, as the server applies it to a device's update.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkExternal, externalBounds, readExternal, writeExternal } from './external';

const at = '2026-12-01T02:00:00.000Z';
const rq = { resourceType: 'ServiceRequest', id: 'rq-1', status: 'active', intent: 'order', subject: { reference: 'Patient/p-1' } };
const entry = (resource: unknown, extra: Record<string, unknown> = {}) => ({ resource: typeof resource === 'string' ? resource : JSON.stringify(resource), importedAt: at, importedBy: 'user-1', ...extra });

describe('records from another system', () => {
  it('keeps a resource under its type and id, once, and reads it back', () => {
    const doc = new Y.Doc();
    expect(writeExternal(doc, rq, { importedAt: at, importedBy: 'user-1', source: 'Bundle/b-1' })).toBe(true);
    expect(writeExternal(doc, { ...rq, status: 'revoked' }, { importedAt: at, importedBy: 'user-2' })).toBe(false);
    expect(readExternal(doc)).toEqual([{ key: 'ServiceRequest/rq-1', resource: rq, importedAt: at, importedBy: 'user-1', source: 'Bundle/b-1' }]);
    expect(checkExternal('ServiceRequest/rq-1', doc.getMap('external').get('ServiceRequest/rq-1'))).toBeUndefined();
  });

  it('refuses an entry that is not one, whatever a device sends', () => {
    const deep = JSON.stringify({ ...rq, note: JSON.parse('['.repeat(30) + ']'.repeat(30)) });
    const cases: [string, unknown, string][] = [
      ['ServiceRequest/rq-1', 'text', 'an external record is an object'],
      ['ServiceRequest/rq-1', entry(rq, { extra: 1 }), 'external extra: unknown_field'],
      ['ServiceRequest/rq-1', { resource: JSON.stringify(rq) }, 'external record without importedAt, importedBy'],
      ['ServiceRequest/rq-1', entry('{not json'), 'external resource: not JSON'],
      ['ServiceRequest/rq-1', entry([rq]), 'external resource: not an object'],
      ['ServiceRequest/rq-1', entry(deep), 'external resource: too deep'],
      ['Patient/rq-1', entry({ ...rq, resourceType: 'Patient' }), 'external resource: type not kept'],
      ['ServiceRequest/other', entry(rq), 'external resource: id does not match its key'],
      ['ServiceRequest/rq-1', entry({ ...rq, note: [{ text: 'x'.repeat(externalBounds.maxResourceChars) }] }), 'external resource: too_long'],
      ['ServiceRequest/rq-1', entry(rq, { importedAt: 'yesterday' }), 'external importedAt: bad_date']
    ];
    for (const [key, value, problem] of cases) expect(checkExternal(key, value), problem).toBe(problem);
  });
});
