// The minutes' co-editing on a 2G link (issue 11: `minutes.keystrokeP95Ms`, `minutes.kbitPerSecond`). The server runs
// in the bench's network namespace; the station reaches it through the 64 kbit/s `tc tbf` link and the 150 ms
// each-way proxy (RTT 300 ms), the district doctor through the unshaped path. Both use the app's own sync engine
// (IndexedDB through fake-indexeddb) and the textarea binding the minutes screen uses, and take turns typing a
// sentence into the conclusion at a person's pace (a key every 150–350 ms, from a seeded random source). A keystroke
// counts from the moment it is typed on one side to the moment the other side's text box shows it. Bytes are the
// station link's, both ways, while typing. Needs root (network namespaces).
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { Gender, docId, mainRecord, seededRandom, writeFields } from '@telehealth/domain';
import type { SocketLike } from '@telehealth/sync-client';
import { createTokenIssuer, type Principal } from '../../sync-server/src/auth/tokens';
import { SyncEngine } from '../../app/lib/sync/engine';
import { MemoryStorage } from '../../app/lib/memory-storage';
import { TextBinding } from '../../app/lib/records/co-edit';
import { Box } from '../../app/lib/records/co-edit.testing';
import { fastServerAddress, serverAddress, setUpLink, startDelayProxy, tearDownLink } from '../sync/link';
import { seed } from '../sync/ours';
import { sleep, startNode, until } from '../sync/processes';

const secret = 'bench-secret-bench-secret-bench-secret';
const station: Principal = { userId: 'user-tram.yty', role: 'station_worker', unitId: 'tyt-02701', patientId: null };
const doctor: Principal = { userId: 'user-bacsi.batxat', role: 'doctor', unitId: 'ttyt-bat-xat', patientId: null };
const port = 9_410;
const patientId = 'p-bench-minutes';
const minutesId = docId('minutes', 'r-bench-minutes');

export type MinutesResult = { keystrokes: number; keystrokeP50Ms: number; keystrokeP95Ms: number; kbitPerSecond: number; seconds: number };

