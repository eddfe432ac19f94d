// Reports 5A–5D computed twice over the same records: by the server from its projections (GET /api/reports/5x) and
// by the station's own device from its local index, offline (device-reports.ts), with the app's sync engine
// (fake-indexeddb) against the real server. Both must give the same tables; what only the server knows (accounts)
// is null on the device.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, writeFields, writeForm, appointmentEvents, type Report, type ReportTable } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { oldDistrictOfNewCommune } from '@telehealth/catalogs/communes';
import { login, projectionsCaughtUp, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SyncEngine } from '../sync/engine';
import { MemoryStorage } from '../memory-storage';
import { deviceReport, engineRecords } from './device-reports';

const station = 'tyt-02701';
const centre = 'ttyt-bat-xat';
// The unit directory as the report screen reads it: a unit's old district is its commune's (Y Tý: Bát Xát, 082).
const units = [
  { id: station, communeCode: '02701' },
  { id: 'tyt-02686', communeCode: '02686' },
  { id: centre, communeCode: '02683' },
  { id: 'syt-15', communeCode: null }
].map((u) => ({ ...u, provinceCode: '15', oldDistrictCode: (u.communeCode && oldDistrictOfNewCommune(u.communeCode)?.code) || null }));
/** What the device cannot know: the indicators over accounts and logins. */
const accountIndicators = new Set(['accountsCreated', 'usedApp', 'staffAccounts', 'staffActive']);
const masked = (r: Report) => r.rows.map((row) => ({ ...row, counts: Object.fromEntries(Object.entries(row.counts).filter(([k]) => !accountIndicators.has(k))) }));

