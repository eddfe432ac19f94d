// The call log's closed layout (M8): its fields, the append-only list of rungs with its bounds, and the rules the
// server enforces on every change (pure here).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mainRecord, readFields, writeFields } from './documents';
import { callBounds, callRules, checkRung, docLayouts, layoutProblems, type DocChange } from './layouts';
import { callLogSchema } from './records';
import { validateRecord } from './schema';

const call = {
  id: 'c1',
  unitId: 'tyt-02701',
  direction: 'outgoing',
  callerUnitId: 'tyt-02701',
  calleeUnitId: 'ttyt-bat-xat',
  purpose: 'consultation',
  channel: 'webrtc',
  requestId: 'r1',
  patientId: 'p1',
  startedAt: '2026-12-01T02:00:00.000Z',
  createdAt: '2026-12-01T02:00:00.000Z',
  createdBy: 'user-tram'
};
const rung = { at: '2026-12-01T02:01:00.000Z', rung: 'audio', reason: 'bandwidth 40 kbit/s' };

/** Applies `edit` to `doc` and returns what the server's check sees of it, with the record as it was before. */
function change(doc: Y.Doc, edit: (doc: Y.Doc) => void): { change: DocChange; before: Record<string, unknown> } {
  const before = readFields(mainRecord(doc, 'call'));
  const out: DocChange = { changed: new Map(), deleted: [] };
  const collect = (tr: Y.Transaction) => {
    for (const [type, keys] of tr.changed) out.changed.set(type, new Set([...(out.changed.get(type) ?? []), ...keys]));
    Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
      if (struct instanceof Y.Item) out.deleted.push(struct);
    });
  };
  doc.on('afterTransaction', collect);
  doc.transact(() => edit(doc));
  doc.off('afterTransaction', collect);
  return { change: out, before };
}

const problems = (doc: Y.Doc, edit: (doc: Y.Doc) => void) => {
  const c = change(doc, edit);
  return layoutProblems(doc, 'call', c.change, { before: c.before, nowMs: Date.parse('2026-12-01T03:00:00.000Z') });
};

const started = () => {
  const doc = new Y.Doc();
  expect(problems(doc, (d) => writeFields(mainRecord(d, 'call'), call))).toEqual([]);
  return doc;
};

describe('a call log', () => {
  it('has who called whom, direction, purpose, channel and start as required fields', () => {
    expect(validateRecord(callLogSchema, call).ok).toBe(true);
    const bare = validateRecord(callLogSchema, { id: 'c1' });
    expect(bare.ok ? [] : bare.errors.filter((e) => e.code === 'required').map((e) => e.field).sort()).toEqual(
      ['calleeUnitId', 'callerUnitId', 'channel', 'createdAt', 'createdBy', 'direction', 'purpose', 'startedAt', 'unitId'].sort()
    );
    // Linked to no patient and no request (a briefing): those two are optional.
    expect(validateRecord(callLogSchema, { ...call, requestId: undefined, patientId: undefined, purpose: 'briefing' }).ok).toBe(true);
    // Report 5D's purposes only.
    expect(problems(started(), (d) => writeFields(mainRecord(d, 'call'), { purpose: 'gossip' }))).toEqual(['purpose: not_allowed']);
    expect(problems(started(), (d) => writeFields(mainRecord(d, 'call'), { purpose: 'professional' }))).toEqual([]);
    // A required field stays set, and a field the schema does not have is refused.
    expect(problems(started(), (d) => mainRecord(d, 'call').delete('purpose'))).toContain('purpose: required');
    expect(problems(started(), (d) => writeFields(mainRecord(d, 'call'), { recording: 'x' }))).toEqual(['recording: unknown_field']);
  });

  it('keeps which call it is: units, direction, channel, request, patient and start never change', () => {
    for (const [field, value] of [
      ['callerUnitId', 'tyt-02686'],
      ['channel', 'phone'],
      ['requestId', 'r2'],
      ['patientId', 'p2'],
      ['startedAt', '2026-12-01T01:00:00.000Z']
    ] as const) {
      expect(problems(started(), (d) => writeFields(mainRecord(d, 'call'), { [field]: value })), field).toContain(`${field}: fixed`);
    }
  });

  it('is logged by the unit on its own side of the call, and ends once, not before it started', () => {
    expect(callRules({}, { ...call, callerUnitId: 'tyt-02686' })).toEqual(['callerUnitId: not_own_unit']);
    expect(callRules({}, { ...call, direction: 'incoming' })).toEqual(['calleeUnitId: not_own_unit']);
    expect(callRules({}, { ...call, direction: 'incoming', callerUnitId: 'ttyt-bat-xat', calleeUnitId: 'tyt-02701' })).toEqual([]);
    expect(callRules({}, { ...call, calleeUnitId: call.callerUnitId })).toEqual(['calleeUnitId: same_as_caller']);
    expect(callRules(call, { ...call, endedAt: '2026-12-01T01:59:00.000Z' })).toEqual(['endedAt: before_start']);
    const ended = { ...call, endedAt: '2026-12-01T02:20:00.000Z' };
    expect(callRules(call, ended)).toEqual([]);
    expect(callRules(ended, { ...ended, endedAt: '2026-12-01T02:30:00.000Z' })).toEqual(['endedAt: fixed']);
    expect(callRules(ended, { ...call })).toEqual(['endedAt: fixed']);
  });
});

describe('the rungs a call used', () => {
  it('are exactly {at, rung, reason}, with a rung of the ladder and a reason of at most 200 characters', () => {
    expect(checkRung(rung)).toBeUndefined();
    expect(checkRung({ ...rung, rung: 'phone', reason: 'no_media' })).toBeUndefined();
    expect(checkRung({ ...rung, rung: 'ultra' })).toBe('rung rung: not_allowed');
    expect(checkRung({ ...rung, reason: 'x'.repeat(201) })).toBe('rung reason: too_long');
    expect(checkRung({ ...rung, reason: '' })).toBe('rung without reason');
    expect(checkRung({ rung: 'hd', reason: 'start' })).toBe('rung without at');
    expect(checkRung({ ...rung, at: 'yesterday' })).toBe('rung at: bad_date');
    expect(checkRung({ ...rung, by: 'someone' })).toBe('unknown rung fields: by');
    expect(checkRung('audio')).toBe('a rung is an object');
  });

  it('are appended only, and at most 200', () => {
    const doc = started();
    expect(problems(doc, (d) => d.getArray('rungs').push([rung, { ...rung, rung: 'phone', reason: 'no_media' }]))).toEqual([]);
    expect(problems(doc, (d) => d.getArray('rungs').delete(0, 1))).toEqual(['rungs: entries may only be appended']);
    const other = started();
    expect(problems(other, (d) => d.getArray('rungs').push([{ ...rung, rung: 'ultra' }]))).toEqual(['rungs: rung rung: not_allowed']);
    const full = started();
    expect(problems(full, (d) => d.getArray('rungs').push(Array.from({ length: callBounds.maxRungs }, () => rung)))).toEqual([]);
    expect(problems(full, (d) => d.getArray('rungs').push([rung]))).toEqual(['rungs: too_many']);
    expect(docLayouts.call.roots.rungs).toMatchObject({ type: 'log', maxItems: 200 });
    expect(docLayouts.call.maxBytes).toBe(256 * 1024);
  });
});
