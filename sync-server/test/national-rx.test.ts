// Sending issued prescriptions to the national prescription system (M10), against the local stand-in served over
// HTTP on its own port: each is received exactly once, across a dropped link and a server restart; one the system
// refuses is shown rejected with its field errors; the station lists its own and no one else's.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docId, mainRecord, newPrescriptionCode, seededRandom, writeFields, type DocMeta } from '@telehealth/domain';
import { createStandIn } from '../src/national-rx/stand-in';
import type { OutboxRow } from '../src/national-rx/outbox';
import { device, login, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const patientId = 'p-rx-national';
const at = '2026-12-01T02:00:00.000Z';

describe('the outbox to the national prescription system', () => {
  const standIn = createStandIn();
  let standInServer: Server;
  let standInPort = 0;
  let system: TestSystem;
  let yty: Device;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'telehealth-rx-'));
  const random = seededRandom(808);
  const codes = new Set<string>();

  const listen = (port: number) =>
    new Promise<Server>((resolve) => {
      const server = createServer(getRequestListener(standIn.app.fetch));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  const start = (port = 0) =>
    startTestSystem({ dataDir, port, env: { NATIONAL_RX_URL: `http://127.0.0.1:${standInPort}`, NATIONAL_RX_PASSWORDS: '15122:stand-in', NATIONAL_RX_RETRY_MS: '200' } });
  const list = async (username = 'tram.yty'): Promise<{ status: number; rows: OutboxRow[] }> => {
    const { accessToken } = await login(system.url, username);
    const res = await fetch(`${system.url}/api/prescriptions/national`, { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: res.status, rows: res.ok ? ((await res.json()) as { prescriptions: OutboxRow[] }).prescriptions : [] };
  };
  const rowOf = async (code: string) => (await list()).rows.find((r) => r.code === code);
  /** Issues a prescription from the station's device; returns its code. */
  const issue = async (id: string, code?: string) => {
    const made = code ?? newPrescriptionCode('15122', 'c', random, (c) => codes.has(c));
    const theCode = typeof made === 'string' ? made : made.ok ? made.code : '';
    codes.add(theCode);
    const meta: DocMeta = { kind: 'prescription', unitId: station, patientId };
    yty.store.edit(docId('prescription', id), meta, (doc) =>
      writeFields(mainRecord(doc, 'prescription'), {
        id,
        patientId,
        unitId: station,
        type: 'c',
        diagnosis: 'Tăng huyết áp',
        icds: ['I10'],
        items: [{ drugName: 'Amlodipin', strength: '5 mg', unit: 'viên', quantity: 30, days: 30, usage: 'Uống 1 viên mỗi sáng' }],
        prescriberName: 'Y sĩ Lò Thị Hoa',
        code: theCode,
        issuedAt: at,
        createdAt: at,
        createdBy: 'user-tram.yty'
      })
    );
    await yty.client.localChange();
    await yty.synced();
    expect(yty.store.refusedEntries).toEqual([]);
    return theCode;
  };

  beforeAll(async () => {
    standInServer = await listen(0);
    standInPort = (standInServer.address() as { port: number }).port;
    system = await start();
    yty = await device(system.url, 'tram.yty');
    yty.store.edit(docId('patient', patientId), { kind: 'patient', unitId: station, patientId }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { id: patientId, unitId: station, fullName: 'Vàng Seo Páo', gender: 'male', dateOfBirth: '1958-02-11', insuranceNumber: 'HT2151234567890' })
    );
    await yty.client.localChange();
    await yty.synced();
  });

  afterAll(async () => {
    yty.client.stop();
    await system.stop();
    standInServer.close();
  });

  it('sends an issued prescription once, with the patient and the drugs as the connection guide has them', async () => {
    const code = await issue('rx-n1');
    await waitFor(async () => (await rowOf(code))?.state === 'sent', 20_000, 'sent');
    const received = JSON.parse(standIn.received.get(code)!.body) as Record<string, unknown>;
    expect(received).toMatchObject({
      ma_lien_thong_co_so_kham_chua_benh: '15122',
      ma_don_thuoc: code,
      loai_don_thuoc: 'c',
      ho_ten_benh_nhan: 'Vàng Seo Páo',
      ngay_sinh_benh_nhan: '11/02/1958',
      gioi_tinh: 1,
      ma_so_the_bao_hiem_y_te: 'HT2151234567890',
      chan_doan: [{ ma_chan_doan: 'I10', ten_chan_doan: 'Tăng huyết áp', ket_luan: 'Tăng huyết áp' }],
      thong_tin_don_thuoc: [{ ten_thuoc: 'Amlodipin 5 mg', don_vi_tinh: 'viên', so_luong: 30, cach_dung: 'Uống 1 viên mỗi sáng. 30 ngày' }],
      // 02:00 UTC is 09:00 in Vietnam.
      ngay_gio_ke_don: '2026-12-01 09:00:00',
      ho_ten_bac_si: 'Y sĩ Lò Thị Hoa'
    });
    expect(standIn.received.get(code)!.times).toBe(1);
  });

  it('keeps a prescription pending while the link is down, across a server restart, and sends it once when it is back', async () => {
    await new Promise<void>((resolve) => standInServer.close(() => resolve()));
    standInServer.closeAllConnections();
    const code = await issue('rx-n2');
    await waitFor(async () => ((await rowOf(code))?.attempts ?? 0) >= 2, 20_000, 'tried and failed twice');
    const pending = (await rowOf(code))!;
    expect(pending.state).toBe('pending');
    expect(pending.lastError).toBeTruthy();
    expect(standIn.received.has(code)).toBe(false);

    // The server stops and starts again; the link comes back.
    const port = system.port;
    yty.client.stop();
    await system.stop();
    standInServer = await listen(standInPort);
    system = await start(port);
    await waitFor(async () => (await rowOf(code))?.state === 'sent', 20_000, 'sent after the restart');
    expect(standIn.received.get(code)!.times).toBe(1);
    // The first one was not sent again.
    expect([...standIn.received.values()].every((r) => r.times === 1)).toBe(true);
    yty = await device(system.url, 'tram.yty');
    await yty.synced();
  });

  it('shows a prescription the system refuses as rejected, with its errors, and never sends it again', async () => {
    // The national system already holds this code with other content (as if issued elsewhere).
    const made = newPrescriptionCode('15122', 'c', random, (c) => codes.has(c));
    if (!made.ok) throw new Error(made.problem);
    standIn.received.set(made.code, { body: '{}', times: 1 });
    await issue('rx-n3', made.code);
    await waitFor(async () => (await rowOf(made.code))?.state === 'rejected', 20_000, 'rejected');
    expect((await rowOf(made.code))!.errors).toEqual([{ field: 'ma_don_thuoc', message: 'Mã đơn thuốc đã tồn tại' }]);
    const attempts = (await rowOf(made.code))!.attempts;
    await system.rxOutbox.runOnce();
    expect((await rowOf(made.code))!.attempts).toBe(attempts);
  });

  it('lists a station’s own prescriptions only, to its staff only', async () => {
    expect((await list('tram.yty')).rows.map((r) => r.docId).sort()).toEqual(['prescription:rx-n1', 'prescription:rx-n2', 'prescription:rx-n3']);
    expect((await list('tram.amusung')).rows).toEqual([]);
    expect((await list('bacsi.batxat')).status).toBe(403);
    expect((await list('0912345678')).status).toBe(403);
  });
});
