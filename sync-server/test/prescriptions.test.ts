// Electronic prescriptions (M10) against the real server: the station issues a prescription (offline first, with a
// code made on the device), the patient receives it read-only once it is issued (never a draft), an issued prescription is never changed (the server
// refuses every edit, its device rebuilds the issued one), a correction is a new prescription linked to the old, and
// a code another prescription holds is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, docId, mainRecord, newPrescriptionCode, readFields, seededRandom, writeFields, type DocMeta } from '@telehealth/domain';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

const station = 'tyt-02701';
const patientId = 'patient-demo-0001';
const meta: DocMeta = { kind: 'prescription', unitId: station, patientId };
const at = '2026-12-01T02:00:00.000Z';

const draft = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  patientId,
  unitId: station,
  type: 'c',
  diagnosis: 'Viêm họng cấp',
  icds: ['J02.9'],
  items: [{ drugName: 'Paracetamol', strength: '500 mg', unit: 'viên', quantity: 10, route: 'uống', days: 5, usage: 'Uống 1 viên khi sốt trên 38,5 độ, cách nhau ít nhất 4 giờ' }],
  prescriberName: 'Y sĩ Lò Thị Hoa',
  createdAt: at,
  createdBy: 'user-tram.yty',
  ...extra
});

describe('prescriptions', () => {
  let system: TestSystem;
  let yty: Device;
  let patient: Device;
  const random = seededRandom(27);
  const codes = new Set<string>();
  const code = () => {
    const made = newPrescriptionCode('15122', 'c', random, (c) => codes.has(c));
    if (!made.ok) throw new Error(made.problem);
    codes.add(made.code);
    return made.code;
  };
  const refusedSince = async (d: Device, before: number) => {
    await d.client.localChange();
    await d.synced();
    return d.store.refusedEntries.slice(before).map((e) => `${e.docId}: ${e.code}`);
  };
  const fields = (d: Device, id: string) => readFields(mainRecord(d.store.doc(docId('prescription', id)), 'prescription'));

  beforeAll(async () => {
    system = await startTestSystem();
    yty = await device(system.url, 'tram.yty');
    patient = await device(system.url, '0912345678');
    yty.store.edit(docId('patient', patientId), { kind: 'patient', unitId: station, patientId }, (doc) =>
      writeFields(mainRecord(doc, 'patient'), { id: patientId, unitId: station, fullName: 'Hầu Thị Dua', gender: 'female', dateOfBirth: '1990-05-05' })
    );
    expect(await refusedSince(yty, 0)).toEqual([]);
    await patient.synced();
  });

  afterAll(async () => {
    yty.client.stop();
    patient.client.stop();
    await system.stop();
  });

  it('is issued once and read by the patient; an issued prescription never changes, a correction replaces it', async () => {
    const first = code();
    yty.store.edit(docId('prescription', 'rx-a'), meta, (doc) => writeFields(mainRecord(doc, 'prescription'), draft('rx-a')));
    yty.store.edit(docId('prescription', 'rx-a'), undefined, (doc) => writeFields(mainRecord(doc, 'prescription'), { code: first, issuedAt: at }));
    expect(await refusedSince(yty, 0)).toEqual([]);
    await waitFor(() => fields(patient, 'rx-a').code === first, 10_000, 'the patient receives the issued prescription');
    expect(fields(patient, 'rx-a').items).toEqual(draft('rx-a').items);

    // Any change after issuing is refused: a dose, the advice, taking the issue back (each from a device of the station
    // that has the issued prescription).
    for (const patch of [{ items: [{ ...draft('rx-a').items[0], quantity: 20 }] }, { advice: 'Uống nhiều nước' }, { issuedAt: null }]) {
      const other = await device(system.url, 'tram.yty');
      await other.synced();
      other.store.edit(docId('prescription', 'rx-a'), undefined, (doc) => writeFields(mainRecord(doc, 'prescription'), patch));
      expect(await refusedSince(other, 0), JSON.stringify(patch)).toEqual(['prescription:rx-a: invalid_value']);
      other.client.stop();
    }
    const reader = await device(system.url, 'tram.yty');
    await reader.synced();
    reader.client.stop();
    expect(fields(reader, 'rx-a')).toEqual({ ...draft('rx-a'), code: first, issuedAt: at, schemaVersion: SCHEMA_VERSION });

    // The correction: a new prescription with its own code, naming the old one.
    const before = yty.store.refusedEntries.length;
    yty.store.edit(docId('prescription', 'rx-b'), meta, (doc) =>
      writeFields(mainRecord(doc, 'prescription'), { ...draft('rx-b', { replacesId: 'rx-a', code: code(), issuedAt: at }), items: [{ ...draft('rx-b').items[0], quantity: 20 }] })
    );
    expect(await refusedSince(yty, before)).toEqual([]);
    await waitFor(() => fields(patient, 'rx-b').replacesId === 'rx-a', 10_000, 'the patient receives the correction');
  });

  it('refuses to issue without what the circular requires, and a code another prescription holds', async () => {
    let before = yty.store.refusedEntries.length;
    yty.store.edit(docId('prescription', 'rx-c'), meta, (doc) => writeFields(mainRecord(doc, 'prescription'), draft('rx-c', { items: [], code: code(), issuedAt: at })));
    expect(await refusedSince(yty, before)).toEqual(['prescription:rx-c: invalid_value']);

    // rx-a's code, taken again by another prescription (as a device that lost its data might draw it).
    const taken = String(fields(yty, 'rx-a').code);
    before = yty.store.refusedEntries.length;
    yty.store.edit(docId('prescription', 'rx-d'), meta, (doc) => writeFields(mainRecord(doc, 'prescription'), draft('rx-d', { code: taken })));
    expect(await refusedSince(yty, before)).toEqual(['prescription:rx-d: forbidden']);
    // A fresh code is accepted.
    before = yty.store.refusedEntries.length;
    yty.store.edit(docId('prescription', 'rx-e'), meta, (doc) => writeFields(mainRecord(doc, 'prescription'), draft('rx-e', { code: code() })));
    expect(await refusedSince(yty, before)).toEqual([]);
    // A draft never reaches the patient, not even on a new device; an issued one does, with its whole history.
    const phone = await device(system.url, '0912345678');
    await phone.synced();
    phone.client.stop();
    expect(phone.store.docs.has(docId('prescription', 'rx-e'))).toBe(false);
    expect(phone.store.docs.has(docId('prescription', 'rx-a'))).toBe(true);
    expect(patient.store.docs.has(docId('prescription', 'rx-e'))).toBe(false);
  });
});
