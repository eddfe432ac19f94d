// The SFU on the real server with the real Janus (Debian's `janus`, which `npm test` installs): the generated
// configuration starts it on loopback only; a consultation's rooms are created on first join; the request's staff
// join through the /sfu proxy, strangers are refused by the server and by Janus itself; the proxy forwards only its
// allow-list, bounded in size and rate. Without Janus the server says multi-party video is unavailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { JanusError, JanusSocket, findJanus, startJanus } from '@telehealth/sfu';
import { docId, mainRecord, writeFields, type DocMeta } from '@telehealth/domain';
import { sfuRoomIds } from '../src/calls/sfu';
import { device, login, startTestSystem, waitFor, type TestSystem } from './harness';

const station = 'tyt-02701';
const centre = 'ttyt-bat-xat';
const patient = 'patient-demo-0001';

type Join = { ticket: string; path: string; rooms: { videoRoom: number; audioRoom: number } };
type Msg = { janus: string; transaction?: string; data?: { id?: number }; plugindata?: { data: Record<string, unknown> }; error?: { code: number; reason: string }; rooms?: unknown; displayName?: string };

if (!findJanus()) {
  throw new Error('Janus is not installed: these tests need Debian\'s janus (apt-get install -y janus; `npm test` installs it when run as root)');
}

