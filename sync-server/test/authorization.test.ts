// The authorization matrix against the real server: every role × every record kind × read and write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnAppointment, appointmentEvents, docId, mainRecord, readFields, writeFields, type DocMeta } from '@telehealth/domain';
import { device, startTestSystem, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const otherStation = 'tyt-02686';
const centre = 'ttyt-bat-xat';
const demoPatient = 'patient-demo-0001';

/** The records every account is tested against, and who made them. */
const fixture: { doc: string; meta: DocMeta; by: string }[] = [
  { doc: docId('patient', demoPatient), meta: { kind: 'patient', unitId: station, patientId: demoPatient }, by: 'tram.yty' },
  { doc: 'appointment:a1', meta: { kind: 'appointment', unitId: station, patientId: demoPatient }, by: '0912345678' },
  { doc: 'request:r1', meta: { kind: 'request', unitId: station, patientId: demoPatient, peerUnitId: centre }, by: 'tram.yty' },
  { doc: 'review:r1', meta: { kind: 'review', unitId: centre, patientId: demoPatient, peerUnitId: station }, by: 'bacsi.batxat' },
  { doc: 'minutes:m1', meta: { kind: 'minutes', unitId: station, patientId: demoPatient, peerUnitId: centre }, by: 'tram.yty' },
  { doc: docId('patient', 'p-other'), meta: { kind: 'patient', unitId: otherStation, patientId: 'p-other' }, by: 'tram.amusung' },
  // Call logs: the station's and the doctor's of a call about request r1 (the other unit reads each), and a
  // briefing call the station logs about no patient (its metadata names the call itself).
  { doc: 'call:c1', meta: { kind: 'call', unitId: station, patientId: demoPatient, peerUnitId: centre }, by: 'tram.yty' },
  { doc: 'call:c2', meta: { kind: 'call', unitId: centre, patientId: demoPatient, peerUnitId: station }, by: 'bacsi.batxat' },
  { doc: 'call:c3', meta: { kind: 'call', unitId: station, patientId: 'c3' }, by: 'tram.yty' },
  // A draft prescription of the station's patient: the upper unit of request r1 reads it, the patient not until it is
  // issued (prescriptions.test.ts).
  { doc: 'prescription:rx1', meta: { kind: 'prescription', unitId: station, patientId: demoPatient }, by: 'tram.yty' }
];

const accounts = ['tram.yty', 'tram.amusung', 'bacsi.batxat', '0912345678', 'admin'] as const;
type Account = (typeof accounts)[number];

/** R: reads it; W: reads and writes it; -: neither. */
const expected: Record<string, Record<Account, '-' | 'R' | 'W'>> = {
  'patient:patient-demo-0001': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': 'R', '0912345678': 'R', admin: '-' },
  'appointment:a1': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': '-', '0912345678': 'W', admin: '-' },
  'request:r1': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': 'R', '0912345678': '-', admin: '-' },
  'review:r1': { 'tram.yty': 'R', 'tram.amusung': '-', 'bacsi.batxat': 'W', '0912345678': '-', admin: '-' },
  'minutes:m1': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': 'W', '0912345678': '-', admin: '-' },
  'patient:p-other': { 'tram.yty': '-', 'tram.amusung': 'W', 'bacsi.batxat': '-', '0912345678': '-', admin: '-' },
  'call:c1': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': 'R', '0912345678': '-', admin: '-' },
  'call:c2': { 'tram.yty': 'R', 'tram.amusung': '-', 'bacsi.batxat': 'W', '0912345678': '-', admin: '-' },
  'call:c3': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': '-', '0912345678': '-', admin: '-' },
  'prescription:rx1': { 'tram.yty': 'W', 'tram.amusung': '-', 'bacsi.batxat': 'R', '0912345678': '-', admin: '-' }
};

/**
 * One change by an account: a text field, except that a patient changes their appointment only by an action (booking
 * "new", then cancelling): per-field rules are tested on their own below.
 */
const mark = (d: Device, doc: string, meta: DocMeta | undefined, value: string) =>
  d.store.edit(doc, meta, (y) => {
    if (d.name === '0912345678' && doc.startsWith('appointment:')) {
      if (meta) writeFields(mainRecord(y, 'appointment'), { status: 'new', consent: true, otherRequest: value });
      else actOnAppointment(y, 'user-0912345678', 'patient', { type: 'cancel', reason: value }, new Date().toISOString());
      return;
    }
    const kind = meta?.kind ?? (doc.split(':')[0] as DocMeta['kind']);
    // A call log is created whole (who called whom); a change to it is a rung it used.
    if (kind === 'call') {
      if (meta) writeFields(mainRecord(y, 'call'), callFields(doc, meta));
      else y.getArray('rungs').push([{ at: new Date().toISOString(), rung: 'audio', reason: value }]);
      return;
    }
    // The minutes' free text is co-edited (a Y.Text root of its own): typed into, not set as a value.
    if (kind === 'minutes') {
      y.getText('conclusion').insert(0, value);
      return;
    }
    // A known text field of each kind (records are closed: an unknown field is refused); a request is sent.
    const patch = kind === 'request' ? { requestContent: value, sentAt: new Date().toISOString() } : { [noteField[kind]]: value };
    writeFields(mainRecord(y, kind), patch);
  });
const noteField: Record<Exclude<DocMeta['kind'], 'call' | 'minutes'>, string> = {
  patient: 'occupation',
  appointment: 'otherRequest',
  request: 'requestContent',
  review: 'review',
  prescription: 'advice'
};

/** A call log's fields as its metadata says: an outgoing call of `meta.unitId` to the other unit. */
const callFields = (doc: string, meta: DocMeta) => {
  const id = doc.slice('call:'.length);
  const at = new Date().toISOString();
  return {
    id,
    unitId: meta.unitId,
    direction: 'outgoing',
    callerUnitId: meta.unitId,
    calleeUnitId: meta.peerUnitId ?? (meta.unitId === centre ? station : centre),
    purpose: meta.patientId === id ? 'briefing' : 'consultation',
    channel: 'webrtc',
    requestId: meta.peerUnitId ? 'r1' : undefined,
    patientId: meta.patientId === id ? undefined : meta.patientId,
    startedAt: at,
    createdAt: at,
    createdBy: 'user-test'
  };
};

describe('authorization matrix', () => {
  let system: TestSystem;
  const devices = new Map<Account, Device>();

  beforeAll(async () => {
    system = await startTestSystem();
    for (const a of accounts) devices.set(a, await device(system.url, a));
    for (const f of fixture) {
      const d = devices.get(f.by as Account)!;
      mark(d, f.doc, f.meta, `created by ${f.by}`);
      await d.client.localChange();
      await d.synced();
      expect(d.store.refusedEntries, `${f.by} creates ${f.doc}`).toEqual([]);
    }
  }, 60_000);

  afterAll(async () => {
    for (const d of devices.values()) d.client.stop();
    await system.stop();
  });

  it.each(accounts)('%s receives exactly the records it may read', async (account) => {
    const fresh = await device(system.url, account);
    await fresh.synced();
    fresh.client.stop();
    for (const f of fixture) {
      const readable = expected[f.doc]![account] !== '-';
      expect(fresh.store.docs.has(f.doc), `${account} reads ${f.doc}`).toBe(readable);
    }
  });

  it.each(accounts)('%s can change exactly the records it may write', async (account) => {
    const d = devices.get(account)!;
    for (const f of fixture) {
      const before = d.store.refusedEntries.length;
      mark(d, f.doc, undefined, `edited by ${account}`);
      await d.client.localChange();
      await d.synced();
      const refused = d.store.refusedEntries.slice(before);
      const writable = expected[f.doc]![account] === 'W';
      expect(refused.length === 0, `${account} writes ${f.doc}`).toBe(writable);
      if (!writable) expect(refused[0]!.code).toBe('forbidden');
    }
  });

  it.each([
    ['a patient creating a chart', '0912345678', 'patient:p-new', { kind: 'patient', unitId: station, patientId: 'p-new' }, 'forbidden'],
    ['a station creating a chart for another station', 'tram.yty', 'patient:p-new2', { kind: 'patient', unitId: otherStation, patientId: 'p-new2' }, 'forbidden'],
    ['a chart whose id is not its patient', 'tram.yty', 'patient:p-a', { kind: 'patient', unitId: station, patientId: 'p-b' }, 'bad_meta'],
    ['a request to a unit the station is not linked to', 'tram.yty', 'request:r9', { kind: 'request', unitId: station, patientId: demoPatient, peerUnitId: 'syt-15' }, 'bad_meta'],
    ['a doctor creating a request', 'bacsi.batxat', 'request:r8', { kind: 'request', unitId: centre, patientId: demoPatient, peerUnitId: centre }, 'forbidden'],
    ['a station writing a review', 'tram.yty', 'review:r1x', { kind: 'review', unitId: station, patientId: demoPatient, peerUnitId: station }, 'forbidden'],
    ['a review of a request never sent to the doctor', 'bacsi.batxat', 'review:r-none', { kind: 'review', unitId: centre, patientId: demoPatient, peerUnitId: station }, 'forbidden'],
    ['a patient booking for another patient', '0912345678', 'appointment:a9', { kind: 'appointment', unitId: station, patientId: 'p-other' }, 'forbidden'],
    ['an admin creating a chart', 'admin', 'patient:p-adm', { kind: 'patient', unitId: 'syt-15', patientId: 'p-adm' }, 'forbidden'],
    ['a patient logging a call', '0912345678', 'call:c9', { kind: 'call', unitId: station, patientId: demoPatient }, 'forbidden'],
    ['a station logging a call for another unit', 'tram.yty', 'call:c8', { kind: 'call', unitId: otherStation, patientId: 'c8' }, 'forbidden'],
    ['a call about another station’s patient', 'tram.amusung', 'call:c7', { kind: 'call', unitId: otherStation, patientId: demoPatient, peerUnitId: centre }, 'forbidden'],
    ['a call opened to a unit no request links', 'tram.yty', 'call:c6', { kind: 'call', unitId: station, patientId: demoPatient, peerUnitId: otherStation }, 'forbidden'],
    ['a call about no patient opened to another unit', 'tram.yty', 'call:c5', { kind: 'call', unitId: station, patientId: 'c5', peerUnitId: centre }, 'bad_meta'],
    ['a doctor writing a prescription for a station’s patient', 'bacsi.batxat', 'prescription:rx9', { kind: 'prescription', unitId: centre, patientId: demoPatient }, 'forbidden'],
    ['a prescription for another station’s patient', 'tram.yty', 'prescription:rx8', { kind: 'prescription', unitId: station, patientId: 'p-other' }, 'forbidden'],
    ['a patient writing a prescription', '0912345678', 'prescription:rx7', { kind: 'prescription', unitId: station, patientId: demoPatient }, 'forbidden']
  ] as const)('refuses %s', async (_label, account, doc, meta, code) => {
    const d = devices.get(account)!;
    const before = d.store.refusedEntries.length;
    mark(d, doc, meta as DocMeta, 'attempt');
    await d.client.localChange();
    await d.synced();
    expect(d.store.refusedEntries.slice(before).map((e) => e.code)).toEqual([code]);
    expect(await system.storage.log.getDoc(doc)).toBeUndefined();
  });
});

describe('what a patient may change in their own appointment', () => {
  let system: TestSystem;
  let patient: Device;
  let stationPc: Device;
  const meta: DocMeta = { kind: 'appointment', unitId: station, patientId: demoPatient };
  const now = () => new Date().toISOString();
  const book = (doc: string, fields: Record<string, unknown>) => patient.store.edit(doc, meta, (y) => writeFields(mainRecord(y, 'appointment'), { status: 'new', patientName: 'Hầu Thị Dua', consent: true, ...fields }));
  const send = async (d: Device) => {
    const before = d.store.refusedEntries.length;
    await d.client.localChange();
    await d.synced();
    return d.store.refusedEntries.slice(before).map((e) => e.code);
  };
  const onServer = async (doc: string) => {
    const fresh = await device(system.url, 'tram.yty');
    await fresh.synced();
    fresh.client.stop();
    return readFields(mainRecord(fresh.store.doc(doc), 'appointment'));
  };

  beforeAll(async () => {
    system = await startTestSystem();
    patient = await device(system.url, '0912345678');
    stationPc = await device(system.url, 'tram.yty');
  }, 60_000);

  afterAll(async () => {
    patient.client.stop();
    stationPc.client.stop();
    await system.stop();
  });

  it('refuses a booking that sets a station field, and a patient accepting their own booking', async () => {
    book('appointment:b1', { scheduledAt: '2099-12-01T01:00:00.000Z' });
    expect(await send(patient)).toEqual(['forbidden']);
    expect(await system.storage.log.getDoc('appointment:b1')).toBeUndefined();

    // The consent declaration is mandatory (guideline 4.3.1): the server refuses a booking without it.
    book('appointment:b0', { consent: false });
    expect(await send(patient)).toEqual(['forbidden']);
    expect(await system.storage.log.getDoc('appointment:b0')).toBeUndefined();

    book('appointment:b2', {});
    expect(await send(patient)).toEqual([]);
    patient.store.edit('appointment:b2', undefined, (y) => writeFields(mainRecord(y, 'appointment'), { status: 'waiting', scheduledAt: '2099-12-01T01:00:00.000Z' }));
    expect(await send(patient)).toEqual(['forbidden']);
    expect((await onServer('appointment:b2')).status).toBe('new');
  });

  it('accepts the patient answering a proposed time, and refuses an event in the station\'s name', async () => {
    book('appointment:b3', {});
    book('appointment:b4', {});
    expect(await send(patient)).toEqual([]);
    await stationPc.synced();
    await new Promise((r) => setTimeout(r, 200));
    stationPc.store.edit('appointment:b3', undefined, (y) => actOnAppointment(y, 'user-tram.yty', 'station', { type: 'propose', at: '2099-01-02T02:00:00.000Z' }, now()));
    expect(await send(stationPc)).toEqual([]);
    await patient.synced();
    await new Promise((r) => setTimeout(r, 200));
    patient.store.edit('appointment:b3', undefined, (y) => actOnAppointment(y, 'user-0912345678', 'patient', { type: 'answer', accepted: true }, now()));
    expect(await send(patient)).toEqual([]);
    expect(await onServer('appointment:b3')).toMatchObject({ status: 'waiting', scheduledAt: '2099-01-02T02:00:00.000Z', proposalAnswer: 'accepted' });

    patient.store.edit('appointment:b4', undefined, (y) => {
      appointmentEvents(y).push([{ at: now(), by: 'user-tram.yty', side: 'station', action: 'accept', status: 'waiting' }]);
      writeFields(mainRecord(y, 'appointment'), { status: 'waiting' });
    });
    expect(await send(patient)).toEqual(['forbidden']);
    expect((await onServer('appointment:b4')).status).toBe('new');
  });
});
