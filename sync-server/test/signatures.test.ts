// Signed minutes (criterion 61): the chair at the station and the secretary at the district sign the minutes' PDF
// one after the other; poppler's pdfsig finds both signatures valid; the minutes are locked from the first
// signature on; a bad upload (not the file the server holds, tampered, two signatures at once, a stale state, an
// outsider, a second chair) is refused with a clear error and changes nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canonicalRecord, mainRecord, writeFields, type SignatureEntry } from '@telehealth/domain';
import { p12Signer, signPdf } from '@telehealth/signing/sign';
import { makeTestP12, minimalPdf, type TestP12 } from '@telehealth/signing/signing.testing';
import { device, login, startTestSystem, waitFor, type TestSystem } from './harness';
import { readState } from '../src/sync/content-policy';

const docId = 'minutes:r-sign';
const meta = { kind: 'minutes', unitId: 'tyt-02701', patientId: 'p-sign', peerUnitId: 'ttyt-bat-xat' } as const;

describe('signed minutes', () => {
  let system: TestSystem;
  let station: Awaited<ReturnType<typeof device>>;
  let stationToken: string;
  let doctorToken: string;
  let chair: TestP12;
  let secretary: TestP12;
  const dir = mkdtempSync(path.join(tmpdir(), 'signatures-'));

  beforeAll(async () => {
    system = await startTestSystem();
    station = await device(system.url, 'tram.yty');
    station.store.edit('patient:p-sign', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-sign' }, (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Thào A Dình' }));
    station.store.edit(docId, meta, (doc) => {
      writeFields(mainRecord(doc, 'minutes'), { id: 'r-sign', requestId: 'r-sign', patientId: 'p-sign', requestingUnitId: 'tyt-02701', heldAt: '2026-12-01T03:00:00.000Z', completedAt: '2026-12-01T04:00:00.000Z' });
      doc.getText('conclusion').insert(0, 'Viêm phổi, điều trị tại trạm');
    });
    await station.client.localChange();
    await station.synced();
    stationToken = station.token;
    doctorToken = (await login(system.url, 'bacsi.batxat')).accessToken;
    chair = makeTestP12('Vàng A Chủ Trì');
    secretary = makeTestP12('Lý Thị Thư Ký');
  });
  afterAll(async () => {
    station.client.stop();
    await system.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (token: string, pdf: Uint8Array, query: Record<string, string>, id = docId, type = 'application/pdf') =>
    fetch(`${system.url}/api/signatures/${encodeURIComponent(id)}?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: pdf
    });
  const get = (token: string, suffix = '', id = docId) => fetch(`${system.url}/api/signatures/${encodeURIComponent(id)}${suffix}`, { headers: { authorization: `Bearer ${token}` } });
  const contentOf = (doc: Y.Doc, kind: 'minutes' | 'prescription' = 'minutes') => createHash('sha256').update(canonicalRecord(doc, kind)).digest('hex');
  const sign = async (pdf: Uint8Array, who: TestP12, field: string) => signPdf(pdf, await p12Signer(who.file, who.password), { reason: field, fieldName: field });
  const pdfsig = (pdf: Uint8Array) => {
    const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(file, pdf);
    try {
      return execFileSync('pdfsig', [file], { encoding: 'utf8' });
    } catch (err) {
      // pdfsig exits 1..4 when a certificate is not trusted (ours are self-signed): its report is what matters.
      return String((err as { stdout?: string }).stdout ?? '');
    }
  };

  it('signs in turn at the station and at the district, every signature stays valid, and the minutes are locked', async () => {
    const first = await sign(minimalPdf(), chair, 'chair');
    const res1 = await upload(stationToken, first, { role: 'chair', version: '1', content: contentOf(station.store.doc(docId)) });
    expect(res1.status).toBe(201);
    const { signature: one } = (await res1.json()) as { signature: SignatureEntry };
    expect(one).toMatchObject({ version: 1, role: 'chair', signerName: 'Vàng A Chủ Trì', length: first.length, sha256: createHash('sha256').update(first).digest('hex') });

    // The station's device records it in the minutes: the server accepts the row it holds.
    station.store.edit(docId, meta, (doc) => doc.getArray('signatures').push([one]));
    await station.client.localChange();
    await station.synced();
    expect(station.store.refusedEntries).toHaveLength(0);

    // The district reads the signed file and signs over it.
    const held = new Uint8Array(await (await get(doctorToken, '/pdf')).arrayBuffer());
    expect(Buffer.from(held).equals(Buffer.from(first))).toBe(true);
    const second = await sign(held, secretary, 'secretary');
    const res2 = await upload(doctorToken, second, { role: 'secretary', version: '2' });
    expect(res2.status).toBe(201);

    const report = pdfsig(new Uint8Array(await (await get(stationToken, '/pdf')).arrayBuffer()));
    expect(report.match(/Signature is Valid/g)).toHaveLength(2);
    expect(report).toContain('Vàng A Chủ Trì');
    expect(report).toContain('Lý Thị Thư Ký');
    // Version 1 is still the file the chair signed.
    expect(Buffer.from(await (await get(doctorToken, '/pdf?version=1')).arrayBuffer()).equals(Buffer.from(first))).toBe(true);

    // Locked: a change to the text is refused, and the server's minutes say what was signed.
    station.store.edit(docId, meta, (doc) => doc.getText('conclusion').insert(0, 'Sửa sau khi ký: '));
    await station.client.localChange();
    await waitFor(() => station.store.refusedEntries.length > 0, 10_000, 'the change to the signed minutes refused');
    expect(station.store.refusedEntries[0]!.code).toBe('forbidden');
    const server = await readState(system.storage.log, docId);
    expect(server.getText('conclusion').toString()).toBe('Viêm phổi, điều trị tại trạm');
    server.destroy();
    const trail = await system.storage.log.auditTrail({ docId, limit: 50 });
    expect(trail.filter((e) => e.action === 'sign').map((e) => e.userId).sort()).toHaveLength(2);
  });

  it('refuses bad uploads with a clear error and changes nothing', async () => {
    const before = (await (await get(stationToken)).json()) as { signatures: SignatureEntry[] };
    const held = new Uint8Array(await (await get(stationToken, '/pdf')).arrayBuffer());
    const member = makeTestP12('Giàng Thị Thành Viên');
    // A second health worker of the station, who has not signed: the member whose uploads are judged.
    const admin = (await login(system.url, 'admin')).accessToken;
    const account = { username: 'tram.yty.hai', displayName: 'Giàng Thị Thành Viên', role: 'station_worker', unitId: 'tyt-02701', password: 'Ky-bien-ban-2026' };
    const made = await fetch(`${system.url}/api/admin/accounts`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(account) });
    expect(made.status).toBe(201);
    const signedIn = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: account.username, password: account.password }) });
    const memberToken = ((await signedIn.json()) as { accessToken: string }).accessToken;
    const cases: [string, Promise<Response>, number, string][] = [];
    // A file that is not the server's followed by one signature.
    cases.push(['not incremental', upload(memberToken, await sign(minimalPdf('khác'), member, 'member'), { role: 'member', version: '3' }), 400, 'not_incremental']);
    // The held file signed, then one byte of it changed.
    const tampered = await sign(held, member, 'member');
    tampered[held.length + 40] = tampered[held.length + 40]! ^ 1;
    cases.push(['tampered', upload(memberToken, tampered, { role: 'member', version: '3' }), 400, 'bad_signature']);
    // Two signatures in one upload.
    const twice = await sign(await sign(held, member, 'member-a'), member, 'member-b');
    cases.push(['two at once', upload(memberToken, twice, { role: 'member', version: '3' }), 400, 'bad_signature']);
    // A second chair; a version that is not the next; a signer who signed already.
    const good = await sign(held, member, 'member');
    cases.push(['second chair', upload(memberToken, good, { role: 'chair', version: '3' }), 409, 'role_taken']);
    cases.push(['stale version', upload(memberToken, good, { role: 'member', version: '2' }), 409, 'version_taken']);
    cases.push(['signed already', upload(stationToken, good, { role: 'member', version: '3' }), 409, 'already_signed']);
    cases.push(['not a pdf type', upload(memberToken, good, { role: 'member', version: '3' }, docId, 'application/octet-stream'), 415, 'unsupported_media_type']);
    cases.push(['no role', upload(memberToken, good, { role: 'boss', version: '3' }), 400, 'invalid_role']);
    // Outsiders and patients see nothing.
    const outsider = (await login(system.url, 'tram.amusung')).accessToken;
    const patient = (await login(system.url, '0912345678')).accessToken;
    cases.push(['outsider', upload(outsider, good, { role: 'member', version: '3' }), 404, 'not_found']);
    cases.push(['patient', upload(patient, good, { role: 'member', version: '3' }), 404, 'not_found']);
    cases.push(['not a signed kind', upload(stationToken, good, { role: 'member', version: '1' }, 'patient:p-sign'), 404, 'not_found']);
    cases.push(['too large', upload(memberToken, new Uint8Array(3 * 1024 * 1024), { role: 'member', version: '3' }), 413, 'payload_too_large']);
    for (const [what, pending, status, error] of cases) {
      const res = await pending;
      expect({ what, status: res.status, error: ((await res.json()) as { error: string }).error }).toEqual({ what, status, error });
    }
    expect((await get(outsider)).status).toBe(404);
    expect((await get(outsider, '/pdf')).status).toBe(404);
    const after = (await (await get(stationToken)).json()) as { signatures: SignatureEntry[] };
    expect(after).toEqual(before);
    expect(Buffer.from(await (await get(stationToken, '/pdf')).arrayBuffer()).equals(Buffer.from(held))).toBe(true);

    // A signature the server never accepted cannot be written into the record.
    const forged: SignatureEntry = { ...before.signatures[0]!, version: 3, userId: 'u-forged' };
    const refusedBefore = station.store.refusedEntries.length;
    station.store.edit(docId, meta, (doc) => doc.getArray('signatures').push([forged]));
    await station.client.localChange();
    await waitFor(() => station.store.refusedEntries.length > refusedBefore, 10_000, 'the forged signature refused');
  });

  it('signs an issued prescription, by its prescriber only, and not a draft', async () => {
    const rxId = 'prescription:rx-sign';
    const rxMeta = { kind: 'prescription', unitId: 'tyt-02701', patientId: 'p-sign' } as const;
    const at = '2026-12-01T02:00:00.000Z';
    station.store.edit(rxId, rxMeta, (doc) =>
      writeFields(mainRecord(doc, 'prescription'), {
        id: 'rx-sign',
        patientId: 'p-sign',
        unitId: 'tyt-02701',
        type: 'c',
        diagnosis: 'Viêm họng cấp',
        icds: ['J02.9'],
        items: [{ drugName: 'Paracetamol', strength: '500 mg', unit: 'viên', quantity: 10, route: 'uống', days: 5, usage: 'Uống 1 viên khi sốt' }],
        prescriberName: 'Y sĩ Lò Thị Hoa',
        createdAt: at,
        createdBy: 'user-tram.yty'
      })
    );
    await station.client.localChange();
    await station.synced();
    const prescriber = makeTestP12('Lò Thị Hoa');
    const signed = await sign(minimalPdf('Đơn thuốc'), prescriber, 'prescriber');
    const state = () => contentOf(station.store.doc(rxId), 'prescription');
    // A draft is not signed.
    let res = await upload(stationToken, signed, { role: 'prescriber', version: '1', content: state() }, rxId);
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([409, 'not_signable']);
    station.store.edit(rxId, rxMeta, (doc) => writeFields(mainRecord(doc, 'prescription'), { code: '15122abc1234-c', issuedAt: at }));
    await station.client.localChange();
    await station.synced();
    expect(station.store.refusedEntries.filter((e) => e.docId === rxId)).toEqual([]);
    // A prescription has no chair; a unit that does not write it (here: does not even read it) does not sign it.
    res = await upload(stationToken, signed, { role: 'chair', version: '1', content: state() }, rxId);
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, 'invalid_role']);
    res = await upload(doctorToken, signed, { role: 'prescriber', version: '1', content: state() }, rxId);
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([404, 'not_found']);
    res = await upload(stationToken, signed, { role: 'prescriber', version: '1', content: state() }, rxId);
    expect(res.status).toBe(201);
    const { signature } = (await res.json()) as { signature: SignatureEntry };
    expect(signature).toMatchObject({ role: 'prescriber', signerName: 'Lò Thị Hoa' });
    station.store.edit(rxId, rxMeta, (doc) => doc.getArray('signatures').push([signature]));
    await station.client.localChange();
    await station.synced();
    expect(station.store.refusedEntries.filter((e) => e.docId === rxId)).toEqual([]);
    expect(((await (await get(stationToken, '', rxId)).json()) as { signatures: SignatureEntry[] }).signatures).toEqual([signature]);
  });

  it('signs only the minutes as the server holds them: a stale state is refused, and so is a change that races the signature', async () => {
    const other = 'minutes:r-stale';
    station.store.edit(other, meta, (doc) => {
      writeFields(mainRecord(doc, 'minutes'), { id: 'r-stale', requestId: 'r-stale', patientId: 'p-sign', requestingUnitId: 'tyt-02701', heldAt: '2026-12-01T03:00:00.000Z' });
      doc.getText('conclusion').insert(0, 'Bản đầu');
    });
    await station.client.localChange();
    await station.synced();
    // Minutes not yet marked completed are not signed (signing locks them).
    const draft = await upload(stationToken, await sign(minimalPdf(), chair, 'chair'), { role: 'chair', version: '1', content: contentOf(station.store.doc(other)) }, other);
    expect([draft.status, ((await draft.json()) as { error: string }).error]).toEqual([409, 'not_signable']);
    station.store.edit(other, meta, (doc) => writeFields(mainRecord(doc, 'minutes'), { completedAt: '2026-12-01T04:00:00.000Z' }));
    await station.client.localChange();
    await station.synced();
    const printed = contentOf(station.store.doc(other));
    // The district deletes a word after the station printed (a deletion leaves a Yjs state vector as it was): the
    // station's signature is of an older text.
    const doctor = await device(system.url, 'bacsi.batxat');
    await doctor.synced();
    await waitFor(() => doctor.store.doc(other).getText('conclusion').length > 0, 10_000, 'the minutes at the district');
    doctor.store.edit(other, meta, (doc) => doc.getText('conclusion').delete(3, 4));
    await doctor.client.localChange();
    await doctor.synced();
    const res = await upload(stationToken, await sign(minimalPdf(), chair, 'chair'), { role: 'chair', version: '1', content: printed }, other);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe('changed');
    expect(((await (await get(stationToken, '', other)).json()) as { signatures: unknown[] }).signatures).toEqual([]);

    // A write checked before a signature and committed after it is refused by the log itself.
    const rows = await system.storage.log.docHistory(other, Number.MAX_SAFE_INTEGER);
    const entry: SignatureEntry = { version: 1, length: 10, sha256: '0'.repeat(64), userId: 'u', role: 'chair', signerName: 'x', certSerial: '01', certIssuer: 'x', signedAt: new Date().toISOString() };
    expect(await system.storage.log.addSignature(other, entry, minimalPdf(), rows.at(-1)!.seq)).toBe('ok');
    const edit = new Y.Doc();
    edit.getText('conclusion').insert(0, 'x');
    const [result] = await system.storage.log.append([{ docId: other, origin: 'test', data: Y.encodeStateAsUpdateV2(edit), unlessSigned: true }]);
    expect(result).toEqual({ ok: false, code: 'signed' });
    doctor.client.stop();
  });
});
