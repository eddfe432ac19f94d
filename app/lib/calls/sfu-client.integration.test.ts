// The browser's Janus client (sfu-client.ts) against the real server, its /sfu proxy and the real Janus: two staff
// of a consultation join its VideoRoom and AudioBridge and see each other come and go; a request the proxy refuses
// is a typed error. (The media itself needs two network namespaces: see README "Multi-party calls".)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { device, login, startTestSystem, waitFor, type TestSystem } from '../../../sync-server/test/harness';
import { SfuConnection, SfuError, type SfuMessage, type SocketFactory } from './sfu-client';

const station = 'tyt-02701';
const centre = 'ttyt-bat-xat';
const patient = 'patient-demo-0001';
// `ws` has the browser WebSocket's on* handlers, readyState, send and close: all the client uses.
const open: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

describe('the browser SFU client over /sfu', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ env: { SFU: 'required' } });
    const yty = await device(system.url, 'tram.yty');
    yty.store.edit(docId('patient', patient), { kind: 'patient', unitId: station, patientId: patient }, (y) => writeFields(mainRecord(y, 'patient'), { occupation: 'Làm ruộng' }));
    yty.store.edit(docId('request', 'r-client'), { kind: 'request', unitId: station, patientId: patient, peerUnitId: centre }, (y) => writeFields(mainRecord(y, 'request'), { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() }));
    await yty.client.localChange();
    await yty.synced();
    yty.client.stop();
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  async function connect(username: string) {
    const { accessToken } = await login(system.url, username);
    const res = await fetch(`${system.url}/api/calls/sfu/join`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ requestId: 'r-client' }) });
    const { ticket, path } = (await res.json()) as { ticket: string; path: string };
    return SfuConnection.connect(`${system.url.replace(/^http/, 'ws')}${path}`, ticket, open);
  }

  it('joins the consultation\'s rooms, hears of the others joining and leaving, and reports refusals as errors', async () => {
    const doctor = await connect('bacsi.batxat');
    expect(doctor.displayName).toContain('Nguyễn Văn Hùng');
    const doctorRoom = await doctor.attach('videoroom');
    const events: SfuMessage[] = [];
    doctorRoom.onEvent = (m) => events.push(m);
    const joined = await doctorRoom.message({ request: 'join', ptype: 'publisher' });
    expect(joined.data).toMatchObject({ videoroom: 'joined', room: doctor.rooms.videoRoom, publishers: [] });

    const stationSide = await connect('tram.yty');
    const stationRoom = await stationSide.attach('videoroom');
    const stationJoined = await stationRoom.message({ request: 'join', ptype: 'publisher' });
    // The doctor is told the station joined (the room notifies joins), by the station's account name.
    await waitFor(() => events.some((m) => (m.plugindata?.data.joining as { id?: number } | undefined)?.id === stationJoined.data.id), 5_000, 'the joining event');
    expect((events.find((m) => m.plugindata?.data.joining)!.plugindata!.data.joining as { display: string }).display).toContain('Lý Thị Mai');

    const bridge = await stationSide.attach('audiobridge');
    expect((await bridge.message({ request: 'join', muted: false })).data).toMatchObject({ audiobridge: 'joined', room: stationSide.rooms.audioRoom });

    await expect(stationRoom.message({ request: 'rtp_forward', host: '203.0.113.1' })).rejects.toBeInstanceOf(SfuError);
    await expect(stationRoom.message({ request: 'subscribe', streams: [{ feed: 1 }] })).rejects.toMatchObject({ code: expect.any(Number) });

    stationSide.close();
    await waitFor(() => events.some((m) => m.plugindata?.data.leaving === stationJoined.data.id), 10_000, 'the leaving event');
    doctor.close();
  });
});