describe('reports 5A–5D on the server and on the station’s device', () => {
  let system: TestSystem;
  const tokens = new Map<string, string>();
  const engines: SyncEngine[] = [];
  const statuses = new Map<SyncEngine, string>();
  let workerId = '';
  let patientAccount = { id: '', patientId: '' };

  const engine = (namespace: string, username: string) => {
    const e: SyncEngine = new SyncEngine({
      namespace,
      origin: system.url,
      getToken: async () => tokens.get(username),
      storage: new MemoryStorage(),
      connect: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (s) => statuses.set(e, `${s.state}/${s.pending}`)
    });
    engines.push(e);
    return e;
  };
  const synced = (e: SyncEngine, what: string) => waitFor(() => statuses.get(e) === 'synced/0', 15_000, what);
  const serverReport = async (username: string, table: ReportTable, query: Record<string, string>) => {
    const res = await fetch(`${system.url}/api/reports/${table}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${tokens.get(username)}` } });
    return { status: res.status, body: (await res.json()) as Report & { error?: string; message?: string; field?: string } };
  };

  let stationPc: SyncEngine;

  beforeAll(async () => {
    system = await startTestSystem();
    for (const u of ['tram.yty', 'tram.amusung', 'bacsi.batxat', '0912345678', 'admin']) {
      const s = await login(system.url, u);
      tokens.set(u, s.accessToken);
      if (u === 'tram.yty') workerId = s.user.id;
      if (u === '0912345678') patientAccount = { id: s.user.id, patientId: s.user.patientId! };
    }

    // The patient books from their phone.
    const phone = engine('reports-phone', '0912345678');
    await phone.start();
    await synced(phone, 'the phone to sync');
    const booking = await phone.openDoc(docId('appointment', 'r-book'), { kind: 'appointment', unitId: station, patientId: patientAccount.patientId });
    writeFields(mainRecord(booking, 'appointment'), {
      id: 'r-book',
      patientId: patientAccount.patientId,
      unitId: station,
      purpose: 'station',
      patientName: 'Sùng Thị Mỷ',
      patientGender: 'female',
      wishedAt: '2025-06-29T02:00:00.000Z',
      consent: true,
      status: 'new',
      createdAt: '2025-06-28T02:00:00.000Z',
      createdBy: patientAccount.id
    });
    await synced(phone, 'the booking to reach the server');

    stationPc = engine('reports-station', 'tram.yty');
    await stationPc.start();
    await synced(stationPc, 'the station to sync');
    await waitFor(async () => (await stationPc.db.records.get(docId('appointment', 'r-book'))) !== undefined, 10_000, 'the booking at the station');
    // The station accepts it (a handling by its worker) …
    const accepted = await stationPc.openDoc(docId('appointment', 'r-book'));
    accepted.transact(() => {
      writeFields(mainRecord(accepted, 'appointment'), { status: 'waiting', scheduledAt: '2025-06-30T16:30:00.000Z', handledBy: workerId, updatedAt: '2025-06-28T03:00:00.000Z' });
      appointmentEvents(accepted).push([{ at: '2025-06-28T03:00:00.000Z', by: workerId, side: 'station', action: 'accept', status: 'waiting', detail: '2025-06-30T16:30:00.000Z' }]);
    });
    // … examines two patients, before and after the reform, in their charts (with their old district) …
    const charts = [
      { id: 'r-p1', gender: 'female', ethnicityCode: '02', oldDistrictCode: '082', completedAt: '2025-06-30T16:59:00.000Z' },
      { id: 'r-p2', gender: 'male', ethnicityCode: '01', oldDistrictCode: '082', completedAt: '2025-07-01T01:00:00.000Z' },
      { id: patientAccount.patientId, gender: 'female', ethnicityCode: '02', oldDistrictCode: null, completedAt: '2025-07-02T01:00:00.000Z' }
    ];
    for (const c of charts) {
      const chart = await stationPc.openDoc(docId('patient', c.id), { kind: 'patient', unitId: station, patientId: c.id });
      writeFields(mainRecord(chart, 'patient'), {
        id: c.id,
        unitId: station,
        fullName: 'Người bệnh',
        gender: c.gender,
        dateOfBirth: '1980-01-01',
        ethnicityCode: c.ethnicityCode,
        provinceCode: '15',
        communeCode: '02701',
        ...(c.oldDistrictCode ? { oldDistrictCode: c.oldDistrictCode } : {}),
        createdAt: '2025-06-01T01:00:00.000Z',
        createdBy: workerId
      });
      writeForm(chart, `f-${c.id}`, {
        id: `f-${c.id}`,
        patientId: c.id,
        unitId: station,
        visitType: 'first',
        mainIcd: 'J06.9',
        handling: 'home_or_station',
        triageOutcome: 'no_emergency',
        identityVerified: true,
        consent: true,
        completedAt: c.completedAt
      });
    }
    // … makes a follow-up appointment from a form (its own, accepted at once) …
    const followUp = await stationPc.openDoc(docId('appointment', 'r-follow'), { kind: 'appointment', unitId: station, patientId: 'r-p2' });
    followUp.transact(() => {
      writeFields(mainRecord(followUp, 'appointment'), {
        id: 'r-follow',
        patientId: 'r-p2',
        unitId: station,
        purpose: 'station',
        patientName: 'Người bệnh',
        patientGender: 'male',
        wishedAt: '2025-07-15T01:00:00.000Z',
        scheduledAt: '2025-07-15T01:00:00.000Z',
        consent: true,
        status: 'waiting',
        handledBy: workerId,
        // A station's time is checked against when it was written (not in the past then).
        updatedAt: '2025-07-01T01:00:00.000Z',
        createdAt: '2025-07-01T01:00:00.000Z',
        createdBy: workerId
      });
      appointmentEvents(followUp).push([{ at: '2025-07-01T01:00:00.000Z', by: workerId, side: 'station', action: 'accept', status: 'waiting' }]);
    });
    // … and calls the centre (video), and once on the phone line.
    for (const [id, channel, purpose] of [
      ['r-c1', 'webrtc', 'briefing'],
      ['r-c2', 'phone', 'consultation'],
      ['r-c3', 'webrtc', 'professional']
    ] as const) {
      const call = await stationPc.openDoc(docId('call', id), { kind: 'call', unitId: station, patientId: id });
      writeFields(mainRecord(call, 'call'), {
        id,
        unitId: station,
        direction: 'outgoing',
        callerUnitId: station,
        calleeUnitId: centre,
        purpose,
        channel,
        startedAt: '2025-07-03T01:00:00.000Z',
        createdAt: '2025-07-03T01:00:00.000Z',
        createdBy: workerId
      });
    }
    await synced(stationPc, 'the station’s records to reach the server');
    await projectionsCaughtUp(system);
  }, 90_000);

  afterAll(async () => {
    for (const e of engines) await e.stop();
    await system?.stop();
  });

  const periods: Record<string, string>[] = [
    { from: '2025-06-01', to: '2025-07-31' },
    { from: '2025-06-30', to: '2025-06-30' },
    { from: '2025-07-01', to: '2025-07-31', gender: 'male' },
    { from: '2025-06-01', to: '2025-06-30', oldDistrictCode: '082' }
  ];

  for (const table of ['5a', '5b', '5c', '5d'] as const) {
    it(`gives the station the same table ${table.toUpperCase()} on its device, offline, as the server`, async () => {
      for (const period of periods) {
        // Reports 5B and 5D take no gender.
        const query = { ...period };
        if (table === '5b' || table === '5d') delete query.gender;
        const server = await serverReport('tram.yty', table, query);
        expect(server.status, server.body.message).toBe(200);
        const device = await deviceReport(engineRecords(stationPc), table, { ...query, from: period.from!, to: period.to! }, station, units);
        expect(masked(device), `${table} ${JSON.stringify(query)}`).toEqual(masked(server.body));
        // A device whose index rows an older app made (no report part) opens the charts: the same table.
        const opened = await deviceReport({ ...engineRecords(stationPc), chartRows: undefined, chartCount: undefined }, table, { ...query, from: period.from!, to: period.to! }, station, units);
        expect(masked(opened)).toEqual(masked(device));
        expect(device.columns).toEqual(server.body.columns);
        for (const row of device.rows) for (const k of Object.keys(row.counts)) if (accountIndicators.has(k)) expect(row.counts[k]).toBeNull();
      }
    });
  }

  it('counts what a person would: the booking, the consultations by district before the reform, the video calls', async () => {
    const a = (await serverReport('tram.yty', '5a', { from: '2025-06-01', to: '2025-07-31' })).body;
    expect(a.rows.map((r) => [r.oldDistrictCode, r.gender, r.ethnicityCode, r.counts.booked, r.counts.consulted])).toEqual([
      ['082', 'female', '02', 0, 1],
      [null, 'female', '02', 1, 1],
      [null, 'male', '01', 0, 1]
    ]);
    // The patient's account was made by the demo seed, today: not in 2025.
    expect(a.rows.every((r) => r.counts.accountsCreated === 0 && r.counts.usedApp === null)).toBe(true);
    const c = (await serverReport('tram.yty', '5c', { from: '2025-06-01', to: '2025-07-31' })).body;
    expect(c.rows.map((r) => [r.gender, r.counts])).toEqual([
      ['female', { total: 1, new: 0, done: 0, waiting: 1, cancelled: 0 }],
      ['male', { total: 1, new: 0, done: 0, waiting: 1, cancelled: 0 }]
    ]);
    // The visit at 23:30 on 30 June 2025 counts in the station's old district; the one in July in none.
    expect(c.rows.map((r) => r.oldDistrictCode)).toEqual(['082', null]);
    const d = (await serverReport('tram.yty', '5d', { from: '2025-07-01', to: '2025-07-31' })).body;
    expect(d.rows.map((r) => [r.unitId, r.counts.outBriefing, r.counts.outProfessional, r.counts.outConsultation])).toEqual([[station, 1, 1, 0]]);
    const b = (await serverReport('tram.yty', '5b', { from: '2025-06-01', to: '2025-07-31' })).body;
    // The worker accepted the booking in June (the old district's row) and made a follow-up in July (no district).
    expect(b.rows.map((r) => [r.unitId, r.oldDistrictCode, r.counts.staffTookPart])).toEqual([
      [station, '082', 1],
      [station, null, 1]
    ]);
  });

  it('lets an administrator read every unit below theirs, a worker only their own unit, and a patient nothing', async () => {
    const period = { from: '2025-06-01', to: '2025-07-31' };
    const admin = await serverReport('admin', '5d', period);
    expect(admin.status).toBe(200);
    expect(admin.body.rows.map((r) => r.unitId)).toEqual([station]);
    expect((await serverReport('tram.amusung', '5d', period)).body.rows).toEqual([]);
    const other = await serverReport('tram.amusung', '5d', { ...period, unitId: station });
    expect([other.status, other.body.error]).toEqual([403, 'forbidden']);
    const patient = await serverReport('0912345678', '5c', period);
    expect([patient.status, patient.body.error]).toEqual([403, 'forbidden']);
  });

  it('refuses a bad filter with 400 naming the field, and logs it', async () => {
    const bad = await serverReport('admin', '5c', { from: '2025-07-31', to: '2025-07-01' });
    expect([bad.status, bad.body.error, bad.body.field]).toEqual([400, 'bad_request', 'to']);
    expect(bad.body.message).toContain('before');
    const staffGender = await serverReport('admin', '5b', { from: '2025-07-01', to: '2025-07-31', gender: 'male' });
    expect([staffGender.status, staffGender.body.field]).toEqual([400, 'gender']);
    expect(staffGender.body.message).toContain('not recorded');
    expect(system.logs.some((l) => l.includes('reports.bad_filter'))).toBe(true);
    const twice = await fetch(`${system.url}/api/reports/5c?from=2025-07-01&from=2025-07-02&to=2025-07-31`, { headers: { authorization: `Bearer ${tokens.get('admin')}` } });
    expect(twice.status).toBe(400);
  });
});
