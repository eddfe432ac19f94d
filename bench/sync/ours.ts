// The link scenarios for this project's sync: initial provisioning with drops, a day offline, idle reconnect.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { chartForms, docId, mainRecord, writeFields, writeForm, type DocMeta } from '@telehealth/domain';
import { MemoryDeviceStore, SyncClient, type SocketLike } from '@telehealth/sync-client';
import { createTokenIssuer, type Principal } from '../../sync-server/src/auth/tokens';
import { chartGrantOnSend, decideCreate } from '../../sync-server/src/sync/access';
import { seedDemo } from '../../sync-server/src/demo-seed';
import { startEmbeddedPostgres } from '../../sync-server/src/storage/embedded-postgres';
import { connectPostgres, createPostgresStorage } from '../../sync-server/src/storage/postgres-storage';
import type { LogWrite } from '../../sync-server/src/storage/storage';
import type { Commune } from './generate';
import { fastServerAddress, serverAddress, startDelayProxy, untilWithDrops } from './link';
import { startNode, until } from './processes';

const secret = 'bench-secret-bench-secret-bench-secret';
const station: Principal = { userId: 'user-tram.yty', role: 'station_worker', unitId: 'tyt-02701', patientId: null };
const doctor: Principal = { userId: 'user-bacsi.batxat', role: 'doctor', unitId: 'ttyt-bat-xat', patientId: null };
const stationClientId = 7_001;
const port = 9_400;

/** The charts of the commune as the station's device wrote them: one Yjs update per patient chart. */
export function commmuneCharts(commune: Commune): { id: string; update: Uint8Array; meta: DocMeta }[] {
  const formsByPatient = new Map<string, Record<string, unknown>[]>();
  for (const f of commune.forms) formsByPatient.set(String(f.patientId), [...(formsByPatient.get(String(f.patientId)) ?? []), f]);
  return commune.patients.map((p) => {
    const doc = new Y.Doc();
    doc.clientID = stationClientId;
    doc.transact(() => {
      writeFields(mainRecord(doc, 'patient'), p);
      for (const f of formsByPatient.get(String(p.id)) ?? []) writeForm(doc, String(f.id), f);
    });
    const id = String(p.id);
    return { id: docId('patient', id), update: Y.encodeStateAsUpdateV2(doc), meta: { kind: 'patient', unitId: 'tyt-02701', patientId: id } };
  });
}

/** Seeds the commune (and the demo accounts) into an embedded database in dataDir. */
export async function seed(dataDir: string, commune: Commune) {
  const embedded = await startEmbeddedPostgres(path.join(dataDir, 'pglite'));
  const storage = createPostgresStorage(connectPostgres(embedded.url, 1));
  await storage.migrate();
  await seedDemo(storage, { N: 2 ** 10, r: 8, p: 1 });
  const ctx = {
    linkedUnits: (u: string) => storage.linkedUnits(u),
    getDoc: (id: string) => storage.log.getDoc(id),
    requestPeers: (p: string) => storage.log.requestPeers(p),
    patientAccountUnit: (p: string) => storage.patientAccountUnit(p)
  };
  const writes: LogWrite[] = [];
  for (const chart of commmuneCharts(commune)) {
    const d = await decideCreate(station, chart.id, chart.meta, ctx);
    if (!d.ok) throw new Error(d.message);
    writes.push({ docId: chart.id, origin: 'seed-station-pc', data: chart.update, create: d.create, grants: d.grants });
  }
  for (let i = 0; i < writes.length; i += 250) await storage.log.append(writes.slice(i, i + 250));
  for (const r of commune.requests) {
    const doc = new Y.Doc();
    doc.clientID = stationClientId;
    writeFields(mainRecord(doc, 'request'), r);
    const id = docId('request', String(r.id));
    const meta: DocMeta = { kind: 'request', unitId: 'tyt-02701', patientId: String(r.patientId), peerUnitId: 'ttyt-bat-xat' };
    const d = await decideCreate(station, id, meta, ctx);
    if (!d.ok) throw new Error(d.message);
    // The commune's requests are sent ones: their charts are open to the upper unit.
    const grants = [...d.grants, ...chartGrantOnSend({ ...meta, id, createdSeq: 0 }, true)];
    await storage.log.append([{ docId: id, origin: 'seed-station-pc', data: Y.encodeStateAsUpdateV2(doc), create: d.create, grants }]);
  }
  await storage.close();
  await embedded.stop();
}

function client(url: string, store: MemoryDeviceStore, deviceId: string, principal: Principal) {
  const token = createTokenIssuer(secret, 24 * 3600).issueAccess(principal, Date.now()).token;
  return new SyncClient({
    url,
    deviceId,
    getToken: async () => token,
    store,
    connect: (u) => new WebSocket(u, { perMessageDeflate: true }) as unknown as SocketLike,
    backoff: { minMs: 500, maxMs: 2_000 }
  });
}

const synced = (c: SyncClient) => c.currentStatus.state === 'synced' && c.currentStatus.pending === 0;

export type OursResult = {
  initial: { bytes: number; seconds: number; completed: boolean; drops: number; charts: number };
  day: { upBytes: number; downBytes: number; seconds: number; completed: boolean };
  idle: { bytes: number; seconds: number; roundTrips: number; appStarts: number };
};

