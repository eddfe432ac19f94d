// An acknowledged update is durable: kill -9 of the server right after the acknowledgements, before or during
// compaction, loses nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { docId, mainRecord, writeFields, writeForm } from '@telehealth/domain';
import { device, waitFor } from './harness';
import { backends } from './databases';

const root = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', APP_BUILD_DIR: '/nonexistent', ...env },
    stdio: ['ignore', 'ignore', 'inherit']
  });
  const url = `http://127.0.0.1:${env.PORT}/healthz`;
  return (async () => {
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      if (await fetch(url).then((r) => r.ok, () => false)) return child;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  })();
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

describe.each(backends)('durability on $name', (backend) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it('loses no acknowledged update when the server is killed with SIGKILL, twice, with compaction running', async () => {
    const db = await backend.create();
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'telehealth-kill-')),
      COMPACTION_INTERVAL_MS: '20',
      SEED_DEMO: 'true',
      // Durability, not calls: no Janus (a SIGKILLed server's Janus would outlive it until the next start reaps it).
      SFU: 'off',
      ...(backend.name === 'PostgreSQL' ? { DATABASE_URL: db.url, SYNC_BUS: 'local' } : {})
    };
    if (backend.name !== 'PostgreSQL') await db.drop();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(env);
    children.push(server);

    const station = await device(base, 'tram.yty');
    const written: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 30; i++) {
        const id = `p-${round}-${i}`;
        written.push(id);
        station.store.edit(docId('patient', id), { kind: 'patient', unitId: 'tyt-02701', patientId: id }, (doc) => {
          writeFields(mainRecord(doc, 'patient'), { fullName: `Người bệnh ${id}` });
          for (let f = 0; f < 12; f++) writeForm(doc, `f${f}`, { symptoms: `lần ${f}` });
        });
        await station.client.localChange();
        // Many small updates per chart, sent one by one, so that compaction has work to do.
        for (let e = 0; e < 12; e++) {
          station.store.edit(docId('patient', id), undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { address: `Thôn ${e}` }));
          await station.client.localChange();
        }
      }
      await waitFor(() => station.client.currentStatus.pending === 0, 20_000, 'every update acknowledged');
      await killed(server);
      server = await startServer(env);
      children.push(server);
    }
    station.client.stop();

    const fresh = await device(base, 'tram.yty');
    await fresh.synced(20_000);
    fresh.client.stop();
    for (const id of written) {
      const patient = mainRecord(fresh.store.doc(docId('patient', id)), 'patient').toJSON();
      expect(patient, id).toEqual({ fullName: `Người bệnh ${id}`, address: 'Thôn 11' });
    }
    await killed(server);
    if (backend.name === 'PostgreSQL') {
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from updates`;
      await sql.end();
      expect(row!.n, 'compaction merged updates').toBeLessThan(written.length * 13);
      await db.drop();
    }
  }, 120_000);
});
