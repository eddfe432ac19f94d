// Rows of the device's list index, read per kind by the kind's schema: typed values, never a cast.
import { describe, expect, it } from 'vitest';
import type { RecordRow } from '../sync/local-db';
import { appointmentRow, callRow, listRows, parseFields, pastVisits, requestRow } from './rows';
import { teleconsultationFormSchema } from '@telehealth/domain';

const indexed = (kind: string, id: string, fields: Record<string, unknown>, events?: unknown[]): RecordRow => ({ docId: `${kind}:${id}`, kind, id, patientId: 'p1', fields, events, updatedAt: 1 });
const booking = {
  id: 'a1',
  patientId: 'p1',
  unitId: 'tyt-yty',
  purpose: 'station',
  patientName: 'Giàng Thị Pà',
  wishedAt: '2026-11-24T01:30:00.000Z',
  consent: true,
  status: 'new',
  createdAt: '2026-11-22T01:00:00.000Z',
  createdBy: 'u-pa'
};

describe('an appointment in a list', () => {
  it('is its record as the schema reads it: a value that does not fit its field and a field the schema does not know are left out', () => {
    const row = appointmentRow(indexed('appointment', 'a1', { ...booking, pulse: 'fast', temperatureC: 38.6, fromANewerApp: 'x' }));
    expect(row?.fields).toEqual({ ...booking, temperatureC: 38.6 });
    expect(row?.fields.status).toBe('new');
  });

  it('keeps only the events that are events, and is not listed without the fields every booking has', () => {
    const accepted = { at: '2026-11-22T02:00:00.000Z', by: 'u-tram', side: 'station', action: 'accept', status: 'waiting' };
    expect(appointmentRow(indexed('appointment', 'a1', booking, [accepted, { action: 'teleport' }, 'noise']))?.events).toEqual([accepted]);
    expect(appointmentRow(indexed('appointment', 'a1', { ...booking, patientName: undefined }))).toBeUndefined();
    expect(appointmentRow(indexed('request', 'a1', booking))).toBeUndefined();
  });
});

describe('a consultation request in a list', () => {
  it('is listed while a draft, without the content the station has not written yet', () => {
    const row = requestRow(indexed('request', 'r1', { id: 'r1', patientId: 'p1', fromUnitId: 'tyt-yty', toUnitId: 'ttyt', patientName: 'Vàng Thị Sua', createdAt: '2026-11-22T01:00:00.000Z', createdBy: 'u1' }));
    expect(row?.fields.patientName).toBe('Vàng Thị Sua');
    expect(row?.fields.requestContent).toBeUndefined();
  });

  it('carries when it was withdrawn, a time that is not one left out', () => {
    const sent = { id: 'r1', patientId: 'p1', sentAt: '2026-11-22T01:00:00.000Z' };
    expect(requestRow(indexed('request', 'r1', { ...sent, withdrawnAt: '2026-11-22T03:00:00.000Z' }))?.fields.withdrawnAt).toBe('2026-11-22T03:00:00.000Z');
    expect(requestRow(indexed('request', 'r1', { ...sent, withdrawnAt: 'yesterday' }))?.fields.withdrawnAt).toBeUndefined();
  });

  it('is one of the rows of its kind, and a row of another kind is not', () => {
    const rows = [indexed('request', 'r1', { patientName: 'A' }), indexed('review', 'r1', { status: 'received' })];
    expect(listRows('request', rows).map((r) => [r.kind, r.id])).toEqual([['request', 'r1']]);
    expect(listRows('review', rows).map((r) => r.fields.status)).toEqual(['received']);
  });
});

describe('a call log in a list', () => {
  it('is its record as the schema reads it, with the rungs it used that are rungs', () => {
    const call = { id: 'c1', unitId: 'tyt-yty', direction: 'outgoing', callerUnitId: 'tyt-yty', calleeUnitId: 'ttyt', purpose: 'briefing', channel: 'phone', startedAt: '2026-11-22T01:00:00.000Z' };
    const rung = { at: '2026-11-22T01:00:00.000Z', rung: 'phone', reason: 'tel' };
    const row = callRow(indexed('call', 'c1', { ...call, purpose: 'gossip' }, [rung, { rung: 'ultra' }, 'noise']));
    const { purpose: _purpose, ...valid } = call;
    expect(row?.fields).toEqual(valid);
    expect(row?.rungs).toEqual([rung]);
    expect(listRows('call', [indexed('call', 'c1', call), indexed('request', 'r1', {})]).map((r) => r.fields.purpose)).toEqual(['briefing']);
  });
});

describe('a record from an older schema version', () => {
  it('is read upgraded: a companion’s CCCD of a version 1 form becomes its kind and number', () => {
    const form = parseFields('form', teleconsultationFormSchema, { id: 'f1', companionPersonalId: '001234567890' });
    expect(form).toMatchObject({ companionIdKind: 'personal_id', companionIdNumber: '001234567890' });
  });
});

describe('past visits', () => {
  it('are the chart’s completed forms other than the one open, with who wrote them, when, and the main diagnosis', () => {
    const forms = [
      { id: 'f1', createdBy: 'u1', createdAt: '2026-05-01T01:00:00.000Z', completedAt: '2026-05-01T02:00:00.000Z', mainIcd: 'E11.9', diagnosis: 'Đái tháo đường' },
      { id: 'f2', createdBy: 'u1', createdAt: '2026-06-01T01:00:00.000Z' },
      { id: 'f3', createdBy: 'u1', createdAt: '2026-07-01T01:00:00.000Z', completedAt: '2026-07-01T02:00:00.000Z' }
    ];
    expect(pastVisits(forms, 'f3')).toEqual([{ createdBy: 'u1', createdAt: '2026-05-01T01:00:00.000Z', completedAt: '2026-05-01T02:00:00.000Z', mainIcd: 'E11.9' }]);
  });
});
