// The audit trail (circular 49 art. 4.3): every stored update keeps who wrote it, from which device and when, and
// compaction never erases that; a chart delivered to and opened by an account outside its unit is recorded;
// only an administrator lists the trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { device, login, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

type Listed = { at: string; action: string; docId: string; userId: string; device: string | null; seq: number | null };

describe('audit trail', () => {
  let system: TestSystem;
  let pc: Device;
  let doctor: Device;
  const chart = docId('patient', 'p-audit');
  const list = async (username: string, query: string) => {
    const { accessToken } = await login(system.url, username);
    return fetch(`${system.url}/api/admin/audit?${query}`, { headers: { authorization: `Bearer ${accessToken}` } });
  };
  const trail = async (doc: string) => ((await (await list('admin', `docId=${encodeURIComponent(doc)}`)).json()) as { entries: Listed[] }).entries;

  beforeAll(async () => {
    system = await startTestSystem();
    pc = await device(system.url, 'tram.yty');
    pc.store.edit(chart, { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-audit' }, (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Ly Thị Sủ', unitId: 'tyt-02701' }));
    await pc.client.localChange();
    await pc.synced();
    for (const occupation of ['Làm ruộng', 'Chăn nuôi', 'Dệt vải']) {
      pc.store.edit(chart, undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation }));
      await pc.client.localChange();
      await pc.synced();
    }
    pc.store.edit('request:r-audit', { kind: 'request', unitId: 'tyt-02701', patientId: 'p-audit', peerUnitId: 'ttyt-bat-xat' }, (doc) =>
      writeFields(mainRecord(doc, 'request'), { id: 'r-audit', requestContent: 'Xin hội chẩn', sentAt: new Date().toISOString() })
    );
    await pc.client.localChange();
    await pc.synced();
    doctor = await device(system.url, 'bacsi.batxat');
    await waitFor(() => doctor.store.docs.has(chart), 10_000, 'the chart at the upper unit');
  }, 60_000);

  afterAll(async () => {
    pc.client.stop();
    doctor.client.stop();
    await system.stop();
  });

  it('keeps who wrote each update, from which device and when, through compaction', async () => {
    const writes = (await trail(chart)).filter((e) => e.action === 'write');
    expect(writes).toHaveLength(4);
    expect(new Set(writes.map((e) => e.userId))).toEqual(new Set(['user-tram.yty']));
    expect(new Set(writes.map((e) => e.device))).toEqual(new Set([pc.client.deviceId]));
    expect(writes.every((e) => Math.abs(Date.parse(e.at) - Date.now()) < 600_000 && typeof e.seq === 'number')).toBe(true);

    // Compaction merges the chart's four updates into one row; the trail keeps all four.
    expect(await system.hub.compactNow(2, 1024 * 1024)).toBeGreaterThan(0);
    expect((await system.storage.log.docHistory(chart, Number.MAX_SAFE_INTEGER)).length).toBeLessThan(4);
    expect((await trail(chart)).filter((e) => e.action === 'write')).toHaveLength(4);
  });

  it('records the chart delivered to the upper unit’s device, and its opening there, not the station’s own reads', async () => {
    // The delivery is recorded beside the chunk, not before it: wait until it is there.
    let entries: Listed[] = [];
    await waitFor(async () => (entries = await trail(chart)).some((e) => e.action === 'deliver'), 10_000, 'the delivery in the trail');
    const deliveries = entries.filter((e) => e.action === 'deliver');
    expect(deliveries.every((e) => e.userId === 'user-bacsi.batxat' && e.device === doctor.client.deviceId)).toBe(true);

    const { accessToken } = await login(system.url, 'bacsi.batxat');
    const report = (body: unknown) =>
      fetch(`${system.url}/api/audit/opened`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify(body) });
    const openedAt = new Date(Date.now() - 3_600_000).toISOString(); // opened offline an hour ago
    expect((await report({ device: doctor.client.deviceId, entries: [{ docId: chart, at: openedAt }] })).status).toBe(200);
    const opened = (await trail(chart)).filter((e) => e.action === 'open');
    expect(opened).toEqual([{ at: openedAt, action: 'open', docId: chart, userId: 'user-bacsi.batxat', device: doctor.client.deviceId, seq: null }]);

    // Nobody writes into the trail of a chart they do not read, nor anything malformed.
    const before = (await trail('patient:p-secret')).length;
    expect((await report({ device: doctor.client.deviceId, entries: [{ docId: 'patient:p-secret', at: openedAt }] })).status).toBe(403);
    expect((await report({ device: doctor.client.deviceId, entries: [{ docId: chart, at: 'hôm qua' }] })).status).toBe(400);
    expect((await report({ device: doctor.client.deviceId, entries: [{ docId: chart, at: openedAt, extra: 1 }] })).status).toBe(400);
    expect((await report({ device: 'x', entries: [] })).status).toBe(400);
    expect((await trail('patient:p-secret')).length).toBe(before);
    expect(entries.filter((e) => e.action === 'deliver' && e.userId === 'user-tram.yty')).toEqual([]);
  });

  it('lists the trail only for an administrator, by record or by account', async () => {
    expect((await list('bacsi.batxat', `docId=${chart}`)).status).toBe(403);
    expect((await list('admin', 'docId=../etc')).status).toBe(400);
    const byUser = (await (await list('admin', 'userId=user-bacsi.batxat')).json()) as { entries: Listed[] };
    expect(byUser.entries.length).toBeGreaterThan(0);
    expect(byUser.entries.every((e) => e.userId === 'user-bacsi.batxat')).toBe(true);
  });

  it('names the request each refusal answers, takes JSON only, and bounds the body', async () => {
    const listed = await list('bacsi.batxat', `docId=${chart}`);
    expect(await listed.json()).toMatchObject({ error: 'forbidden', request: 'GET /api/admin/audit' });
    expect(await (await list('admin', 'docId=../etc')).json()).toMatchObject({ error: 'bad_request', request: 'GET /api/admin/audit' });

    const { accessToken } = await login(system.url, 'bacsi.batxat');
    const post = (body: string, contentType = 'application/json') =>
      fetch(`${system.url}/api/audit/opened`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${accessToken}` }, body });
    const malformed = await post(JSON.stringify({ device: 'x', entries: [] }));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'bad_request', request: 'POST /api/audit/opened' });
    const notJson = await post(JSON.stringify({ device: doctor.client.deviceId, entries: [] }), 'text/plain');
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({ error: 'unsupported_media_type', request: 'POST /api/audit/opened' });
    const big = await post(JSON.stringify({ device: doctor.client.deviceId, entries: [{ docId: chart, at: 'x'.repeat(20_000) }] }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large', request: 'POST /api/audit/opened' });
    // The largest report the app sends (100 openings of charts with the longest ids) fits.
    const longest = `patient:${'p'.repeat(64)}`;
    const full = JSON.stringify({ device: doctor.client.deviceId, entries: Array.from({ length: 100 }, () => ({ docId: longest, at: new Date().toISOString() })) });
    expect(full.length).toBeLessThan(16 * 1024);
    expect((await post(full)).status).toBe(403); // read past the size check: that chart is not one this account reads
  });
});
