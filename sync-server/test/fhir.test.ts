// FHIR R4 (M13) against two real servers: a station's chart (patient, a finished visit, a request to the upper unit,
// an issued prescription) exported as a Bundle that the R4 schema, the structure definitions and the product's checks
// all accept; who may export it; imported into a second, empty server and exported again to the same resources; an
// import again merges (no second patient); a bad bundle is refused with its problems and writes nothing; a device of
// the second server's station receives the imported chart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docId, mainRecord, newPrescriptionCode, readExternal, readForms, readFields, seededRandom, writeFields, writeForm, type DocMeta } from '@telehealth/domain';
import type { Bundle, Resource } from '@telehealth/fhir';
import { fhirValidator } from '@telehealth/fhir/validate';
import { device, login, projectionsCaughtUp, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const upper = 'ttyt-bat-xat';
const patientId = '7d1f0c52-4a8e-4c1e-9a55-0f7f2b1c9e01';
const formId = '2b0b8f3e-9c59-4f0e-8a3e-1c2d3e4f5a6b';
const at = '2026-11-20T02:00:00.000Z';

async function api(url: string, token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const resources = (b: Bundle) => (b.entry ?? []).map((e) => e.resource!);
const byKey = (rs: Resource[]) => new Map(rs.map((r) => [`${r.resourceType}/${r.id}`, r]));

describe('FHIR export and import', () => {
  let a: TestSystem;
  let b: TestSystem;
  let yty: Device;
  let token: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestSystem(), startTestSystem()]);
    yty = await device(a.url, 'tram.yty');
    const chart = docId('patient', patientId);
    yty.store.edit(chart, { kind: 'patient', unitId: station, patientId } satisfies DocMeta, (doc) => {
      writeFields(mainRecord(doc, 'patient'), {
        id: patientId,
        unitId: station,
        fullName: 'Vàng Thị Mai',
        gender: 'female',
        dateOfBirth: '1988-04-12',
        ethnicityCode: '08',
        personalId: '010188004512',
        insuranceNumber: '0123456789',
        phone: '0912000111',
        provinceCode: '15',
        communeCode: '02701',
        address: 'Thôn Nậm Chạc',
        createdAt: at,
        createdBy: 'user-tram.yty'
      });
      writeForm(doc, formId, {
        id: formId,
        patientId,
        unitId: station,
        visitType: 'first',
        triageOutcome: 'no_emergency',
        identityVerified: true,
        consent: true,
        consentBy: 'patient',
        handlingDoctorName: 'Y sĩ Lò Thị Hoa',
        pulse: 88,
        temperatureC: 38.2,
        bpSystolic: 150,
        bpDiastolic: 95,
        weightKg: 52,
        history: 'Tăng huyết áp 3 năm, điều trị không đều',
        symptoms: 'Đau đầu, sốt nhẹ',
        diagnosis: 'Tăng huyết áp vô căn',
        mainIcd: 'I10',
        secondaryIcds: ['J06.9'],
        handling: 'teleconsultation',
        advice: 'Uống thuốc đều\nTái khám sau 7 ngày',
        createdAt: at,
        createdBy: 'user-tram.yty',
        completedAt: '2026-11-20T03:00:00.000Z'
      });
    });
    yty.store.edit(docId('request', 'req-fhir-1'), { kind: 'request', unitId: station, patientId, peerUnitId: upper }, (doc) =>
      writeFields(mainRecord(doc, 'request'), {
        id: 'req-fhir-1',
        patientId,
        fromUnitId: station,
        toUnitId: upper,
        formId,
        requestingDoctorName: 'Y sĩ Lò Thị Hoa',
        requestContent: 'Xin hội chẩn điều chỉnh thuốc huyết áp',
        diagnosisIcd: 'I10',
        sentAt: '2026-11-20T03:10:00.000Z',
        createdAt: '2026-11-20T03:05:00.000Z',
        createdBy: 'user-tram.yty'
      })
    );
    // The consultation's minutes and an issued prescription.
    yty.store.edit(docId('minutes', 'req-fhir-1'), { kind: 'minutes', unitId: station, patientId, peerUnitId: upper }, (doc) => {
      writeFields(mainRecord(doc, 'minutes'), { id: 'req-fhir-1', requestId: 'req-fhir-1', patientId, requestingUnitId: station, consultantUnitId: upper, heldAt: '2026-11-21T02:00:00.000Z' });
      doc.getText('conclusion').insert(0, 'Tăng huyết áp độ 2, đổi sang Amlodipin');
    });
    const rx = newPrescriptionCode('15122', 'c', seededRandom(7), () => false);
    yty.store.edit(docId('prescription', 'rx-fhir-1'), { kind: 'prescription', unitId: station, patientId }, (doc) =>
      writeFields(mainRecord(doc, 'prescription'), {
        id: 'rx-fhir-1',
        patientId,
        unitId: station,
        formId,
        type: 'c',
        diagnosis: 'Tăng huyết áp',
        icds: ['I10'],
        items: [{ drugName: 'Amlodipin', strength: '5 mg', unit: 'viên', quantity: 30, days: 30, usage: 'Uống 1 viên mỗi sáng' }],
        prescriberName: 'Y sĩ Lò Thị Hoa',
        code: rx.ok ? rx.code : '',
        issuedAt: '2026-11-21T03:00:00.000Z',
        createdAt: '2026-11-21T02:50:00.000Z',
        createdBy: 'user-tram.yty'
      })
    );
    await yty.client.localChange();
    await yty.synced();
    expect(yty.store.refusedEntries).toEqual([]);
    token = (await login(a.url, 'tram.yty')).accessToken;
  }, 120_000);

  afterAll(async () => {
    yty?.client.stop();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('exports a chart as a Bundle that the R4 schema, the structure definitions and the product checks accept', async () => {
    const res = await api(a.url, token, `/api/fhir/Patient/${patientId}/$everything`);
    expect(res.status).toBe(200);
    const bundle = res.body as unknown as Bundle;
    expect(bundle.type).toBe('searchset');
    expect(fhirValidator().bundle(bundle)).toEqual([]);
    const r = byKey(resources(bundle));
    const patient = r.get(`Patient/${patientId}`)!;
    expect(patient.identifier).toEqual(expect.arrayContaining([expect.objectContaining({ value: '010188004512' }), expect.objectContaining({ value: '0123456789' })]));
    expect(JSON.stringify(patient.extension)).toContain('"code":"08"');
    expect(r.get(`Observation/${formId}-8867-4`)?.valueQuantity).toEqual({ value: 88, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' });
    expect(JSON.stringify(r.get(`Observation/${formId}-85354-9`))).toContain('8480-6');
    expect(JSON.stringify(r.get(`Condition/${formId}-dx0`))).toContain('"code":"I10"');
    expect(r.get('ServiceRequest/req-fhir-1')?.status).toBe('active');
    expect(r.has(`Organization/${upper}`)).toBe(true);
  });

  it('lets the units that read the chart export it, and no one else', async () => {
    const doctor = (await login(a.url, 'bacsi.batxat')).accessToken;
    expect((await api(a.url, doctor, `/api/fhir/Patient/${patientId}/$everything`)).status).toBe(200);
    const other = (await login(a.url, 'tram.amusung')).accessToken;
    expect((await api(a.url, other, `/api/fhir/Patient/${patientId}/$everything`)).status).toBe(404);
    const patient = (await login(a.url, '0912345678')).accessToken;
    expect((await api(a.url, patient, `/api/fhir/Patient/${patientId}/$everything`)).status).toBe(403);
  });

  it('imports into an empty server and exports the same resources; importing again merges', async () => {
    const period = '/api/fhir/export?from=2026-11-01&to=2026-11-30';
    const exported = (await api(a.url, token, period)).body as unknown as Bundle;
    const ofOther = ['ServiceRequest/req-fhir-1', 'Composition/req-fhir-1', 'MedicationRequest/rx-fhir-1-1'];
    expect([...byKey(resources(exported)).keys()]).toEqual(expect.arrayContaining(ofOther));
    const tokenB = (await login(b.url, 'tram.yty')).accessToken;
    const first = await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: JSON.stringify(exported) });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // The patient and her visit become records of the station; the request, the minutes and the prescription are
    // kept as they came (records from another system); only the units are not imported.
    expect(first.body).toMatchObject({ created: 1, merged: 0, formsAdded: 1, externalAdded: 3, externalKept: 0 });
    expect((first.body.skipped as { resource: string }[]).map((s) => s.resource.split('/')[0])).toEqual(['Organization', 'Organization']);

    // The second server's export is the first's: every resource, the same.
    const again = (await api(b.url, tokenB, period)).body as unknown as Bundle;
    const sorted = (bundle: Bundle) => [...byKey(resources(bundle)).entries()].sort(([x], [y]) => x.localeCompare(y));
    expect(resources(again).length).toBeGreaterThan(10);
    expect(sorted(again)).toEqual(sorted(exported));

    const second = await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: JSON.stringify(exported) });
    expect(second.body).toMatchObject({ created: 0, merged: 1, formsAdded: 0, formsKept: 1, externalAdded: 0, externalKept: 3 });
    // Back into the first server: its own records are not kept a second time as records from another system.
    const home = await api(a.url, token, '/api/fhir/import', { method: 'POST', body: JSON.stringify(again) });
    expect(home.body).toMatchObject({ created: 0, merged: 1, formsAdded: 0, formsKept: 1, externalAdded: 0, externalKept: 3 });

    // A device of the second server's station receives the imported chart, with the records from the first.
    const ytyB = await device(b.url, 'tram.yty');
    await ytyB.synced();
    await waitFor(() => readFields(mainRecord(ytyB.store.doc(docId('patient', patientId)), 'patient')).fullName === 'Vàng Thị Mai', 10_000, 'the chart reaches the station');
    const chart = ytyB.store.doc(docId('patient', patientId));
    expect(readForms(chart).map((f) => [f.mainIcd, f.pulse])).toEqual([['I10', 88]]);
    expect(readExternal(chart).map((e) => e.key)).toEqual([...ofOther].sort());
    expect(JSON.stringify(readExternal(chart))).toContain('Tăng huyết áp độ 2, đổi sang Amlodipin');
    ytyB.client.stop();
  });

  it('matches a patient from another system by CCCD or BHYT number, and refuses one person twice in a bundle', async () => {
    const tokenB = (await login(b.url, 'tram.yty')).accessToken;
    await projectionsCaughtUp(b);
    // The same woman, as another system knows her: another id, her CCCD, a phone number the chart lacks.
    const other = (id: string, identifier: Record<string, unknown>[], phone?: string) => ({
      resourceType: 'Patient',
      id,
      identifier,
      name: [{ text: 'Vàng Thị Mai' }],
      gender: 'female',
      birthDate: '1988-04-12',
      ...(phone ? { telecom: [{ system: 'phone', value: phone }] } : {})
    });
    const cccd = [{ system: 'https://telehealth-xa.vn/fhir/sid/cccd', value: '010188004512' }];
    const byCccd = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: other('his-0042', cccd, '0988777666') }] };
    const merged = await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: JSON.stringify(byCccd) });
    expect(merged.body).toMatchObject({ created: 0, merged: 1 });
    // What the chart had is kept (its phone), nothing is duplicated.
    const chart = (await api(b.url, tokenB, `/api/fhir/Patient/${patientId}/$everything`)).body as unknown as Bundle;
    expect(JSON.stringify(resources(chart).find((r) => r.resourceType === 'Patient')?.telecom)).toContain('0912000111');
    expect((await api(b.url, tokenB, '/api/fhir/Patient/his-0042/$everything')).status).toBe(404);

    const bhyt = [{ system: 'https://telehealth-xa.vn/fhir/sid/bhyt', value: '0999888777' }];
    const twice = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: other('his-1', bhyt) }, { resource: other('his-2', bhyt) }] };
    const refused = await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: JSON.stringify(twice) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.problems)).toContain('the same person as another Patient of this bundle');
    expect((await api(b.url, tokenB, '/api/fhir/Patient/his-1/$everything')).status).toBe(404);

    // This product's chart id with another CCCD is another person: refused, not merged.
    const chartIdentifier = { system: 'https://telehealth-xa.vn/fhir/sid/patient', value: patientId };
    const conflict = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: other(patientId, [chartIdentifier, { system: cccd[0]!.system, value: '012345678999' }]) }] };
    const clash = await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: JSON.stringify(conflict) });
    expect(clash.status).toBe(400);
    expect(JSON.stringify(clash.body.problems)).toContain('has another CCCD');
  });

  it('refuses a bad bundle with its problems and writes nothing', async () => {
    const tokenB = (await login(b.url, 'tram.yty')).accessToken;
    const good = { resourceType: 'Patient', id: 'c0ffee00-0000-4000-8000-000000000001', name: [{ text: 'Giàng A Páo' }], gender: 'male', birthDate: '1970-01-01' };
    const bad = { resourceType: 'Patient', id: 'c0ffee00-0000-4000-8000-000000000002', name: [{ text: 'Sùng Thị Sua' }], gender: 'mle', birthDate: '1970-13-40', nickname: 'x' };
    const vital = { resourceType: 'Observation', id: 'o1', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: 'Patient/nobody' }, valueQuantity: { value: 80, unit: 'bpm', system: 'http://unitsofmeasure.org', code: 'bpm' } };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [good, bad, vital].map((resource) => ({ resource })) };
    const res = await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: JSON.stringify(bundle) });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_bundle');
    const problems = res.body.problems as { resource: string; path: string; by: string }[];
    const of = (resource: string) => problems.filter((p) => p.resource === resource).map((p) => `${p.by}:${p.path}`);
    expect(of('Patient/c0ffee00-0000-4000-8000-000000000002')).toEqual(expect.arrayContaining(['schema:gender', 'schema:birthDate', 'structure:nickname', 'product:gender']));
    expect(of('Observation/o1')).toEqual(expect.arrayContaining(['product:valueQuantity', 'product:subject.reference']));
    expect(of('Patient/c0ffee00-0000-4000-8000-000000000001')).toEqual([]);
    // Nothing was written: the good patient is not on the server.
    const all = JSON.stringify((await api(b.url, tokenB, '/api/fhir/export?from=2000-01-01&to=2099-12-31')).body);
    expect(all).toContain('Vàng Thị Mai');
    expect(all).not.toContain('Giàng A Páo');
    // Not JSON, not a bundle, not a station worker.
    expect((await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: '{' })).status).toBe(400);
    expect((await api(b.url, tokenB, '/api/fhir/import', { method: 'POST', body: '{"resourceType":"Patient"}' })).status).toBe(400);
    const doctor = (await login(b.url, 'bacsi.batxat')).accessToken;
    expect((await api(b.url, doctor, '/api/fhir/import', { method: 'POST', body: JSON.stringify(bundle) })).status).toBe(403);
  });
});