export async function runOurs(commune: Commune, log: (s: string) => void, initialCapMs = 15 * 60_000): Promise<OursResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thbench-ours-'));
  log('ours: seeding the commune into the server');
  await seed(dataDir, commune);
  const server = await startNode(
    ['--import', 'tsx', 'sync-server/src/main.ts'],
    { HOST: '0.0.0.0', PORT: String(port), DATA_DIR: dataDir, AUTH_SECRET: secret, SEED_DEMO: 'false', LOG_LEVEL: 'warn', COMPACTION_INTERVAL_MS: '0', APP_BUILD_DIR: '/nonexistent' },
    `http://${fastServerAddress}:${port}/healthz`
  );
  const proxy = await startDelayProxy(serverAddress, port);
  const slowUrl = `ws://127.0.0.1:${proxy.port}/sync`;
  const fastUrl = `ws://${fastServerAddress}:${port}/sync`;
  try {
    // Initial provisioning of a new station device, with three forced disconnections.
    log('ours: initial provisioning over 64 kbit/s, 300 ms');
    const store = new MemoryDeviceStore(stationClientId + 1);
    const deviceId = 'bench-station-tablet';
    let c = client(slowUrl, store, deviceId, station);
    proxy.reset();
    const start = Date.now();
    c.start();
    const { completed, drops } = await untilWithDrops(proxy, [600_000, 1_200_000, 1_800_000], () => synced(c), initialCapMs, (bytes) =>
      log(`ours: drop at ${bytes} bytes down`)
    );
    const initial = {
      bytes: proxy.bytes.up + proxy.bytes.down,
      seconds: (Date.now() - start) / 1000,
      completed,
      drops,
      charts: [...store.docs.keys()].filter((k) => k.startsWith('patient:')).length
    };
    log(`ours: initial ${JSON.stringify(initial)}`);

    // A day offline: the station works offline while the upper unit reviews the 20 requests.
    c.stop();
    const reviewerStore = new MemoryDeviceStore(8_001);
    const reviewer = client(fastUrl, reviewerStore, 'bench-doctor-pc', doctor);
    reviewer.start();
    for (const r of commune.requests) {
      reviewerStore.edit(
        docId('review', String(r.id)),
        { kind: 'review', unitId: 'ttyt-bat-xat', patientId: String(r.patientId), peerUnitId: 'tyt-02701' },
        (doc) => writeFields(mainRecord(doc, 'review'), { status: 'scheduled', review: 'Đồng ý chẩn đoán, hẹn hội chẩn sáng thứ Hai lúc 9 giờ', scheduledAt: '2026-11-23T09:00:00+07:00' })
      );
    }
    await reviewer.localChange();
    await until(() => synced(reviewer), 60_000);
    reviewer.stop();
    const charts = [...store.docs.keys()].filter((k) => k.startsWith('patient:'));
    for (let i = 0; i < 10; i++) {
      const id = `p-day-${i}`;
      store.edit(docId('patient', id), { kind: 'patient', unitId: 'tyt-02701', patientId: id }, (doc) =>
        writeFields(mainRecord(doc, 'patient'), { ...commune.patients[i], id, fullName: `Người bệnh mới ${i}` })
      );
    }
    for (let i = 0; i < 40; i++) {
      const chart = i < 10 ? docId('patient', `p-day-${i}`) : charts[i * 97]!;
      store.edit(chart, undefined, (doc) => writeForm(doc, `f-day-${i}`, { ...commune.forms[i], id: `f-day-${i}` }));
    }
    for (let i = 0; i < 30; i++) {
      store.edit(charts[i * 131]!, undefined, (doc) => {
        const forms = chartForms(doc);
        const first = [...forms.keys()][0];
        if (i % 2 === 0 || !first) writeFields(mainRecord(doc, 'patient'), { phone: `09${String(10_000_000 + i)}` });
        else writeFields(forms.get(first)!, { advice: 'Tái khám sau 3 ngày nếu còn sốt' });
      });
    }
    proxy.reset();
    const dayStart = Date.now();
    c = client(slowUrl, store, deviceId, station);
    c.start();
    const reviewsIn = () => commune.requests.every((r) => store.docs.has(docId('review', String(r.id))));
    const dayDone = await until(() => synced(c) && reviewsIn(), 120_000);
    const day = { upBytes: proxy.bytes.up, downBytes: proxy.bytes.down, seconds: (Date.now() - dayStart) / 1000, completed: dayDone };
    log(`ours: day ${JSON.stringify(day)}`);
    c.stop();

    // 1,000 app starts (each a connection and an edit, over the fast path), then an idle reconnect on the slow link.
    log('ours: 1,000 app starts');
    const appStarts = 1_000;
    for (let i = 0; i < appStarts; i++) {
      const s = client(fastUrl, store, deviceId, station);
      store.edit(charts[i % charts.length]!, undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation: `Làm nương ${i}` }));
      s.start();
      await until(() => synced(s), 30_000, 5);
      s.stop();
    }
    proxy.reset();
    const idleStart = Date.now();
    c = client(slowUrl, store, deviceId, station);
    c.start();
    await until(() => synced(c), 60_000, 5);
    const seconds = (Date.now() - idleStart) / 1000;
    const idle = { bytes: proxy.bytes.up + proxy.bytes.down, seconds, roundTrips: Math.round(seconds / 0.3), appStarts };
    log(`ours: idle ${JSON.stringify(idle)}`);
    c.stop();
    return { initial, day, idle };
  } finally {
    await proxy.close();
    await server.stop();
  }
}
