// The projections (query tables kept from the log) against a replay of the whole log from scratch: a realistic mix
// of charts, forms, appointments, requests and reviews written by real devices through the sync protocol, then
// compaction, a rebuild with tiny pages, writes made while the server is down (caught up at the next start from
// the stored position), and on PostgreSQL a second node stepping the same projections.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actOnAppointment, docId, mainRecord, parseDocId, writeFields, writeForm, type DocMeta } from '@telehealth/domain';
import { createLogger } from '../src/log';
import { emptyProjection, isProjected, projectDoc, sortProjection, type Projection } from '../src/projections/extract';
import { Projector, readProjection } from '../src/projections/projector';
import { startEmbeddedPostgres } from '../src/storage/embedded-postgres';
import { connectPostgres, createPostgresStorage, type Sql } from '../src/storage/postgres-storage';
import type { LogWrite, Storage } from '../src/storage/storage';
import { layoutDoc } from '../src/sync/content-policy';
import { backends, type TestDatabase } from './databases';
import { device, login, projectionsCaughtUp, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const otherStation = 'tyt-02686';
const centre = 'ttyt-bat-xat';
const demoPatient = 'patient-demo-0001';

/** The projection computed from nothing but the log: every row applied in seq order to fresh Y.Docs. */
async function replay(storage: Storage): Promise<Projection> {
  const { rows } = await storage.log.readRange(1, await storage.log.maxSeq());
  const docs = new Map<string, Y.Doc>();
  for (const r of rows) {
    let doc = docs.get(r.docId);
    if (!doc) docs.set(r.docId, (doc = layoutDoc(parseDocId(r.docId)?.kind)));
    Y.applyUpdateV2(doc, r.data);
  }
  const out = emptyProjection();
  for (const [id, doc] of docs) {
    if (!isProjected(id)) continue;
    const meta = await storage.log.getDoc(id);
    projectDoc(meta!, doc, out);
  }
  return sortProjection(out);
}

const caughtUp = projectionsCaughtUp;

const send = async (d: Device) => {
  const before = d.store.refusedEntries.length;
  await d.client.localChange();
  await d.synced();
  expect(d.store.refusedEntries.slice(before).map((e) => `${e.docId}: ${e.code}`), `${d.name} refused`).toEqual([]);
};

const chartMeta = (patientId: string, unitId = station): DocMeta => ({ kind: 'patient', unitId, patientId });

/** A change to write straight into the log (as a tool would), building on the document's stored state. */
async function directEdit(storage: Storage, id: string, edit: (doc: Y.Doc) => void, create?: DocMeta): Promise<LogWrite> {
  const doc = layoutDoc(parseDocId(id)?.kind);
  const rows = await storage.log.docHistory(id, Number.MAX_SAFE_INTEGER);
  if (rows.length) Y.applyUpdateV2(doc, Y.mergeUpdatesV2(rows.map((r) => r.data)));
  const before = Y.encodeStateVector(doc);
  doc.transact(() => edit(doc));
  const data = Y.encodeStateAsUpdateV2(doc, before);
  const access = create ? [{ reader: `unit:${create.unitId}`, canWrite: true }] : [];
  return { docId: id, origin: 'tool-direct', data, ...(create ? { create: { meta: create, access } } : {}) };
}

async function appendAll(storage: Storage, writes: LogWrite[]) {
  const results = await storage.log.append(writes);
  expect(results.every((r) => r.ok)).toBe(true);
}

describe.each(backends)('projections on $name', (backend) => {
  const embedded = backend.name === 'embedded PGlite';
  let db: TestDatabase | undefined;
  let dataDir: string;
  let system: TestSystem;
  const devices: Device[] = [];
  const others: TestSystem[] = [];

  const start = () => startTestSystem({ dataDir, ...(db ? { databaseUrl: db.url } : { embedded: true }) });

  /** The database opened directly (the system must be stopped first on PGlite: one process owns its folder). */
  async function openDirect(): Promise<{ storage: Storage; sql: Sql; close(): Promise<void> }> {
    if (db) {
      const sql = connectPostgres(db.url, 2);
      const storage = createPostgresStorage(sql);
      return { storage, sql, close: () => storage.close() };
    }
    const pg = await startEmbeddedPostgres(path.join(dataDir, 'pglite'));
    const sql = connectPostgres(pg.url, 1);
    const storage = createPostgresStorage(sql);
    return {
      storage,
      sql,
      async close() {
        await storage.close();
        await pg.stop();
      }
    };
  }

  const expectMatchesReplay = async (s: TestSystem) => {
    await caughtUp(s);
    const actual = await readProjection(s.projections.sql);
    expect(actual).toEqual(await replay(s.storage));
    return actual;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'telehealth-proj-'));
    if (!embedded) db = await backend.create();
    system = await start();
  }, 60_000);

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    for (const s of others) await s.stop();
    await system?.stop();
    await db?.drop();
  });

  it('keeps the tables equal to a replay of the log, for a realistic mix written through the sync protocol', async () => {
    const yty = await device(system.url, 'tram.yty');
    const amusung = await device(system.url, 'tram.amusung');
    const doctor = await device(system.url, 'bacsi.batxat');
    const patient = await device(system.url, '0912345678');
    devices.push(yty, amusung, doctor, patient);
    const now = () => new Date().toISOString();

    // Charts of two stations: demographics, then forms with ICD-10 codes, some edited later.
    const people = [
      { id: demoPatient, fullName: 'Hầu Thị Dua', gender: 'female', dateOfBirth: '1990-03-14', ethnicityCode: '12', communeCode: '02701', provinceCode: '15' },
      { id: 'p-1', fullName: 'Lò Văn Sính', gender: 'male', dateOfBirth: '1985-04-02', ethnicityCode: '12', communeCode: '02701', provinceCode: '15' },
      { id: 'p-2', fullName: 'Phàn Thị Mẩy', gender: 'female', dateOfBirth: '2019-11-30', ethnicityCode: '07', communeCode: '02701', provinceCode: '15' },
      { id: 'p-3', fullName: 'Chảo A Lù', gender: 'male', dateOfBirth: '1948-01-01', communeCode: '02686', provinceCode: '15' }
    ];
    for (const p of people) {
      yty.store.edit(docId('patient', p.id), chartMeta(p.id), (doc) =>
        writeFields(mainRecord(doc, 'patient'), { ...p, unitId: station, createdAt: now(), createdBy: 'user-tram.yty' })
      );
    }
    amusung.store.edit(docId('patient', 'p-am1'), chartMeta('p-am1', otherStation), (doc) =>
      writeFields(mainRecord(doc, 'patient'), { id: 'p-am1', fullName: 'Giàng Seo Páo', gender: 'male', dateOfBirth: '1977-07-07', ethnicityCode: '03', communeCode: '02686' })
    );
    await send(yty);
    await send(amusung);
    yty.store.edit(docId('patient', 'p-1'), undefined, (doc) => {
      // A completed form has what completion requires (the server checks it): triage, identity and consent.
      writeForm(doc, 'f-1a', { id: 'f-1a', patientId: 'p-1', unitId: station, visitType: 'first', mainIcd: 'J06.9', handling: 'home_or_station', triageOutcome: 'no_emergency', identityVerified: true, consent: true, completedAt: '2026-03-02T02:30:00.000Z' });
      writeForm(doc, 'f-1b', { id: 'f-1b', patientId: 'p-1', unitId: station, visitType: 'follow_up', mainIcd: 'I10', secondaryIcds: ['E11.9', 'E78.5'] });
    });
    yty.store.edit(docId('patient', 'p-2'), undefined, (doc) =>
      writeForm(doc, 'f-2a', { id: 'f-2a', patientId: 'p-2', unitId: station, visitType: 'first', mainIcd: 'A09', handling: 'teleconsultation', consent: true })
    );
    await send(yty);
    // Edits: a diagnosis corrected, a form completed, a patient moved to another commune, a code list emptied.
    yty.store.edit(docId('patient', 'p-1'), undefined, (doc) => {
      writeForm(doc, 'f-1b', { mainIcd: 'I11.9', completedAt: '2026-03-05T09:00:00+07:00', handling: 'refer_up', triageOutcome: 'no_emergency', identityVerified: true, consent: true });
      writeFields(mainRecord(doc, 'patient'), { communeCode: '02686' });
    });
    yty.store.edit(docId('patient', 'p-2'), undefined, (doc) => writeForm(doc, 'f-2a', { secondaryIcds: ['R50.9'] }));
    await send(yty);
    yty.store.edit(docId('patient', 'p-2'), undefined, (doc) => writeForm(doc, 'f-2a', { secondaryIcds: [] }));
    await send(yty);

    // Appointments: a patient's booking accepted by the station; a station's booking cancelled; one left new.
    patient.store.edit('appointment:pa-1', { kind: 'appointment', unitId: station, patientId: demoPatient }, (doc) =>
      writeFields(mainRecord(doc, 'appointment'), {
        id: 'pa-1',
        patientId: demoPatient,
        unitId: station,
        purpose: 'station',
        patientName: 'Hầu Thị Dua',
        wishedAt: '2099-05-01T01:00:00.000Z',
        status: 'new',
        consent: true
      })
    );
    await send(patient);
    await waitFor(() => yty.store.docs.has('appointment:pa-1') && mainRecord(yty.store.doc('appointment:pa-1'), 'appointment').get('status') === 'new', 5_000, 'the booking at the station');
    yty.store.edit('appointment:pa-1', undefined, (doc) => actOnAppointment(doc, 'user-tram.yty', 'station', { type: 'accept', at: '2099-05-01T02:00:00.000Z' }, now()));
    for (const [id, patientId, purpose] of [
      ['sa-1', 'p-1', 'home'],
      ['sa-2', 'p-2', 'station']
    ] as const) {
      yty.store.edit(`appointment:${id}`, { kind: 'appointment', unitId: station, patientId }, (doc) =>
        writeFields(mainRecord(doc, 'appointment'), { id, patientId, unitId: station, purpose, patientName: 'x', wishedAt: '2099-06-01T03:00:00.000Z', status: 'new', consent: true, ...(purpose === 'home' ? { homeAddress: 'Bản Lao Chải' } : {}) })
      );
    }
    await send(yty);
    yty.store.edit('appointment:sa-1', undefined, (doc) => actOnAppointment(doc, 'user-tram.yty', 'station', { type: 'cancel', reason: 'Bệnh nhân chuyển đi' }, now()));
    await send(yty);

    // Requests to the centre (one sent from a form with consent, one draft) and the centre's reviews.
    yty.store.edit('request:rq-1', { kind: 'request', unitId: station, patientId: 'p-1', peerUnitId: centre }, (doc) =>
      writeFields(mainRecord(doc, 'request'), {
        id: 'rq-1',
        patientId: 'p-1',
        fromUnitId: station,
        toUnitId: centre,
        formId: 'f-1b',
        requestingDoctorName: 'Lý Thị Mai',
        requestContent: 'Xin hội chẩn tăng huyết áp',
        sentAt: '2026-03-05T03:00:00.000Z'
      })
    );
    yty.store.edit('request:rq-2', { kind: 'request', unitId: station, patientId: 'p-2', peerUnitId: centre }, (doc) =>
      writeFields(mainRecord(doc, 'request'), { id: 'rq-2', patientId: 'p-2', fromUnitId: station, toUnitId: centre, requestingDoctorName: 'Lý Thị Mai', requestContent: 'Nháp' })
    );
    await send(yty);
    await waitFor(() => doctor.store.docs.has('request:rq-1'), 5_000, 'the request at the centre');
    doctor.store.edit('review:rq-1', { kind: 'review', unitId: centre, patientId: 'p-1', peerUnitId: station }, (doc) =>
      writeFields(mainRecord(doc, 'review'), { id: 'rq-1', requestId: 'rq-1', unitId: centre, status: 'received' })
    );
    await send(doctor);
    doctor.store.edit('review:rq-1', undefined, (doc) => writeFields(mainRecord(doc, 'review'), { status: 'scheduled', scheduledAt: '2099-03-06T01:00:00.000Z' }));
    await send(doctor);
    // A third request, sent, received by the centre, then withdrawn by the station: counted as withdrawn, not sent.
    yty.store.edit('request:rq-3', { kind: 'request', unitId: station, patientId: 'p-2', peerUnitId: centre }, (doc) =>
      writeFields(mainRecord(doc, 'request'), { id: 'rq-3', patientId: 'p-2', fromUnitId: station, toUnitId: centre, requestingDoctorName: 'Lý Thị Mai', requestContent: 'Sốt kéo dài', sentAt: '2026-03-06T02:00:00.000Z' })
    );
    await send(yty);
    await waitFor(() => doctor.store.docs.has('request:rq-3'), 5_000, 'the third request at the centre');
    doctor.store.edit('review:rq-3', { kind: 'review', unitId: centre, patientId: 'p-2', peerUnitId: station }, (doc) =>
      writeFields(mainRecord(doc, 'review'), { id: 'rq-3', requestId: 'rq-3', unitId: centre, status: 'received' })
    );
    await send(doctor);
    yty.store.edit('request:rq-3', undefined, (doc) => writeFields(mainRecord(doc, 'request'), { withdrawnAt: '2026-03-06T11:00:00+07:00', updatedAt: now() }));
    await send(yty);

    const actual = await expectMatchesReplay(system);
    // And the values are the ones written (the replay shares the extraction; these pin what it extracts).
    expect(actual.patients.map((p) => [p.patientId, p.gender, p.ethnicityCode, p.communeCode, p.birthYear])).toEqual([
      ['p-1', 'male', '12', '02686', 1985],
      ['p-2', 'female', '07', '02701', 2019],
      ['p-3', 'male', null, '02686', 1948],
      ['p-am1', 'male', '03', '02686', 1977],
      [demoPatient, 'female', '12', '02701', 1990]
    ]);
    expect(actual.patients.find((p) => p.patientId === 'p-am1')?.unitId).toBe(otherStation);
    expect(actual.forms.map((f) => [f.formId, f.mainIcd, f.icdChapter, f.secondaryIcds, f.visitType, f.handling, f.completedAt])).toEqual([
      ['f-1a', 'J06.9', 'X', [], 'first', 'home_or_station', '2026-03-02T02:30:00.000Z'],
      ['f-1b', 'I11.9', 'IX', ['E11.9', 'E78.5'], 'follow_up', 'refer_up', '2026-03-05T02:00:00.000Z'],
      ['f-2a', 'A09', 'I', [], 'first', 'teleconsultation', null]
    ]);
    expect(actual.appointments.map((a) => [a.docId, a.status, a.purpose, a.wishedAt, a.scheduledAt])).toEqual([
      ['appointment:pa-1', 'waiting', 'station', '2099-05-01T01:00:00.000Z', '2099-05-01T02:00:00.000Z'],
      ['appointment:sa-1', 'cancelled', 'home', '2099-06-01T03:00:00.000Z', null],
      ['appointment:sa-2', 'new', 'station', '2099-06-01T03:00:00.000Z', null]
    ]);
    expect(actual.requests).toEqual([
      { docId: 'request:rq-1', requestId: 'rq-1', fromUnitId: station, toUnitId: centre, patientId: 'p-1', sentAt: '2026-03-05T03:00:00.000Z', withdrawnAt: null },
      { docId: 'request:rq-2', requestId: 'rq-2', fromUnitId: station, toUnitId: centre, patientId: 'p-2', sentAt: null, withdrawnAt: null },
      { docId: 'request:rq-3', requestId: 'rq-3', fromUnitId: station, toUnitId: centre, patientId: 'p-2', sentAt: '2026-03-06T02:00:00.000Z', withdrawnAt: '2026-03-06T04:00:00.000Z' }
    ]);
    expect(actual.reviews).toEqual([
      { docId: 'review:rq-1', requestId: 'rq-1', unitId: centre, stationUnitId: station, patientId: 'p-1', status: 'scheduled', scheduledAt: '2099-03-06T01:00:00.000Z' },
      { docId: 'review:rq-3', requestId: 'rq-3', unitId: centre, stationUnitId: station, patientId: 'p-2', status: 'received', scheduledAt: null }
    ]);

    // The admin's counts read these tables; other accounts are refused.
    const counts = async (username: string, query = '') => {
      const { accessToken } = await login(system.url, username);
      return fetch(`${system.url}/api/reports/counts${query}`, { headers: { authorization: `Bearer ${accessToken}` } });
    };
    const refused = await counts('tram.yty');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden', request: 'GET /api/reports/counts' });
    expect(await (await counts('admin', '?unitId=../x')).json()).toMatchObject({ error: 'bad_request', request: 'GET /api/reports/counts' });
    const res = await counts('admin', `?unitId=${station}`);
    expect(res.status).toBe(200);
    type Counts = Record<string, Record<string, number>>;
    const body = (await res.json()) as Counts;
    expect(body).toMatchObject({
      unitId: station,
      appointmentsByStatus: { waiting: 1, cancelled: 1, new: 1 },
      formsByIcdChapter: { X: 1, IX: 1, I: 1 },
      patientsByGender: { male: 2, female: 2 }
    });
    // The withdrawn request is not sent and waiting, and neither is its review, received before the withdrawal; the
    // upper unit's counts say the same.
    for (const counted of [body, (await (await counts('admin', `?unitId=${centre}`)).json()) as Counts]) {
      expect(counted.requestsByState).toEqual({ sent: 1, draft: 1, withdrawn: 1 });
      expect(counted.reviewsByStatus).toEqual({ scheduled: 1, withdrawn: 1 });
    }
  });

  it('stays equal after compaction merges runs of the log, and after a rebuild in pages of 7 rows', async () => {
    await system.hub.compactNow(2, 64 * 1024);
    const yty = devices[0]!;
    yty.store.edit(docId('patient', 'p-3'), undefined, (doc) => writeForm(doc, 'f-3a', { id: 'f-3a', patientId: 'p-3', unitId: station, mainIcd: 'M17.9', visitType: 'first' }));
    await send(yty);
    await expectMatchesReplay(system);

    const small = new Projector({ sql: system.projections.sql, log: createLogger('silent'), pageRows: 7, cacheDocs: 2, pollMs: 0 });
    await small.rebuild();
    await small.stop();
    const status = await system.projections.status();
    expect(status.position).toBe(status.head);
    expect(await readProjection(system.projections.sql)).toEqual(await replay(system.storage));
  });

  it('catches up after a restart with what was written while it was down (from its stored position)', async () => {
    await caughtUp(system);
    const before = await system.projections.status();
    for (const d of devices.splice(0)) d.client.stop();
    await system.stop();

    const direct = await openDirect();
    try {
      // Enough rows for several pages: 260 new appointments, 87 of them accepted later, and edits of existing records.
      const bulk = (i: number) => `appointment:bulk-${i}`;
      const created: LogWrite[] = [];
      for (let i = 0; i < 260; i++) {
        const id = bulk(i);
        created.push(await directEdit(
          direct.storage,
          id,
          (doc) =>
            writeFields(mainRecord(doc, 'appointment'), {
              id: `bulk-${i}`,
              patientId: 'p-2',
              unitId: station,
              purpose: 'station',
              patientName: 'Phàn Thị Mẩy',
              wishedAt: new Date(Date.UTC(2099, 0, 1 + (i % 28), 2)).toISOString(),
              status: 'new',
              consent: true
            }),
          { kind: 'appointment', unitId: station, patientId: 'p-2' }
        ));
      }
      await appendAll(direct.storage, created);
      const edits: LogWrite[] = [];
      for (let i = 0; i < 260; i += 3) {
        edits.push(await directEdit(direct.storage, bulk(i), (doc) => writeFields(mainRecord(doc, 'appointment'), { status: 'waiting', scheduledAt: '2099-02-01T02:00:00.000Z' })));
      }
      edits.push(await directEdit(direct.storage, docId('patient', 'p-2'), (doc) => writeForm(doc, 'f-2a', { mainIcd: 'A08.4', completedAt: '2026-04-01T00:00:00.000Z' })));
      edits.push(await directEdit(direct.storage, 'review:rq-1', (doc) => writeFields(mainRecord(doc, 'review'), { status: 'answered', review: 'Điều chỉnh thuốc' })));
      await appendAll(direct.storage, edits);
      // The position stayed where the stopped system committed it; the log has moved on.
      const [row] = await direct.sql<{ seq: string }[]>`select seq from projection_position where name = 'records'`;
      expect(Number(row?.seq)).toBe(before.head);
      expect(await direct.storage.log.maxSeq()).toBeGreaterThan(before.head + 260);
    } finally {
      await direct.close();
    }

    system = await start();
    const actual = await expectMatchesReplay(system);
    expect(actual.appointments.filter((a) => a.docId.startsWith('appointment:bulk-')).length).toBe(260);
    expect(actual.appointments.filter((a) => a.docId.startsWith('appointment:bulk-') && a.status === 'waiting').length).toBe(87);
    expect(actual.forms.find((f) => f.formId === 'f-2a')).toMatchObject({ mainIcd: 'A08.4', icdChapter: 'I', completedAt: '2026-04-01T00:00:00.000Z' });
    expect(actual.reviews[0]).toMatchObject({ status: 'answered' });
  });

  it.skipIf(embedded)('has one node at a time step the projections when two nodes share the database', async () => {
    const nodeB = await startTestSystem({ dataDir: mkdtempSync(path.join(tmpdir(), 'telehealth-proj-b-')), databaseUrl: db!.url, env: { NODE_ID: 'node-b' } });
    others.push(nodeB);
    const onA = await device(system.url, 'tram.yty');
    const onB = await device(nodeB.url, 'tram.yty');
    devices.push(onA, onB);
    await onA.synced();
    await onB.synced();
    for (let i = 0; i < 20; i++) {
      const [d, unit] = i % 2 ? [onA, station] : [onB, station];
      d.store.edit(docId('patient', `p-n${i}`), chartMeta(`p-n${i}`, unit), (doc) =>
        writeFields(mainRecord(doc, 'patient'), { id: `p-n${i}`, fullName: `Người ${i}`, gender: i % 3 ? 'female' : 'male', dateOfBirth: '2001-02-03' })
      );
    }
    await send(onA);
    await send(onB);
    await expectMatchesReplay(system);
    await expectMatchesReplay(nodeB);
    expect((await readProjection(system.projections.sql)).patients.filter((p) => p.patientId.startsWith('p-n')).length).toBe(20);
  });
});
