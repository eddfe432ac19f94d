// Call logs (M8) against the real server on the real PostgreSQL: a station's log of a call about a consultation
// request reaches the upper unit of that request (read only) and no other station nor the patient; the doctor's own
// log of the same call reaches the station; a call about no patient stays with its unit. The projection keeps one row
// per log (unit, direction, other unit, purpose, channel, start, end, lowest rung: report 5D), and a rebuild from
// the log gives the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docId, mainRecord, writeFields, type DocMeta } from '@telehealth/domain';
import { readProjection } from '../src/projections/projector';
import { backends, type TestDatabase } from './databases';
import { device, projectionsCaughtUp, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const centre = 'ttyt-bat-xat';
const patientId = 'p-call';
const requestId = 'r-call';
const postgres = backends.find((b) => b.name === 'PostgreSQL')!;

describe('call logs on PostgreSQL', () => {
  let db: TestDatabase;
  let system: TestSystem;
  const devices: Device[] = [];
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 2, minute)).toISOString();

  const connect = async (username: string) => {
    const d = await device(system.url, username);
    devices.push(d);
    await d.synced();
    return d;
  };
  const send = async (d: Device) => {
    const before = d.store.refusedEntries.length;
    await d.client.localChange();
    await d.synced();
    expect(d.store.refusedEntries.slice(before).map((e) => `${e.docId}: ${e.code}`), `${d.name} refused`).toEqual([]);
  };
  const callFields = (id: string, unitId: string, other: string, extra: Record<string, unknown> = {}) => ({
    id,
    unitId,
    direction: 'outgoing',
    callerUnitId: unitId,
    calleeUnitId: other,
    purpose: 'consultation',
    channel: 'webrtc',
    startedAt: at(0),
    createdAt: at(0),
    createdBy: `user-${unitId}`,
    ...extra
  });
  const rung = (d: Device, id: string, minute: number, r: string, reason: string) =>
    d.store.edit(docId('call', id), undefined, (doc) => doc.getArray('rungs').push([{ at: at(minute), rung: r, reason }]));

  beforeAll(async () => {
    db = await postgres.create();
    system = await startTestSystem({ databaseUrl: db.url });
    const yty = await connect('tram.yty');
    // The chart and the request sent to the upper unit, which the calls are about.
    yty.store.edit(docId('patient', patientId), { kind: 'patient', unitId: station, patientId }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { id: patientId, unitId: station, fullName: 'Sùng Thị Mỷ', gender: 'female', dateOfBirth: '1988-08-08' })
    );
    yty.store.edit(docId('request', requestId), { kind: 'request', unitId: station, patientId, peerUnitId: centre }, (doc) =>
      writeFields(mainRecord(doc, 'request'), {
        id: requestId,
        patientId,
        fromUnitId: station,
        toUnitId: centre,
        requestingDoctorName: 'Lý Thị Mai',
        requestContent: 'Xin hội chẩn',
        sentAt: at(0),
        createdAt: at(0),
        createdBy: 'user-tram.yty'
      })
    );
    await send(yty);
  }, 60_000);

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    await system?.stop();
    await db?.drop();
  });

  it('sends a station’s log of a call about a request to the upper unit, and to no other station nor the patient', async () => {
    const yty = devices[0]!;
    const doctor = await connect('bacsi.batxat');
    const amusung = await connect('tram.amusung');
    const patient = await connect('0912345678');

    // The station calls the centre about the request; the link degrades to audio, then to the phone line.
    const meta: DocMeta = { kind: 'call', unitId: station, patientId, peerUnitId: centre };
    yty.store.edit(docId('call', 'c-station'), meta, (doc) => {
      writeFields(mainRecord(doc, 'call'), callFields('c-station', station, centre, { requestId, patientId }));
      doc.getArray('rungs').push([{ at: at(0), rung: 'hd', reason: 'start' }]);
    });
    await send(yty);
    rung(yty, 'c-station', 3, 'audio', 'bandwidth');
    rung(yty, 'c-station', 9, 'phone', 'no_media');
    yty.store.edit(docId('call', 'c-station'), undefined, (doc) => writeFields(mainRecord(doc, 'call'), { endedAt: at(15), updatedAt: at(15) }));
    // The doctor logs the same call on their side, as received; the station reads it.
    doctor.store.edit(docId('call', 'c-centre'), { kind: 'call', unitId: centre, patientId, peerUnitId: station }, (doc) =>
      writeFields(mainRecord(doc, 'call'), callFields('c-centre', centre, station, { direction: 'incoming', callerUnitId: station, calleeUnitId: centre, requestId, patientId }))
    );
    // A briefing the station placed on its phone line, about no patient: its metadata names the call itself.
    yty.store.edit(docId('call', 'c-brief'), { kind: 'call', unitId: station, patientId: 'c-brief' }, (doc) =>
      writeFields(mainRecord(doc, 'call'), callFields('c-brief', station, centre, { purpose: 'briefing', channel: 'phone', endedAt: at(20) }))
    );
    await send(yty);
    await send(doctor);

    await waitFor(() => Y.encodeStateVector(doctor.store.doc('call:c-station')).length > 1 && doctor.store.doc('call:c-station').getArray('rungs').length === 3, 10_000, 'the station’s log at the centre');
    expect(doctor.store.doc('call:c-station').getMap('call').get('endedAt')).toBe(at(15));
    await waitFor(() => yty.store.docs.has('call:c-centre'), 10_000, 'the centre’s log at the station');

    // Fresh devices receive exactly what their account reads.
    const fresh = async (username: string) => {
      const d = await connect(username);
      d.client.stop();
      return [...d.store.docs.keys()].filter((id) => id.startsWith('call:')).sort();
    };
    expect(await fresh('bacsi.batxat')).toEqual(['call:c-centre', 'call:c-station']);
    expect(await fresh('tram.yty')).toEqual(['call:c-brief', 'call:c-centre', 'call:c-station']);
    expect(await fresh('tram.amusung')).toEqual([]);
    expect(await fresh('0912345678')).toEqual([]);
    // Nor did the live devices of the other station and the patient get any.
    expect([...amusung.store.docs.keys(), ...patient.store.docs.keys()].filter((id) => id.startsWith('call:'))).toEqual([]);

    // The upper unit reads the station's log, and may not write it.
    const before = doctor.store.refusedEntries.length;
    rung(doctor, 'c-station', 16, 'hd', 'recovered');
    await doctor.client.localChange();
    await doctor.synced();
    expect(doctor.store.refusedEntries.slice(before).map((e) => e.code)).toEqual(['forbidden']);
  });

  it('projects one row per call log for report 5D, and a rebuild gives the same rows', async () => {
    await projectionsCaughtUp(system);
    const rows = (await readProjection(system.projections.sql)).calls;
    expect(rows).toEqual([
      {
        docId: 'call:c-brief',
        callId: 'c-brief',
        unitId: station,
        direction: 'outgoing',
        otherUnitId: centre,
        patientId: null,
        requestId: null,
        purpose: 'briefing',
        channel: 'phone',
        startedAt: at(0),
        endedAt: at(20),
        lowestRung: 'phone',
        createdBy: `user-${station}`
      },
      {
        docId: 'call:c-centre',
        callId: 'c-centre',
        unitId: centre,
        direction: 'incoming',
        otherUnitId: station,
        patientId,
        requestId,
        purpose: 'consultation',
        channel: 'webrtc',
        startedAt: at(0),
        endedAt: null,
        lowestRung: null,
        createdBy: `user-${centre}`
      },
      {
        docId: 'call:c-station',
        callId: 'c-station',
        unitId: station,
        direction: 'outgoing',
        otherUnitId: centre,
        patientId,
        requestId,
        purpose: 'consultation',
        channel: 'webrtc',
        startedAt: at(0),
        endedAt: at(15),
        lowestRung: 'phone',
        createdBy: `user-${station}`
      }
    ]);
    await system.projections.rebuild();
    expect((await readProjection(system.projections.sql)).calls).toEqual(rows);
  });
});