const sentences = [
  'Viêm phổi cộng đồng mức độ trung bình, theo dõi SpO2 mỗi 4 giờ. ',
  'Đồng ý điều trị tại trạm, kháng sinh đường uống 7 ngày. ',
  'Chuyển tuyến nếu sốt không hạ sau 48 giờ hoặc khó thở tăng. ',
  'Hẹn hội chẩn lại sau 3 ngày qua ứng dụng. '
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function runMinutesBench(log: (s: string) => void, randomSeed = 20_261_201): Promise<MinutesResult> {
  const random = seededRandom(randomSeed);
  setUpLink(64);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thbench-minutes-'));
  const engines: SyncEngine[] = [];
  let server: Awaited<ReturnType<typeof startNode>> | undefined;
  let proxy: Awaited<ReturnType<typeof startDelayProxy>> | undefined;
  try {
    const createdAt = new Date().toISOString();
    const patient = { id: patientId, unitId: station.unitId, fullName: 'Lù Thị Mai', gender: Gender.female, dateOfBirth: '1985-04-04', createdAt, createdBy: station.userId };
    const request = {
      id: 'r-bench-minutes', patientId, fromUnitId: station.unitId, toUnitId: doctor.unitId, requestingDoctorName: 'Y sĩ Lò Văn Sính',
      requestContent: 'Xin hội chẩn viêm phổi', sentAt: createdAt, createdAt, createdBy: station.userId
    };
    await seed(dataDir, { patients: [patient], forms: [], requests: [request] });
    server = await startNode(
      ['--import', 'tsx', 'sync-server/src/main.ts'],
      { HOST: '0.0.0.0', PORT: String(port), DATA_DIR: dataDir, AUTH_SECRET: secret, SEED_DEMO: 'false', LOG_LEVEL: 'warn', APP_BUILD_DIR: '/nonexistent', SFU: 'off' },
      `http://${fastServerAddress}:${port}/healthz`
    );
    proxy = await startDelayProxy(serverAddress, port);
    const tokens = createTokenIssuer(secret, 24 * 3600);
    const statuses = new Map<SyncEngine, string>();
    const engine = (name: string, principal: Principal, origin: string) => {
      const token = tokens.issueAccess(principal, Date.now()).token;
      const e: SyncEngine = new SyncEngine({
        namespace: `bench-minutes-${name}`,
        origin,
        getToken: async () => token,
        storage: new MemoryStorage(),
        connect: (url) => new WebSocket(url, { perMessageDeflate: true }) as unknown as SocketLike,
        onStatus: (s) => statuses.set(e, `${s.state}/${s.pending}`)
      });
      engines.push(e);
      return e;
    };
    const synced = (e: SyncEngine) => until(() => statuses.get(e) === 'synced/0', 120_000, 100);

    log('minutes: the station opens the minutes over 64 kbit/s, 300 ms');
    const stationPc = engine('station', station, `http://127.0.0.1:${proxy.port}`);
    await stationPc.start();
    if (!(await synced(stationPc))) throw new Error('the station never synced');
    const onStation = await stationPc.openDoc(minutesId, { kind: 'minutes', unitId: station.unitId!, patientId, peerUnitId: doctor.unitId! });
    writeFields(mainRecord(onStation, 'minutes'), {
      id: 'r-bench-minutes', requestId: 'r-bench-minutes', patientId, requestingUnitId: station.unitId, heldAt: createdAt, createdAt, createdBy: station.userId
    });
    await sleep(50);
    if (!(await synced(stationPc))) throw new Error('the minutes never reached the server');

    const doctorPc = engine('doctor', doctor, `http://${fastServerAddress}:${port}`);
    await doctorPc.start();
    if (!(await until(() => statuses.get(doctorPc) === 'synced/0', 120_000, 100))) throw new Error('the doctor never synced');
    for (let i = 0; i < 600 && !(await doctorPc.db.docs.get(minutesId)); i++) await sleep(100);
    const onDoctor = await doctorPc.openDoc(minutesId);
    const boxes = { station: new Box(), doctor: new Box() };
    const bindings = {
      station: new TextBinding(onStation.getText('conclusion'), boxes.station),
      doctor: new TextBinding(onDoctor.getText('conclusion'), boxes.doctor)
    };

    // Each side types its sentences at the end of the field in turn; a key is seen when the other box has as many
    // characters of that side's marker as were typed (the boxes' values change through the bindings).
    const latencies: number[] = [];
    proxy.reset();
    const started = Date.now();
    for (let round = 0; round < sentences.length; round++) {
      const from = round % 2 === 0 ? 'station' : 'doctor';
      const to = from === 'station' ? 'doctor' : 'station';
      const box = boxes[from];
      for (const ch of sentences[round]!) {
        box.setSelectionRange(box.value.length, box.value.length);
        box.type(ch);
        bindings[from].input();
        const expected = box.value;
        const typedAt = performance.now();
        void until(() => boxes[to].value.startsWith(expected), 60_000, 5).then((seen) => {
          if (seen) latencies.push(performance.now() - typedAt);
        });
        await sleep(150 + Math.floor(random() * 200));
      }
      await until(() => boxes[to].value === box.value, 60_000, 20);
    }
    const keystrokes = sentences.join('').length;
    await until(() => latencies.length === keystrokes, 60_000, 20);
    const seconds = (Date.now() - started) / 1000;
    const result: MinutesResult = {
      keystrokes: latencies.length,
      keystrokeP50Ms: Math.round(percentile(latencies, 50)),
      keystrokeP95Ms: Math.round(percentile(latencies, 95)),
      kbitPerSecond: Math.round((((proxy.bytes.up + proxy.bytes.down) * 8) / 1000 / seconds) * 100) / 100,
      seconds: Math.round(seconds * 10) / 10
    };
    if (boxes.station.value !== boxes.doctor.value) throw new Error('the two sides ended with different minutes');
    log(`minutes: ${JSON.stringify(result)}`);
    return result;
  } finally {
    for (const e of engines) await e.stop();
    await proxy?.close();
    await server?.stop();
    tearDownLink();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
