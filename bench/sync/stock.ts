// The same link scenarios for stock y-websocket (client 3.1.0, @y/websocket-server 0.1.1) in the layout that
// suits it best: the whole commune in one document (per-record maps), so one state-vector exchange per sync.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Commune } from './generate';
import { fastServerAddress, serverAddress, startDelayProxy, untilWithDrops } from './link';
import { startNode, until } from './processes';

const port = 9_500;
const room = 'commune';

const putRecord = (doc: Y.Doc, mapName: string, rec: Record<string, unknown>) => {
  const m = new Y.Map<unknown>();
  doc.getMap(mapName).set(String(rec.id), m);
  for (const [k, v] of Object.entries(rec)) m.set(k, v);
};

export function stockBase(commune: Commune): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 7_001;
  doc.transact(() => {
    for (const p of commune.patients) putRecord(doc, 'patients', p);
    for (const f of commune.forms) putRecord(doc, 'forms', f);
    for (const r of commune.requests) putRecord(doc, 'requests', r);
  });
  return Y.encodeStateAsUpdate(doc);
}

function provider(url: string, doc: Y.Doc) {
  return new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true });
}

/**
 * Closes a provider for good. `destroy()` leaves the Awareness it made running: y-protocols' Awareness has a
 * 3-second setInterval that only the document's destruction stops, so each of the ~1,000 providers of a run kept
 * the benchmark's process alive after it printed its results.
 */
function close(p: WebsocketProvider) {
  p.destroy();
  p.awareness.destroy();
}

export type StockResult = {
  initial: { bytes: number; seconds: number; completed: boolean; drops: number; reconnects: number };
  day: { upBytes: number; downBytes: number; seconds: number; completed: boolean };
  idle: { bytes: number; seconds: number; roundTrips: number; appStarts: number };
};

export async function runStock(commune: Commune, log: (s: string) => void, initialCapMs = 8 * 60_000): Promise<StockResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'thbench-stock-'));
  const baseFile = path.join(dir, 'base.bin');
  const base = stockBase(commune);
  writeFileSync(baseFile, base);
  const server = await startNode(['--import', 'tsx', 'bench/sync/stock-server.ts', String(port), baseFile], {}, `http://${fastServerAddress}:${port}/`);
  const proxy = await startDelayProxy(serverAddress, port);
  const slowUrl = `ws://127.0.0.1:${proxy.port}`;
  const fastUrl = `ws://${fastServerAddress}:${port}`;
  try {
    // Warm the server's copy first (its cold load is not what is measured).
    const warm = new Y.Doc();
    const w = provider(fastUrl, warm);
    await until(() => w.synced, 120_000);
    close(w);

    log('stock: initial provisioning over 64 kbit/s, 300 ms');
    const doc = new Y.Doc();
    proxy.reset();
    const start = Date.now();
    const p = provider(slowUrl, doc);
    const { completed, drops } = await untilWithDrops(proxy, [600_000, 1_200_000, 1_800_000], () => p.synced, initialCapMs);
    const initial = { bytes: proxy.bytes.up + proxy.bytes.down, seconds: (Date.now() - start) / 1000, completed, drops, reconnects: proxy.connections - 1 };
    close(p);
    log(`stock: initial ${JSON.stringify(initial)}`);

    // A day offline, from a device that holds the whole commune (as if provisioned some other way).
    const station = new Y.Doc();
    Y.applyUpdate(station, base);
    station.clientID = 7_002;
    const reviewerDoc = new Y.Doc();
    const reviewer = provider(fastUrl, reviewerDoc);
    await until(() => reviewer.synced, 120_000);
    reviewerDoc.transact(() => {
      for (const r of commune.requests) putRecord(reviewerDoc, 'reviews', { id: r.id, status: 'scheduled', review: 'Đồng ý chẩn đoán, hẹn hội chẩn sáng thứ Hai lúc 9 giờ', scheduledAt: '2026-11-23T09:00:00+07:00' });
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const formIds = [...station.getMap('forms').keys()];
    const patientIds = [...station.getMap('patients').keys()];
    for (let i = 0; i < 10; i++) station.transact(() => putRecord(station, 'patients', { ...commune.patients[i], id: `p-day-${i}`, fullName: `Người bệnh mới ${i}` }));
    for (let i = 0; i < 40; i++) station.transact(() => putRecord(station, 'forms', { ...commune.forms[i], id: `f-day-${i}` }));
    for (let i = 0; i < 30; i++) {
      station.transact(() => {
        if (i % 2 === 0) (station.getMap('patients').get(patientIds[i * 131]!) as Y.Map<unknown>).set('phone', `09${String(10_000_000 + i)}`);
        else (station.getMap('forms').get(formIds[i * 97]!) as Y.Map<unknown>).set('advice', 'Tái khám sau 3 ngày nếu còn sốt');
      });
    }
    station.getMap('meta').set('marker', 'day-done');
    proxy.reset();
    const dayStart = Date.now();
    const sp = provider(slowUrl, station);
    const dayDone = await until(() => sp.synced && reviewerDoc.getMap('meta').get('marker') === 'day-done' && station.getMap('reviews').size === commune.requests.length, 120_000);
    const day = { upBytes: proxy.bytes.up, downBytes: proxy.bytes.down, seconds: (Date.now() - dayStart) / 1000, completed: dayDone };
    close(sp);
    close(reviewer);
    log(`stock: day ${JSON.stringify(day)}`);

    // 1,000 app starts: each a new Y.Doc client id (what a page load gives), one edit, synced over the fast path.
    log('stock: 1,000 app starts');
    const appStarts = 1_000;
    for (let i = 0; i < appStarts; i++) {
      station.clientID = Math.floor(Math.random() * 2 ** 31);
      const s = provider(fastUrl, station);
      await until(() => s.synced, 30_000, 2);
      (station.getMap('patients').get(patientIds[i % patientIds.length]!) as Y.Map<unknown>).set('occupation', `Làm nương ${i}`);
      await new Promise((r) => setTimeout(r, 5));
      close(s);
    }
    station.clientID = Math.floor(Math.random() * 2 ** 31);
    proxy.reset();
    const idleStart = Date.now();
    const ip = provider(slowUrl, station);
    await until(() => ip.synced, 60_000, 5);
    const seconds = (Date.now() - idleStart) / 1000;
    // Let the client's answer to the server's SyncStep1 (its SyncStep2) go out too.
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = { bytes: proxy.bytes.up + proxy.bytes.down, seconds, roundTrips: Math.round(seconds / 0.3), appStarts };
    close(ip);
    log(`stock: idle ${JSON.stringify(idle)}`);
    return { initial, day, idle };
  } finally {
    await proxy.close();
    await server.stop();
  }
}