/** A browser's socket on /sfu: its messages, and a request/answer helper by transaction. */
async function sfuSocket(url: string, ticket: string | undefined) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sfu${ticket === undefined ? '' : `?ticket=${encodeURIComponent(ticket)}`}`);
  const messages: Msg[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Msg));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const opened = await new Promise<'open' | number>((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
    ws.once('open', () => resolve('open'));
  });
  let n = 0;
  /** Sends a message and resolves with the first answer to its transaction that is not an ack. */
  const ask = async (message: Record<string, unknown>): Promise<Msg> => {
    const transaction = `t${++n}`;
    ws.send(JSON.stringify({ ...message, transaction }));
    let answer: Msg | undefined;
    await waitFor(() => (answer = messages.find((m) => m.transaction === transaction && m.janus !== 'ack')) !== undefined, 5_000, `an answer to ${String(message.janus)}`);
    return answer!;
  };
  const attach = async (plugin: string) => (await ask({ janus: 'attach', plugin })).data?.id;
  return { ws, messages, opened, closed, ask, attach };
}

describe('the SFU (Janus) for multi-party consultation calls', () => {
  let system: TestSystem;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    system = await startTestSystem({ env: { SFU: 'required' } });
    const yty = await device(system.url, 'tram.yty');
    const edit = (doc: string, meta: DocMeta, patch: Record<string, unknown>) => yty.store.edit(doc, meta, (y) => writeFields(mainRecord(y, meta.kind), patch));
    edit(docId('patient', patient), { kind: 'patient', unitId: station, patientId: patient }, { occupation: 'Làm ruộng' });
    for (const id of ['r-sfu-1', 'r-sfu-2']) {
      edit(docId('request', id), { kind: 'request', unitId: station, patientId: patient, peerUnitId: centre }, { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() });
    }
    await yty.client.localChange();
    await yty.synced();
    yty.client.stop();
    for (const u of ['tram.yty', 'tram.amusung', 'bacsi.batxat', '0912345678', 'admin']) tokens.set(u, (await login(system.url, u)).accessToken);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  const post = (route: string, username: string | undefined, body: unknown) =>
    fetch(`${system.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(username ? { authorization: `Bearer ${tokens.get(username)}` } : {}) },
      body: JSON.stringify(body)
    });
  const join = async (username: string, requestId: string) => (await (await post('/api/calls/sfu/join', username, { requestId })).json()) as Join;
  /** The server's own view of Janus, with the API secret: what a stranger holding it could at most do. */
  const privileged = () => JanusSocket.open(system.sfu!.janus.url, { apiSecret: system.sfu!.janus.secrets.apiSecret });

  it('starts Janus from the generated configuration, on loopback only, with secrets kept private and only the two room plugins', async () => {
    const sfu = system.sfu!;
    expect(new URL(sfu.janus.url).hostname).toBe('127.0.0.1');
    const dir = path.join(system.config.dataDir, 'sfu');
    for (const file of ['secrets.json', 'conf/janus.jcfg', 'conf/janus.transport.websockets.jcfg']) expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    const jcfg = readFileSync(path.join(dir, 'conf/janus.jcfg'), 'utf8');
    expect(jcfg).toContain(`api_secret = "${sfu.janus.secrets.apiSecret}"`);
    expect(jcfg).not.toMatch(/stun_server/);
    const janus = await JanusSocket.open(sfu.janus.url);
    const info = await janus.request({ janus: 'info' });
    expect(Object.keys(info.plugins as object).sort()).toEqual(['janus.plugin.audiobridge', 'janus.plugin.videoroom']);
    expect(Object.keys(info.transports as object)).toEqual(['janus.transport.websockets']);
    // Without the API secret Janus does nothing.
    await expect(janus.request({ janus: 'create' })).rejects.toMatchObject({ code: 403 });
    janus.close();
    // Not reachable on the machine's other addresses.
    const port = new URL(sfu.janus.url).port;
    const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (outside) await expect(JanusSocket.open(`ws://${outside.address}:${port}`, { timeoutMs: 2_000 })).rejects.toThrow();
    const capabilities = await fetch(`${system.url}/api/calls/capabilities`, { headers: { authorization: `Bearer ${tokens.get('tram.yty')}` } });
    expect(await capabilities.json()).toEqual({ oneToOne: true, sfu: true });
  });

  it("creates the consultation's rooms on first join, for the staff of the request's two units only", async () => {
    const statuses = await Promise.all(['tram.yty', 'bacsi.batxat', 'tram.amusung', '0912345678', 'admin', undefined].map(async (u) => (await post('/api/calls/sfu/join', u, { requestId: 'r-sfu-1' })).status));
    expect(statuses).toEqual([200, 200, 403, 403, 403, 401]);
    expect((await post('/api/calls/sfu/join', 'bacsi.batxat', { requestId: 'r-none' })).status).toBe(404);
    expect((await post('/api/calls/sfu/join', 'bacsi.batxat', { requestId: '../x' })).status).toBe(400);
    const j = await join('tram.yty', 'r-sfu-1');
    expect(j.path).toBe('/sfu');
    expect(j.rooms).toEqual(sfuRoomIds('r-sfu-1'));
    const janus = await privileged();
    const session = (await janus.request({ janus: 'create' })).data!.id!;
    const video = (await janus.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' })).data!.id!;
    const audio = (await janus.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.audiobridge' })).data!.id!;
    const exists = async (handle: number, room: number) => (await janus.request({ janus: 'message', session_id: session, handle_id: handle, body: { request: 'exists', room } })).plugindata?.data.exists;
    expect([await exists(video, j.rooms.videoRoom), await exists(audio, j.rooms.audioRoom)]).toEqual([true, true]);
    // The other request has no rooms until someone joins its call.
    expect(await exists(video, sfuRoomIds('r-sfu-2').videoRoom)).toBe(false);
    janus.close();
  });

  it('lets the request\'s staff into its VideoRoom and AudioBridge through /sfu, named by their accounts', async () => {
    const stationSide = await sfuSocket(system.url, (await join('tram.yty', 'r-sfu-1')).ticket);
    expect(stationSide.opened).toBe('open');
    await waitFor(() => stationSide.messages.some((m) => m.janus === 'ready'), 5_000, 'ready');
    const publisher = await stationSide.attach('janus.plugin.videoroom');
    // The display name the browser gives is replaced by the account's.
    const joined = await stationSide.ask({ janus: 'message', handle_id: publisher, body: { request: 'join', ptype: 'publisher', display: 'Giả mạo' } });
    expect(joined.plugindata?.data).toMatchObject({ videoroom: 'joined', room: sfuRoomIds('r-sfu-1').videoRoom });
    const bridge = await stationSide.attach('janus.plugin.audiobridge');
    const inBridge = await stationSide.ask({ janus: 'message', handle_id: bridge, body: { request: 'join', muted: true } });
    expect(inBridge.plugindata?.data).toMatchObject({ audiobridge: 'joined', room: sfuRoomIds('r-sfu-1').audioRoom });

    const doctorSide = await sfuSocket(system.url, (await join('bacsi.batxat', 'r-sfu-1')).ticket);
    const doctorPublisher = await doctorSide.attach('janus.plugin.videoroom');
    await doctorSide.ask({ janus: 'message', handle_id: doctorPublisher, body: { request: 'join', ptype: 'publisher' } });
    const listed = await doctorSide.ask({ janus: 'message', handle_id: doctorPublisher, body: { request: 'listparticipants' } });
    expect((listed.plugindata?.data.participants as { display: string }[]).map((p) => p.display).sort()).toEqual(['BS. Nguyễn Văn Hùng (TTYT khu vực Bát Xát)', 'Lý Thị Mai (CBYT Trạm Y tế xã Y Tý)']);
    // Leaving: closing the socket takes the station out of the room.
    stationSide.ws.close();
    await waitFor(async () => (await system.sfu!.rooms.participants('r-sfu-1')).length === 1, 10_000, 'the station left the room');
    doctorSide.ws.close();
  });

  it('refuses strangers: no ticket, a forged one, another room; and Janus itself refuses a join without the account\'s token', async () => {
    expect((await sfuSocket(system.url, undefined)).opened).toBe(401);
    const real = (await join('tram.yty', 'r-sfu-1')).ticket;
    expect((await sfuSocket(system.url, real.slice(0, -2) + (real.endsWith('xx') ? 'yy' : 'xx'))).opened).toBe(401);
    // A participant of another consultation (the same doctor, another request) cannot name this one's rooms.
    const other = await sfuSocket(system.url, (await join('bacsi.batxat', 'r-sfu-2')).ticket);
    const handle = await other.attach('janus.plugin.videoroom');
    const refused = await other.ask({ janus: 'message', handle_id: handle, body: { request: 'join', ptype: 'publisher', room: sfuRoomIds('r-sfu-1').videoRoom } });
    expect(refused.error).toMatchObject({ code: 403, reason: 'only the room of this consultation' });
    const bridge = await other.attach('janus.plugin.audiobridge');
    expect((await other.ask({ janus: 'message', handle_id: bridge, body: { request: 'join', room: sfuRoomIds('r-sfu-1').audioRoom } })).error?.code).toBe(403);
    other.ws.close();

    // Even with the API secret, a join without the right token is refused by Janus's `allowed` lists.
    const janus = await privileged();
    const session = (await janus.request({ janus: 'create' })).data!.id!;
    const video = (await janus.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' })).data!.id!;
    const audio = (await janus.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.audiobridge' })).data!.id!;
    const rooms = sfuRoomIds('r-sfu-1');
    const tryJoin = (handle: number, body: Record<string, unknown>) => janus.request({ janus: 'message', session_id: session, handle_id: handle, body }, { untilEvent: true });
    const strangerToken = system.sfu!.rooms.tokenFor('r-sfu-2', 'someone');
    for (const token of [undefined, strangerToken]) {
      await expect(tryJoin(video, { request: 'join', ptype: 'publisher', room: rooms.videoRoom, ...(token ? { token } : {}) })).rejects.toBeInstanceOf(JanusError);
      await expect(tryJoin(audio, { request: 'join', room: rooms.audioRoom, ...(token ? { token } : {}) })).rejects.toMatchObject({ code: 489 });
    }
    // And nobody can create a room without the admin key.
    await expect(janus.request({ janus: 'message', session_id: session, handle_id: video, body: { request: 'create', room: 77 } })).rejects.toMatchObject({ code: 429 });
    janus.close();
  });

  it('forwards only the allow-list of participant requests, and closes a socket that sends too much or too big', async () => {
    const s = await sfuSocket(system.url, (await join('tram.yty', 'r-sfu-1')).ticket);
    const refusedCode = async (message: Record<string, unknown>) => (await s.ask(message)).error?.code;
    const video = await s.attach('janus.plugin.videoroom');
    expect(typeof video).toBe('number');
    for (const message of [
      { janus: 'create' },
      { janus: 'destroy' },
      { janus: 'info' },
      { janus: 'attach', plugin: 'janus.plugin.streaming' },
      { janus: 'attach', plugin: 'janus.plugin.echotest' },
      { janus: 'message', handle_id: video, body: { request: 'create', room: 12 } },
      { janus: 'message', handle_id: video, body: { request: 'destroy', room: sfuRoomIds('r-sfu-1').videoRoom } },
      { janus: 'message', handle_id: video, body: { request: 'rtp_forward', host: '203.0.113.1' } },
      { janus: 'message', handle_id: video, body: { request: 'enable_recording', record: true } },
      { janus: 'message', handle_id: video, body: { request: 'configure', record: true, filename: '/etc/passwd' } },
      { janus: 'message', handle_id: video, body: { request: 'join', ptype: 'publisher', token: 'mine' } },
      { janus: 'message', handle_id: 12345, body: { request: 'leave' } },
      { janus: 'message', handle_id: video, body: { request: 'publish' }, jsep: { type: 'offer', sdp: 'x'.repeat(50_000) } },
      { janus: 'trickle', handle_id: video, candidates: Array.from({ length: 40 }, () => ({ candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' })) }
    ]) {
      expect([message, await refusedCode(message)]).toEqual([message, 403]);
    }
    // An allowed request still goes through on the same socket.
    expect((await s.ask({ janus: 'message', handle_id: video, body: { request: 'join', ptype: 'publisher' } })).plugindata?.data.videoroom).toBe('joined');
    // Too big: the socket is closed (1009, message too big).
    s.ws.send(JSON.stringify({ janus: 'message', transaction: 'big', handle_id: video, body: { request: 'configure' }, pad: 'x'.repeat(70_000) }));
    expect(await s.closed).toBe(1009);
    // Too many: a flood closes the socket (4429).
    const flood = await sfuSocket(system.url, (await join('tram.yty', 'r-sfu-1')).ticket);
    for (let i = 0; i < 200 && flood.ws.readyState === WebSocket.OPEN; i++) flood.ws.send(JSON.stringify({ janus: 'keepalive', transaction: `k${i}` }));
    expect(await flood.closed).toBe(4429);
  });
});

describe('Janus outliving a killed server', () => {
  it('is stopped by the next start of the same data folder, and only that Janus', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'telehealth-janus-orphan-'));
    const log = { info: () => {}, warn: () => {}, debug: () => {} };
    const options = { install: findJanus()!, dataDir, rtpPorts: [47000, 47100] as const, log };
    // The first Janus is never stopped: its server "died".
    const orphan = await startJanus(options);
    const other = await startJanus({ ...options, dataDir: mkdtempSync(path.join(tmpdir(), 'telehealth-janus-other-')) });
    const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    expect(alive(orphan.pid)).toBe(true);
    const next = await startJanus(options);
    try {
      await waitFor(() => !alive(orphan.pid), 5_000, 'the orphan stopped');
      expect(alive(other.pid)).toBe(true);
      expect(alive(next.pid)).toBe(true);
    } finally {
      await next.stop();
      await other.stop();
      await orphan.stop();
    }
  });
});

describe('recording a consultation call, only with the consent of everyone in it', () => {
  let system: TestSystem;
  const tokens = new Map<string, string>();
  const requestId = 'r-rec-1';

  beforeAll(async () => {
    system = await startTestSystem({ env: { SFU: 'required' } });
    const yty = await device(system.url, 'tram.yty');
    yty.store.edit(docId('patient', patient), { kind: 'patient', unitId: station, patientId: patient }, (y) => writeFields(mainRecord(y, 'patient'), { occupation: 'Làm ruộng' }));
    yty.store.edit(docId('request', requestId), { kind: 'request', unitId: station, patientId: patient, peerUnitId: centre }, (y) => writeFields(mainRecord(y, 'request'), { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() }));
    await yty.client.localChange();
    await yty.synced();
    yty.client.stop();
    for (const u of ['tram.yty', 'bacsi.batxat', '0912345678', 'admin', 'tram.amusung']) tokens.set(u, (await login(system.url, u)).accessToken);
    // A second doctor of the district centre: the one who joins late.
    const made = await fetch(`${system.url}/api/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bs.tre', displayName: 'BS. Giàng Seo Páo', role: 'doctor', unitId: centre, password: 'Mot-hai-ba-bon-nam' })
    });
    expect(made.status).toBe(201);
    tokens.set('bs.tre', (await login(system.url, 'bs.tre', 'Mot-hai-ba-bon-nam')).accessToken);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  const call = (route: string, username: string, body?: unknown) =>
    fetch(`${system.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(username)}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    });
  type Socket = Awaited<ReturnType<typeof sfuSocket>>;
  const sockets = new Map<string, Socket>();
  /** A recording action over the participant's /sfu socket: 200 and its view, or the error's code and reason. */
  const record = async (username: string, action: unknown) => {
    const answer = await sockets.get(username)!.ask({ janus: 'recording', action });
    const m = answer as unknown as { recording?: Record<string, unknown>; error?: { code: number; reason: string } };
    return m.error ? { status: m.error.code, body: { error: m.error.reason.split(':')[0] } } : { status: 200, body: m.recording! };
  };
  const enter = async (username: string) => {
    const { ticket } = (await (await call('/api/calls/sfu/join', username, { requestId })).json()) as Join;
    const s = await sfuSocket(system.url, ticket);
    sockets.set(username, s);
    return s;
  };
  type View = { status: string; waiting: string[]; youConsented: boolean; ended?: { reason: string } };
  const lastView = (s: { messages: Msg[] }) => (s.messages.filter((m) => m.janus === 'recording' || m.janus === 'ready').at(-1) as unknown as { recording: View }).recording;
  const isRecording = async () => {
    const janus = await JanusSocket.open(system.sfu!.janus.url, { apiSecret: system.sfu!.janus.secrets.apiSecret });
    try {
      const session = (await janus.request({ janus: 'create' })).data!.id!;
      const handle = (await janus.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' })).data!.id!;
      const reply = await janus.request({ janus: 'message', session_id: session, handle_id: handle, body: { request: 'list', admin_key: system.sfu!.janus.secrets.adminKey } });
      const rooms = (reply.plugindata?.data.list ?? []) as { room: number; record?: boolean }[];
      return rooms.find((r) => r.room === sfuRoomIds(requestId).videoRoom)?.record === true;
    } finally {
      janus.close();
    }
  };

  it('records only once all present consented, gates a late joiner until they consent, and lists the recording in the case', async () => {
    const yty = await enter('tram.yty');
    const doctor = await enter('bacsi.batxat');
    expect(lastView(yty)).toMatchObject({ status: 'off' });

    // The station asks: it consents by asking; the doctor is asked; nothing records yet.
    expect(await record('tram.yty', 'ask')).toMatchObject({ status: 200, body: { status: 'asking', waiting: ['BS. Nguyễn Văn Hùng (TTYT khu vực Bát Xát)'], youConsented: true } });
    await waitFor(() => lastView(doctor)?.status === 'asking' && lastView(doctor).youConsented === false, 5_000, 'the doctor asked');
    expect(await isRecording()).toBe(false);
    expect(await record('tram.yty', 'ask')).toMatchObject({ status: 409, body: { error: 'busy' } });
    // Strangers cannot answer for the call: they get no place in it (another station, the patient).
    for (const stranger of ['tram.amusung', '0912345678']) expect((await call('/api/calls/sfu/join', stranger, { requestId })).status).toBe(403);

    // The doctor consents: now it records, and both screens say so.
    expect(await record('bacsi.batxat', 'consent')).toMatchObject({ status: 200, body: { status: 'recording', waiting: [] } });
    expect(await isRecording()).toBe(true);
    await waitFor(() => lastView(yty)?.status === 'recording', 5_000, 'the station told it records');

    // A late joiner: told it records, and its camera and microphone do not join until it consents.
    const late = await enter('bs.tre');
    expect(lastView(late)).toMatchObject({ status: 'recording', youConsented: false });
    await waitFor(() => lastView(yty)?.waiting.includes('BS. Giàng Seo Páo'), 5_000, 'the others see who has not consented');
    const handle = await late.attach('janus.plugin.videoroom');
    expect((await late.ask({ janus: 'message', handle_id: handle, body: { request: 'join', ptype: 'publisher' } })).plugindata?.data.videoroom).toBe('joined');
    const refused = await late.ask({ janus: 'message', handle_id: handle, body: { request: 'publish' }, jsep: { type: 'offer', sdp: 'v=0' } });
    expect(refused).toMatchObject({ janus: 'error', error: { code: 403 } });
    expect(refused.error?.reason).toMatch(/consent/);
    const audio = await late.attach('janus.plugin.audiobridge');
    expect((await late.ask({ janus: 'message', handle_id: audio, body: { request: 'join' } })).error?.code).toBe(403);
    expect(await record('bs.tre', 'consent')).toMatchObject({ status: 200, body: { status: 'recording', youConsented: true } });
    // Now its publish reaches Janus (which answers about the SDP, not the proxy about consent).
    const passed = await late.ask({ janus: 'message', handle_id: handle, body: { request: 'publish' }, jsep: { type: 'offer', sdp: 'v=0' } });
    expect(passed.error?.reason ?? '').not.toMatch(/consent/);

    // Anyone stops it; nothing went through Janus on loopback, so the recording is saved empty, and listed.
    expect(await record('bacsi.batxat', 'stop')).toMatchObject({ status: 200 });
    await waitFor(() => lastView(yty)?.status === 'off', 10_000, 'the recording saved');
    expect(lastView(yty).ended?.reason).toBe('empty');
    expect(await isRecording()).toBe(false);
    const listed = await call(`/api/calls/recordings?requestId=${requestId}`, 'tram.yty');
    const { recordings } = (await listed.json()) as { recordings: { status: string; startedBy: string; consented: string[]; files: unknown[] }[] };
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ status: 'failed', startedBy: 'Lý Thị Mai (CBYT Trạm Y tế xã Y Tý)', files: [] });
    expect(recordings[0]!.consented).toHaveLength(3);
    for (const stranger of ['tram.amusung', '0912345678', 'admin']) expect((await call(`/api/calls/recordings?requestId=${requestId}`, stranger)).status, stranger).toBe(403);
    for (const bad of ['../../etc/passwd', 'x/1-audio.opus']) expect((await call(`/api/calls/recordings/${bad}`, 'tram.yty')).status).toBeGreaterThanOrEqual(400);

    // Declining ends a request; withdrawing during a recording stops it.
    expect((await record('tram.yty', 'ask')).status).toBe(200);
    expect(await record('bs.tre', 'decline')).toMatchObject({ status: 200, body: { status: 'off', ended: { reason: 'declined' } } });
    expect(await isRecording()).toBe(false);
    expect((await record('tram.yty', 'ask')).status).toBe(200);
    expect((await record('bacsi.batxat', 'consent')).status).toBe(200);
    expect(await record('bs.tre', 'consent')).toMatchObject({ body: { status: 'recording' } });
    expect((await record('bs.tre', 'decline')).status).toBe(200);
    await waitFor(async () => !(await isRecording()), 10_000, 'the recording stopped');
    // Bad actions change nothing.
    for (const action of ['start', undefined, 1, { ask: true }]) expect((await record('tram.yty', action)).status).toBe(403);
    const extra = await yty.ask({ janus: 'recording', action: 'ask', room: 1 });
    expect(extra.error?.code).toBe(403);
    expect(await isRecording()).toBe(false);
    // Everyone leaving ends a request.
    expect((await record('tram.yty', 'ask')).status).toBe(200);
    for (const s of [yty, doctor, late]) s.ws.close();
    await waitFor(() => system.sfu!.recordings.view(requestId, 'x').status === 'off', 10_000, 'the request ended with the call');
  });

  it('lets a named guest into this call only, from a link that a participant made and can withdraw', async () => {
    const invite = (username: string, body: unknown) => call('/api/calls/invites', username, body);
    const guest = (route: 'about' | 'join', token: unknown) => fetch(`${system.url}/api/invite/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invite: token }) });
    // Bad invitations are refused and make nothing; strangers cannot invite.
    for (const body of [{ requestId, name: '' }, { requestId, name: 'x'.repeat(101) }, { requestId, name: 'A', minutes: 2 }, { requestId, name: 'A', minutes: 100_000 }, { requestId, name: 'A', extra: 1 }, { requestId, name: '<b>A</b>' }]) {
      expect((await invite('tram.yty', body)).status, JSON.stringify(body)).toBe(400);
    }
    for (const stranger of ['tram.amusung', '0912345678', 'admin']) expect((await invite(stranger, { requestId, name: 'A' })).status, stranger).toBe(403);
    expect(((await (await call(`/api/calls/invites?requestId=${requestId}`, 'tram.yty')).json()) as { invites: unknown[] }).invites).toEqual([]);

    const made = await invite('bacsi.batxat', { requestId, name: 'PGS. Trần Văn Khách', minutes: 60 });
    expect(made.status).toBe(201);
    const { id, link } = (await made.json()) as { id: string; link: string };
    const token = new URL(link, system.url).searchParams.get('i')!;
    // What the guest's page learns: who invites whom into what, never the patient.
    const about = await guest('about', token);
    expect(about.status).toBe(200);
    const aboutBody = (await about.json()) as Record<string, unknown>;
    expect(aboutBody).toMatchObject({ name: 'PGS. Trần Văn Khách', invitedBy: 'BS. Nguyễn Văn Hùng (TTYT khu vực Bát Xát)', sfu: true });
    expect(JSON.stringify(aboutBody)).not.toMatch(/patient|Làm ruộng/);
    // Forged and unknown links get nothing.
    for (const bad of [`${id}.${'A'.repeat(32)}`, token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 'x', 42]) expect((await guest('join', bad)).status).toBe(404);

    // The guest joins the consultation's rooms, named as a guest, and answers a recording like anyone present.
    const joined = (await (await guest('join', token)).json()) as Join & { displayName: string };
    expect(joined.displayName).toBe('PGS. Trần Văn Khách (khách mời)');
    const g = await sfuSocket(system.url, joined.ticket);
    expect(g.opened).toBe('open');
    expect(g.messages[0]).toMatchObject({ janus: 'ready', displayName: 'PGS. Trần Văn Khách (khách mời)' });
    const handle = await g.attach('janus.plugin.videoroom');
    expect((await g.ask({ janus: 'message', handle_id: handle, body: { request: 'join', ptype: 'publisher' } })).plugindata?.data.videoroom).toBe('joined');
    const yty = await enter('tram.yty');
    expect((await record('tram.yty', 'ask')).body).toMatchObject({ status: 'asking', waiting: ['PGS. Trần Văn Khách (khách mời)'] });
    expect((await g.ask({ janus: 'recording', action: 'consent' })) as unknown).toMatchObject({ recording: { status: 'recording', youConsented: true } });
    // The doctor comes in late and declines: they stay out of it, the recording goes on.
    await enter('bacsi.batxat');
    expect(await record('bacsi.batxat', 'decline')).toMatchObject({ status: 200, body: { status: 'recording', youConsented: false } });
    expect(system.sfu!.recordings.mayPublish(requestId, 'user-bacsi.batxat')).toBe(false);
    expect((await record('tram.yty', 'stop')).status).toBe(200);
    // A guest's ticket is for the SFU only: no 1:1 signalling, no API.
    expect((await fetch(`${system.url}/api/calls/capabilities`, { headers: { authorization: `Bearer ${joined.ticket}` } })).status).toBe(401);

    // Withdrawn: the guest is put out of the call and the link no longer opens it.
    expect((await call(`/api/calls/invites/${id}/revoke`, 'tram.yty', {})).status).toBe(200);
    expect(await g.closed).toBe(4403);
    sockets.get('bacsi.batxat')!.ws.close();
    expect((await guest('join', token)).status).toBe(410);
    expect((await guest('about', token)).status).toBe(410);
    expect(((await (await call(`/api/calls/invites?requestId=${requestId}`, 'tram.yty')).json()) as { invites: unknown[] }).invites).toEqual([]);
    yty.ws.close();
  });
});

describe('a server without the SFU', () => {
  let system: TestSystem;
  let token: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: { SFU: 'off' } });
    token = (await login(system.url, 'tram.yty')).accessToken;
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('says multi-party video is unavailable, refuses the SFU, and still gives 1:1 call tickets', async () => {
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect(await (await fetch(`${system.url}/api/calls/capabilities`, { headers: auth })).json()).toEqual({ oneToOne: true, sfu: false });
    const yty = await device(system.url, 'tram.yty');
    yty.store.edit(docId('patient', patient), { kind: 'patient', unitId: station, patientId: patient }, (y) => writeFields(mainRecord(y, 'patient'), { occupation: 'Làm ruộng' }));
    yty.store.edit(docId('request', 'r-nosfu'), { kind: 'request', unitId: station, patientId: patient, peerUnitId: centre }, (y) => writeFields(mainRecord(y, 'request'), { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() }));
    await yty.client.localChange();
    await yty.synced();
    yty.client.stop();
    const sfuJoin = await fetch(`${system.url}/api/calls/sfu/join`, { method: 'POST', headers: auth, body: JSON.stringify({ requestId: 'r-nosfu' }) });
    expect([sfuJoin.status, ((await sfuJoin.json()) as { error: string }).error]).toEqual([503, 'sfu_unavailable']);
    const ticket = await fetch(`${system.url}/api/calls/ticket`, { method: 'POST', headers: auth, body: JSON.stringify({ requestId: 'r-nosfu' }) });
    expect(ticket.status).toBe(200);
    expect(((await ticket.json()) as { sfu: boolean }).sfu).toBe(false);
    expect((await sfuSocket(system.url, 'anything')).opened).toBe(503);
  });
});
