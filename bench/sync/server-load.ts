// Server load on this 2-core machine, on loopback with a real PostgreSQL: memory with 1,000 idle devices
// connected, and 300 stations pushing 80 updates each at once until every update is durable and acknowledged.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import WebSocket from 'ws';
import { MemoryDeviceStore, SyncClient, type SocketLike } from '@telehealth/sync-client';
import { MessageType, PROTOCOL_VERSION, decodeServerMessage, encodeClientMessage } from '@telehealth/protocol';
import { docId, mainRecord, writeFields, writeForm } from '@telehealth/domain';
import { createTokenIssuer } from '../../sync-server/src/auth/tokens';
import { startThrowawayPostgres } from '../../scripts/lib/postgres.mjs';
import { startNode, until } from './processes';

const secret = 'bench-secret-bench-secret-bench-secret';
const port = 9_600;

const rssMB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const tokenFor = (i: number) =>
  createTokenIssuer(secret, 3_600).issueAccess({ userId: `bench-user-${i}`, role: 'station_worker', unitId: `bench-tyt-${i}`, patientId: null }, Date.now()).token;

export async function runServerLoad(log: (s: string) => void) {
  const pg = await startThrowawayPostgres();
  const server = await startNode(
    ['--import', 'tsx', 'sync-server/src/main.ts'],
    { HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: pg.url, AUTH_SECRET: secret, SEED_DEMO: 'false', SYNC_BUS: 'local', LOG_LEVEL: 'warn', COMPACTION_INTERVAL_MS: '0', APP_BUILD_DIR: '/nonexistent', SYNC_MAX_CONNECTIONS_PER_ADDRESS: '5000', PROJECTIONS: process.env.PROJECTIONS ?? 'true' },
    `http://127.0.0.1:${port}/healthz`,
    false
  );
  const url = `ws://127.0.0.1:${port}/sync`;
  try {
    // The accounts the bench's tokens name: a connection's hello checks that its account exists and is enabled.
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    const ids = Array.from({ length: 1_000 }, (_, i) => i);
    await sql`insert into units ${sql(ids.map((i) => ({ id: `bench-tyt-${i}`, kind: 'station', name: `Bench ${i}`, province_code: '01' })))}`;
    await sql`insert into users ${sql(ids.map((i) => ({ id: `bench-user-${i}`, username: `bench-user-${i}`, display_name: `Bench ${i}`, role: 'station_worker', unit_id: `bench-tyt-${i}`, password_hash: 'x' })))}`;
    await sql.end();
    const baseRss = rssMB(server.child.pid!);
    log(`server: ${baseRss.toFixed(0)} MB RSS at rest; opening 1,000 idle connections`);
    const sockets: WebSocket[] = [];
    let caughtUp = 0;
    for (let i = 0; i < 1_000; i++) {
      const ws = new WebSocket(url, { perMessageDeflate: true });
      ws.on('open', () =>
        ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token: tokenFor(i), deviceId: `bench-idle-${i}`.padEnd(8, '0'), cursor: { e: 0, s: 0 } }))
      );
      ws.on('message', (data) => {
        const m = decodeServerMessage(new Uint8Array(data as Buffer));
        if (m.ok && m.message.type === MessageType.chunk && m.message.caughtUp) caughtUp++;
      });
      sockets.push(ws);
      if (i % 100 === 99) await until(() => caughtUp > i - 50, 30_000, 10);
    }
    await until(() => caughtUp === 1_000, 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const idleRssMB = rssMB(server.child.pid!);
    log(`server: ${idleRssMB.toFixed(0)} MB RSS with ${caughtUp} idle devices connected`);
    for (const ws of sockets) ws.close();
    await new Promise((r) => setTimeout(r, 1_000));

    log('server: 300 stations × 80 updates at once');
    const clients = Array.from({ length: 300 }, (_, i) => {
      const store = new MemoryDeviceStore(100_000 + i);
      for (let u = 0; u < 80; u++) {
        const id = `b${i}-${u}`;
        store.edit(docId('patient', id), { kind: 'patient', unitId: `bench-tyt-${i}`, patientId: id }, (doc) => {
          writeFields(mainRecord(doc, 'patient'), { id, fullName: `Người bệnh ${i}-${u}`, gender: 'female', dateOfBirth: '1990-01-01', address: 'Thôn Sín Chải' });
          writeForm(doc, `f${u}`, { symptoms: 'Sốt cao 2 ngày, ho khan, đau họng', pulse: 88, temperatureC: 38.6, mainIcd: 'J06.9' });
        });
      }
      const token = tokenFor(i);
      return new SyncClient({
        url,
        deviceId: `bench-burst-${i}`.padEnd(8, '0'),
        getToken: async () => token,
        store,
        connect: (u) => new WebSocket(u, { perMessageDeflate: true }) as unknown as SocketLike,
        backoff: { minMs: 200, maxMs: 2_000 }
      });
    });
    const start = Date.now();
    for (const c of clients) c.start();
    const done = await until(() => clients.every((c) => c.currentStatus.pending === 0 && c.currentStatus.state === 'synced'), 300_000, 100);
    const burstSeconds = (Date.now() - start) / 1000;
    for (const c of clients) c.stop();
    log(`server: burst ${done ? 'acknowledged' : 'NOT complete'} in ${burstSeconds.toFixed(1)} s`);
    return { idleRssMB, restRssMB: baseRss, idleConnections: caughtUp, burstSeconds, burstCompleted: done, burstUpdates: 300 * 80 };
  } finally {
    await server.stop();
    pg.stop();
  }
}
