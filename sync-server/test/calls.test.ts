// Calls on the real server: who gets a call ticket, the PeerJS signalling on the app's origin gated by the ticket
// and kept within one call, the configured ICE servers, and the bounded link probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, writeFields, type DocMeta } from '@telehealth/domain';
import { device, login, startTestSystem, waitFor, type TestSystem } from './harness';

const station = 'tyt-02701';
const centre = 'ttyt-bat-xat';
const patient = 'patient-demo-0001';
const ice = [{ urls: 'turn:turn.ttyt-batxat.vn:3478', username: 'tram', credential: 'bi-mat' }];

type Ticket = { ticket: string; peerId: string; expiresAt: number; path: string; iceServers: unknown[]; present: { peerId: string; displayName: string; unitId: string }[]; otherUnitId: string };

describe('calls: tickets, signalling, probe', () => {
  let system: TestSystem;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    system = await startTestSystem({ env: { ICE_SERVERS: JSON.stringify(ice) } });
    const yty = await device(system.url, 'tram.yty');
    const edit = (doc: string, meta: DocMeta, patch: Record<string, unknown>) => yty.store.edit(doc, meta, (y) => writeFields(mainRecord(y, meta.kind), patch));
    edit(docId('patient', patient), { kind: 'patient', unitId: station, patientId: patient }, { occupation: 'Làm ruộng' });
    for (const id of ['r-call-1', 'r-call-2', 'r-call-withdrawn', 'r-call-declined']) {
      edit(docId('request', id), { kind: 'request', unitId: station, patientId: patient, peerUnitId: centre }, { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() });
    }
    // A draft never sent, and a request withdrawn after it was sent: no consultation is held on either.
    edit(docId('request', 'r-call-draft'), { kind: 'request', unitId: station, patientId: patient, peerUnitId: centre }, { requestContent: 'Nháp' });
    yty.store.edit(docId('request', 'r-call-withdrawn'), undefined, (y) => writeFields(mainRecord(y, 'request'), { withdrawnAt: new Date().toISOString() }));
    await yty.client.localChange();
    await yty.synced();
    expect(yty.store.refusedEntries).toEqual([]);
    yty.client.stop();
    // The upper unit declines one.
    const doctor = await device(system.url, 'bacsi.batxat');
    await doctor.synced();
    doctor.store.edit(docId('review', 'r-call-declined'), { kind: 'review', unitId: centre, patientId: patient, peerUnitId: station }, (y) =>
      writeFields(mainRecord(y, 'review'), { id: 'r-call-declined', requestId: 'r-call-declined', unitId: centre, status: 'declined', createdAt: new Date().toISOString(), createdBy: 'user-bacsi.batxat' })
    );
    await doctor.client.localChange();
    await doctor.synced();
    expect(doctor.store.refusedEntries).toEqual([]);
    doctor.client.stop();
    for (const u of ['tram.yty', 'tram.amusung', 'bacsi.batxat', '0912345678', 'admin']) tokens.set(u, (await login(system.url, u)).accessToken);
  }, 60_000);

  afterAll(async () => {
    await system.stop();
  });

  const ticket = (username: string | undefined, body: unknown) =>
    fetch(`${system.url}/api/calls/ticket`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(username ? { authorization: `Bearer ${tokens.get(username)}` } : {}) },
      body: JSON.stringify(body)
    });

  it('gives a ticket only to the staff of the requesting station and of the upper unit, with the configured ICE servers', async () => {
    const statuses = await Promise.all(['tram.yty', 'bacsi.batxat', 'tram.amusung', '0912345678', 'admin', undefined].map(async (u) => (await ticket(u, { requestId: 'r-call-1' })).status));
    expect(statuses).toEqual([200, 200, 403, 403, 403, 401]);
    expect((await ticket('bacsi.batxat', { requestId: 'r-unknown' })).status).toBe(404);
    expect((await ticket('bacsi.batxat', { requestId: '../x' })).status).toBe(400);
    // No call on a request that was never sent, was withdrawn or was declined.
    for (const requestId of ['r-call-draft', 'r-call-withdrawn', 'r-call-declined']) {
      const res = await ticket('tram.yty', { requestId });
      expect(res.status, requestId).toBe(409);
      expect(((await res.json()) as { error: string }).error).toBe('consultation_closed');
    }
    const t = (await (await ticket('bacsi.batxat', { requestId: 'r-call-1' })).json()) as Ticket;
    expect(t).toMatchObject({ path: '/peerjs', iceServers: ice, otherUnitId: station });
    expect(t.peerId).toMatch(/^c-[0-9a-f]{16}-[0-9a-f]{16}$/);
    expect(t.expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });

  /** A PeerJS client's socket, as peerjs opens it; resolves with its first message or its refusal. */
  function connect(key: string, id: string) {
    const ws = new WebSocket(`${system.url.replace(/^http/, 'ws')}/peerjs/peerjs?key=${encodeURIComponent(key)}&id=${id}&token=tok${id.slice(-4)}&version=1.5.5`);
    const messages: { type: string; src?: string; payload?: unknown }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    const opened = new Promise<'open' | number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(0));
      ws.once('open', () => waitFor(() => messages.length > 0, 5_000, 'OPEN').then(() => resolve('open'), () => resolve(-1)));
    });
    return { ws, messages, opened };
  }

  it('lets a peer into the signalling only with a valid ticket for its own peer id', async () => {
    const t = (await (await ticket('tram.yty', { requestId: 'r-call-1' })).json()) as Ticket;
    expect(await connect('peerjs', t.peerId).opened).toBe(401);
    expect(await connect(t.ticket.slice(0, -2) + 'xx', t.peerId).opened).toBe(401);
    expect(await connect(t.ticket, 'c-0000000000000000-0000000000000000').opened).toBe(403);
    const ok = connect(t.ticket, t.peerId);
    expect(await ok.opened).toBe('open');
    expect(ok.messages[0]!.type).toBe('OPEN');
    ok.ws.close();
  });

  it('relays signalling between the two peers of a call, not to a peer of another call, and tells who is present', async () => {
    const s = (await (await ticket('tram.yty', { requestId: 'r-call-1' })).json()) as Ticket;
    const stationPeer = connect(s.ticket, s.peerId);
    expect(await stationPeer.opened).toBe('open');
    const d = (await (await ticket('bacsi.batxat', { requestId: 'r-call-1' })).json()) as Ticket;
    expect(d.present.map((p) => [p.peerId, p.unitId, p.displayName])).toEqual([[s.peerId, station, expect.stringContaining('Lý Thị Mai')]]);
    const doctorPeer = connect(d.ticket, d.peerId);
    expect(await doctorPeer.opened).toBe('open');
    // A peer of another consultation's call (the same doctor, another request) cannot reach the station's peer.
    const other = (await (await ticket('bacsi.batxat', { requestId: 'r-call-2' })).json()) as Ticket;
    const stranger = connect(other.ticket, other.peerId);
    expect(await stranger.opened).toBe('open');
    stranger.ws.send(JSON.stringify({ type: 'OFFER', dst: s.peerId, payload: { sdp: 'from another call' } }));
    doctorPeer.ws.send(JSON.stringify({ type: 'OFFER', dst: s.peerId, payload: { sdp: 'from the doctor' } }));
    await waitFor(() => stationPeer.messages.some((m) => m.type === 'OFFER'), 5_000, 'the offer');
    // The doctor's offer was sent after the stranger's: had the stranger's been relayed, it would be there first.
    expect(stationPeer.messages.filter((m) => m.type === 'OFFER').map((m) => [m.src, m.payload])).toEqual([[d.peerId, { sdp: 'from the doctor' }]]);
    for (const p of [stationPeer, doctorPeer, stranger]) p.ws.close();
    await waitFor(async () => ((await (await ticket('bacsi.batxat', { requestId: 'r-call-1' })).json()) as Ticket).present.length === 0, 5_000, 'presence cleared');
  });

  it('answers the link probe with the bytes asked for, bounded, to signed-in accounts only', async () => {
    const probe = (q: string, auth = true) => fetch(`${system.url}/api/calls/probe${q}`, { headers: auth ? { authorization: `Bearer ${tokens.get('tram.yty')}` } : {} });
    const res = await probe('?bytes=50000');
    expect([res.status, res.headers.get('cache-control'), (await res.arrayBuffer()).byteLength]).toEqual([200, 'no-store', 50_000]);
    expect((await (await probe('?bytes=0')).arrayBuffer()).byteLength).toBe(0);
    expect((await probe('?bytes=300000')).status).toBe(400);
    expect((await probe('?bytes=-1')).status).toBe(400);
    expect((await probe('?bytes=10', false)).status).toBe(401);
  });
});
