// Remote signers (criterion 61): the chair signs the minutes with a CSC signHash service (a PIN), the secretary with
// a confirm-on-phone service (SmartCA's shape: the signature waits until the signer confirms). Both services are
// local stand-ins on real HTTP ports; the device sends only a digest, through the server, which holds the services'
// credentials. pdfsig finds both signatures valid. A wrong PIN, a refusal on the phone, another account asking for
// someone's transaction and a malformed digest are refused.
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalRecord, mainRecord, writeFields } from '@telehealth/domain';
import { signPdf } from '@telehealth/signing/sign';
import { RemoteSigningError, remoteSigner, type RemoteProvider } from '@telehealth/signing/remote';
import { makeTestP12, minimalPdf } from '@telehealth/signing/signing.testing';
import { cscStandIn, smartCaStandIn } from '../src/signing/stand-ins';
import { device, login, startTestSystem, waitFor, type TestSystem } from './harness';

async function listen(app: Hono): Promise<{ url: string; server: Server }> {
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('remote signers', () => {
  const chair = makeTestP12('Vàng A Chủ Trì (MySign)');
  const secretary = makeTestP12('Lý Thị Thư Ký (SmartCA)');
  const csc = cscStandIn({ keyPem: chair.keyPem, certificate: chair.certificate, credentialID: 'cred-001', pin: '123456', token: 'csc-service-token' });
  const smartca = smartCaStandIn({ keyPem: secretary.keyPem, certificate: secretary.certificate, userId: '001090012345', spId: 'sp-tyt', spPassword: 'sp-secret' });
  let servers: Server[] = [];
  let system: TestSystem;
  let stationToken: string;
  let doctorToken: string;
  /** The minutes the station printed (the first signature names their content). */
  let stationContent: string;
  const docId = 'minutes:r-remote';
  const dir = mkdtempSync(path.join(tmpdir(), 'remote-signing-'));

  beforeAll(async () => {
    const a = await listen(csc.app);
    const b = await listen(smartca.app);
    servers = [a.server, b.server];
    system = await startTestSystem({
      env: { SIGNING_CSC_URL: `${a.url}/csc/v1`, SIGNING_CSC_TOKEN: 'csc-service-token', SIGNING_SMARTCA_URL: b.url, SIGNING_SMARTCA_SP_ID: 'sp-tyt', SIGNING_SMARTCA_SP_PASSWORD: 'sp-secret' }
    });
    const station = await device(system.url, 'tram.yty');
    const meta = { kind: 'minutes', unitId: 'tyt-02701', patientId: 'p-remote', peerUnitId: 'ttyt-bat-xat' } as const;
    station.store.edit('patient:p-remote', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-remote' }, (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Thào A Dình' }));
    station.store.edit(docId, meta, (doc) => {
      writeFields(mainRecord(doc, 'minutes'), { id: 'r-remote', requestId: 'r-remote', patientId: 'p-remote', requestingUnitId: 'tyt-02701', heldAt: '2026-12-01T03:00:00.000Z', completedAt: '2026-12-01T04:00:00.000Z' });
      doc.getText('conclusion').insert(0, 'Kết luận ký từ xa');
    });
    await station.client.localChange();
    await station.synced();
    stationToken = station.token;
    station.client.stop();
    stationContent = createHash('sha256').update(canonicalRecord(station.store.doc(docId), 'minutes')).digest('hex');
    doctorToken = (await login(system.url, 'bacsi.batxat')).accessToken;
  });
  afterAll(async () => {
    await system.stop();
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const relay = (token: string) => (p: string, init: RequestInit = {}) => fetch(`${system.url}${p}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  const signer = (token: string, provider: RemoteProvider, user: string, pin?: string) => remoteSigner({ fetch: relay(token), provider, user, pin, docId, pollMs: 20, timeoutMs: 20_000 });
  const upload = (token: string, pdf: Uint8Array, query: string) =>
    fetch(`${system.url}/api/signatures/${encodeURIComponent(docId)}?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body: pdf });

  it('signs with a CSC service and a confirm-on-phone service, only digests leaving the device, both signatures valid', async () => {
    const listed = await (await relay(stationToken)('/api/signing/remote')).json();
    expect(listed).toEqual({ providers: ['csc', 'smartca'] });

    const first = await signPdf(minimalPdf(), await signer(stationToken, 'csc', 'cred-001', '123456'), { reason: 'Chủ tọa', fieldName: 'chair-1' });
    expect(csc.signed()).toBe(1);
    expect((await upload(stationToken, first, `role=chair&version=1&content=${stationContent}`)).status).toBe(201);

    // The secretary's signature waits for the confirmation on the phone.
    const pending = signPdf(first, await signer(doctorToken, 'smartca', '001090012345'), { reason: 'Thư ký', fieldName: 'secretary-2' });
    await waitFor(() => smartca.pending() === 1, 10_000, 'the transaction on the phone');
    smartca.confirm();
    const second = await pending;
    expect((await upload(doctorToken, second, 'role=secretary&version=2')).status).toBe(201);

    const file = path.join(dir, 'signed.pdf');
    writeFileSync(file, second);
    let report: string;
    try {
      report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    } catch (err) {
      report = String((err as { stdout?: string }).stdout ?? '');
    }
    expect(report.match(/Signature is Valid/g)).toHaveLength(2);
    expect(report).toContain('Vàng A Chủ Trì (MySign)');
    expect(report).toContain('Lý Thị Thư Ký (SmartCA)');
  });

  it('refuses a wrong PIN, a refusal on the phone, another account asking for a transaction, and malformed requests', async () => {
    await expect(signPdf(minimalPdf(), await signer(stationToken, 'csc', 'cred-001', '000000'), { reason: 'x', fieldName: 'x' })).rejects.toThrow(/wrong PIN|refused/);

    const refused = signPdf(minimalPdf(), await signer(doctorToken, 'smartca', '001090012345'), { reason: 'x', fieldName: 'x' });
    await waitFor(() => smartca.pending() === 1, 10_000, 'the transaction on the phone');
    smartca.reject();
    await expect(refused).rejects.toSatisfy((e) => e instanceof RemoteSigningError || (e as Error).message.includes('refused'));

    // A transaction is asked for only by the account that started it.
    const digest = Buffer.alloc(32, 7).toString('base64');
    const started = (await (await relay(doctorToken)('/api/signing/remote/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'smartca', user: '001090012345', digest, docId }) })).json()) as { transactionId: string };
    expect(started.transactionId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await relay(stationToken)(`/api/signing/remote/status?provider=smartca&tx=${started.transactionId}`)).status).toBe(404);
    expect((await relay(doctorToken)(`/api/signing/remote/status?provider=smartca&tx=${started.transactionId}`)).status).toBe(200);

    const post = (token: string, body: unknown) => relay(token)('/api/signing/remote/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const patient = (await login(system.url, '0912345678')).accessToken;
    expect((await post(patient, { provider: 'csc', user: 'cred-001', pin: '123456', digest, docId })).status).toBe(403);
    // Only for a record the account writes and may sign: another station's account, or a record of no signed kind.
    const outsider = (await login(system.url, 'tram.amusung')).accessToken;
    expect((await post(outsider, { provider: 'csc', user: 'cred-001', pin: '123456', digest, docId })).status).toBe(404);
    expect((await post(stationToken, { provider: 'csc', user: 'cred-001', pin: '123456', digest, docId: 'patient:p-remote' })).status).toBe(404);
    for (const body of [
      { provider: 'csc', user: 'cred-001', pin: '123456', digest: 'abc', docId },
      { provider: 'pkcs11', user: 'cred-001', digest, docId },
      { provider: 'csc', user: 'cred 001', digest, docId },
      { provider: 'csc', user: 'cred-001', digest, docId, document: 'the whole PDF' }
    ]) {
      const res = await post(stationToken, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    // An account's requests to the services are bounded: the doctor has a transaction waiting and asks on and on.
    let limited = 0;
    for (let i = 0; i < 12; i++) if ((await post(doctorToken, { provider: 'smartca', user: '001090012345', digest, docId })).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});
