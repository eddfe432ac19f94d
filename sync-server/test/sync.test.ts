// The sync engine end to end: real server, real WebSockets, devices using the real sync client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docId, mainRecord, readFields, writeFields, writeForm } from '@telehealth/domain';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from './harness';
import { backends, type TestDatabase } from './databases';

const station = 'tyt-02701';
const chartMeta = (patientId: string) => ({ kind: 'patient', unitId: station, patientId });
const newPatient = (d: Device, patientId: string, fields: Record<string, unknown>) =>
  d.store.edit(docId('patient', patientId), chartMeta(patientId), (doc) => writeFields(mainRecord(doc, 'patient'), { id: patientId, ...fields }));
const patientOf = (d: Device, patientId: string) => readFields(mainRecord(d.store.doc(docId('patient', patientId)), 'patient'));

describe.each(backends)('sync on $name', (backend) => {
  let db: TestDatabase;
  let system: TestSystem;
  const devices: Device[] = [];
  const open = async (username: string) => {
    const d = await device(system.url, username);
    devices.push(d);
    return d;
  };

  beforeAll(async () => {
    db = await backend.create();
    system = await startTestSystem({ databaseUrl: backend.name === 'PostgreSQL' ? db.url : undefined });
  });

  afterAll(async () => {
    for (const d of devices) d.client.stop();
    await system.stop();
    await db.drop();
  });

  it('brings a patient created on one station device to the other device of the station, and to no other station', async () => {
    const pc = await open('tram.yty');
    const tablet = await open('tram.yty');
    const otherStation = await open('tram.amusung');
    newPatient(pc, 'p-sinh', { fullName: 'Lò Văn Sính', gender: 'male', dateOfBirth: '1985-04-02' });
    await pc.client.localChange();
    await pc.synced();
    await waitFor(() => patientOf(tablet, 'p-sinh').fullName === 'Lò Văn Sính', 5_000, 'the tablet to receive the patient');
    await otherStation.synced();
    expect(otherStation.store.docs.has('patient:p-sinh')).toBe(false);
  });

  it('sends offline photos that together exceed one update\'s limit in several updates, none refused', async () => {
    const pc = await open('tram.yty');
    const tablet = await open('tram.yty');
    pc.client.stop();
    // The shape of a JPEG of 640×480 (start, frame header, data, end): the server checks it is what it claims.
    const jpeg = (seed: number) => {
      const bytes = Uint8Array.from({ length: 90_000 }, (_, i) => (i * 31 + seed * 7) % 251);
      bytes.set([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80], 0);
      bytes.set([0xff, 0xd9], bytes.length - 2);
      return bytes;
    };
    const photo = (n: number) => ({ id: `photo-${n}`, name: `xn-${n}.jpg`, type: 'image/jpeg', width: 640, height: 480, bytes: jpeg(n), at: '2026-11-23T02:00:00.000Z' });
    newPatient(pc, 'p-photos', { fullName: 'Vàng Thị Sua' });
    const meta = { kind: 'request' as const, unitId: station, patientId: 'p-photos', peerUnitId: 'ttyt-bat-xat' };
    pc.store.edit('request:r-photos', meta, (doc) => writeFields(mainRecord(doc, 'request'), { id: 'r-photos', requestContent: 'Xin đọc phim' }));
    for (const n of [1, 2, 3]) pc.store.edit('request:r-photos', undefined, (doc) => doc.getMap('attachments').set(`photo-${n}`, photo(n)));
    pc.client.start();
    await pc.client.localChange();
    await pc.synced();
    expect(pc.store.refusedEntries).toEqual([]);
    await waitFor(() => tablet.store.docs.has('request:r-photos') && tablet.store.doc('request:r-photos').getMap('attachments').size === 3, 10_000, 'the tablet to receive the three photos');
    expect(tablet.store.doc('request:r-photos').getMap('attachments').get('photo-2')).toEqual(photo(2));
  });

  it('refuses an attachment that is not the JPEG it claims to be (a page with script), and stores nothing of it', async () => {
    const pc = await open('tram.yty');
    newPatient(pc, 'p-html', { fullName: 'Lò Thị Mai' });
    const meta = { kind: 'request' as const, unitId: station, patientId: 'p-html', peerUnitId: 'ttyt-bat-xat' };
    pc.store.edit('request:r-html', meta, (doc) => writeFields(mainRecord(doc, 'request'), { id: 'r-html', requestContent: 'Ảnh' }));
    await pc.client.localChange();
    await pc.synced();
    const html = new TextEncoder().encode('<html><script>fetch("/api/auth/me")</script></html>');
    pc.store.edit('request:r-html', undefined, (doc) => doc.getMap('attachments').set('x', { id: 'x', name: 'a.jpg', type: 'text/html', width: 1, height: 1, bytes: html, at: '2026-11-23T02:00:00.000Z' }));
    pc.store.edit('request:r-html', undefined, (doc) => doc.getMap('attachments').set('y', { id: 'y', name: 'a.jpg', type: 'image/jpeg', width: 1, height: 1, bytes: html, at: '2026-11-23T02:00:00.000Z' }));
    await pc.client.localChange();
    await pc.synced();
    expect(new Set(pc.store.refusedEntries.map((e) => e.code))).toEqual(new Set(['invalid_value']));
    const fresh = await open('tram.yty');
    await waitFor(() => fresh.store.docs.has('request:r-html'), 10_000, 'the request on a fresh device');
    expect(fresh.store.doc('request:r-html').getMap('attachments').size).toBe(0);
  });

  it('never sends a device its own updates back', async () => {
    const pc = await open('tram.yty');
    await pc.synced();
    const before = pc.client.traffic.down;
    newPatient(pc, 'p-echo', { fullName: 'Sùng Thị Mỷ', notes: 'x'.repeat(2_000) });
    await pc.client.localChange();
    await pc.synced();
    await new Promise((r) => setTimeout(r, 200));
    expect(pc.client.traffic.down - before).toBeLessThan(200);
  });

  it('merges concurrent offline edits of different fields and settles the same field identically everywhere', async () => {
    const a = await open('tram.yty');
    const b = await open('tram.yty');
    newPatient(a, 'p-merge', { fullName: 'Giàng A Dế', phone: '0912000001', address: 'Thôn Cũ' });
    await a.client.localChange();
    await waitFor(() => patientOf(b, 'p-merge').fullName === 'Giàng A Dế', 5_000, 'b to receive the patient');
    a.client.stop();
    b.client.stop();
    a.store.edit('patient:p-merge', undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { phone: '0987000001', address: 'Bản A' }));
    b.store.edit('patient:p-merge', undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation: 'Làm ruộng', address: 'Bản B' }));
    a.client.start();
    b.client.start();
    await a.synced();
    await b.synced();
    await waitFor(() => patientOf(a, 'p-merge').occupation === 'Làm ruộng' && patientOf(b, 'p-merge').phone === '0987000001', 5_000, 'both edits everywhere');
    expect(patientOf(a, 'p-merge')).toEqual(patientOf(b, 'p-merge'));
    expect(['Bản A', 'Bản B']).toContain(patientOf(a, 'p-merge').address);
  });

  it('resumes an interrupted catch-up where it broke instead of starting over', async () => {
    const pc = await open('tram.yty');
    for (let i = 0; i < 120; i++) {
      pc.store.edit(docId('patient', `p-bulk-${i}`), chartMeta(`p-bulk-${i}`), (doc) => {
        writeFields(mainRecord(doc, 'patient'), { id: `p-bulk-${i}`, fullName: `Bệnh nhân ${i}` });
        // Long but valid texts (each within its field's limit): about 10 KB per chart.
        const text = `Ho khan, sốt ${i % 10} ngày. `;
        writeForm(doc, `f-${i}`, { symptoms: text.repeat(90), history: text.repeat(90), advice: text.repeat(180), treatmentMethod: text.repeat(90) });
      });
    }
    await pc.client.localChange();
    await pc.synced(20_000);

    const fresh = await device(system.url, 'tram.yty', { start: false });
    devices.push(fresh);
    let chunks = 0;
    let drops = 0;
    const apply = fresh.store.applyChunk.bind(fresh.store);
    fresh.store.applyChunk = async (entries, cursor) => {
      await apply(entries, cursor);
      chunks++;
      // Cut the link twice while data is still flowing.
      if ((chunks === 1 || chunks === 3) && entries.length > 0) {
        drops++;
        fresh.client.dropConnection();
      }
    };
    fresh.client.start();
    await fresh.synced(20_000);
    expect(drops).toBe(2);
    for (let i = 0; i < 120; i++) expect(patientOf(fresh, `p-bulk-${i}`).fullName).toBe(`Bệnh nhân ${i}`);
    // Each drop loses at most the chunks in flight (two), not everything received before it.
    const total = [...pc.store.docs.values()].reduce((n, d) => n + Y.encodeStateAsUpdateV2(d).length, 0);
    expect(fresh.client.traffic.down).toBeLessThan(total * 1.6);
  });

  it('lets an upper unit read a chart once a request is sent to it, and the station read its review', async () => {
    const pc = await open('tram.yty');
    const doctor = await open('bacsi.batxat');
    await doctor.synced();
    newPatient(pc, 'p-ref', { fullName: 'Hầu A Chứ' });
    await pc.client.localChange();
    await pc.synced();
    expect(doctor.store.docs.has('patient:p-ref')).toBe(false);

    pc.store.edit('request:r-ref', { kind: 'request', unitId: station, patientId: 'p-ref', peerUnitId: 'ttyt-bat-xat' }, (doc) =>
      writeFields(mainRecord(doc, 'request'), { id: 'r-ref', requestContent: 'Xin hội chẩn: đau ngực, khó thở' })
    );
    await pc.client.localChange();
    // A draft does not open the chart to the upper unit: sending does.
    await waitFor(() => doctor.store.docs.has('request:r-ref'), 5_000, 'the doctor to receive the draft request');
    await doctor.synced();
    expect(doctor.store.docs.has('patient:p-ref')).toBe(false);
    pc.store.edit('request:r-ref', undefined, (doc) => writeFields(mainRecord(doc, 'request'), { sentAt: new Date().toISOString() }));
    await pc.client.localChange();
    // The chart (granted) and the request arrive in separate chunks.
    await waitFor(() => patientOf(doctor, 'p-ref').fullName === 'Hầu A Chứ', 5_000, 'the doctor to receive the chart');
    await waitFor(
      () => readFields(mainRecord(doctor.store.doc('request:r-ref'), 'request')).requestContent === 'Xin hội chẩn: đau ngực, khó thở',
      5_000,
      'the doctor to receive the request'
    );

    doctor.store.edit('review:r-ref', { kind: 'review', unitId: 'ttyt-bat-xat', patientId: 'p-ref', peerUnitId: station }, (doc) =>
      writeFields(mainRecord(doc, 'review'), { status: 'scheduled', scheduledAt: '2099-11-23T09:00:00+07:00' })
    );
    await doctor.client.localChange();
    await waitFor(() => readFields(mainRecord(pc.store.doc('review:r-ref'), 'review')).status === 'scheduled', 5_000, 'the station to see the schedule');
    expect(doctor.store.refusedEntries).toEqual([]);
  });
});
