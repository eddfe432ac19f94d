// The server's own check of record values: an update that sets a field to a value its schema forbids is refused
// (invalid_value), stored nowhere, and does not stop valid edits of the same record, from any device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docId, mainRecord, readFields, readForms, writeFields, writeForm } from '@telehealth/domain';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from './harness';

describe('record values checked by the server', () => {
  let system: TestSystem;
  let pc: Device;
  let tablet: Device;
  const chart = docId('patient', 'p-values');
  const meta = { kind: 'patient' as const, unitId: 'tyt-02701', patientId: 'p-values' };
  const send = async (d: Device) => {
    const before = d.store.refusedEntries.length;
    await d.client.localChange();
    await d.synced();
    return d.store.refusedEntries.slice(before).map((e) => e.code);
  };

  beforeAll(async () => {
    system = await startTestSystem();
    pc = await device(system.url, 'tram.yty');
    tablet = await device(system.url, 'tram.yty');
    pc.store.edit(chart, meta, (doc) => writeFields(mainRecord(doc, 'patient'), { id: 'p-values', fullName: 'Lò Văn Sính', gender: 'male', dateOfBirth: '1985-04-02' }));
    expect(await send(pc)).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    pc.client.stop();
    tablet.client.stop();
    await system.stop();
  });

  it('refuses a phone number that is not one, and a pulse of 500 in a form, and stores neither', async () => {
    pc.store.edit(chart, undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { phone: 'gọi trưởng bản' }));
    expect(await send(pc)).toEqual(['invalid_value']);
    await tablet.synced();
    await waitFor(() => tablet.store.docs.has(chart), 5_000, 'the chart on the tablet');
    tablet.store.edit(chart, undefined, (doc) => writeForm(doc, 'f1', { id: 'f1', pulse: 500 }));
    expect(await send(tablet)).toEqual(['invalid_value']);
    const fresh = await device(system.url, 'tram.yty');
    await fresh.synced();
    fresh.client.stop();
    await waitFor(() => fresh.store.docs.has(chart), 5_000, 'the chart on a fresh device');
    expect(readFields(mainRecord(fresh.store.doc(chart), 'patient')).phone).toBeUndefined();
    expect(readForms(fresh.store.doc(chart))).toEqual([]);
  });

  it('refuses, with its reason, a later change of a device that builds on its own refused change (never stored to no effect)', async () => {
    pc.store.edit(chart, undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation: 'Giáo viên' }));
    expect(await send(pc)).toEqual(['bad_update']);
  });

  it('keeps accepting valid edits of the same record afterwards, from another device', async () => {
    const other = await device(system.url, 'tram.yty');
    await other.synced();
    await waitFor(() => other.store.docs.has(chart), 5_000, 'the chart on another device');
    other.store.edit(chart, undefined, (doc) => {
      writeFields(mainRecord(doc, 'patient'), { phone: '0912000123', occupation: 'Làm ruộng' });
      writeForm(doc, 'f2', { id: 'f2', pulse: 88, temperatureC: 38.6 });
    });
    expect(await send(other)).toEqual([]);
    other.client.stop();
    const fresh = await device(system.url, 'tram.yty');
    await fresh.synced();
    fresh.client.stop();
    await waitFor(() => fresh.store.docs.has(chart), 5_000, 'the chart on a fresh device');
    expect(readFields(mainRecord(fresh.store.doc(chart), 'patient'))).toMatchObject({ phone: '0912000123', occupation: 'Làm ruộng' });
    expect(readForms(fresh.store.doc(chart))).toEqual([{ id: 'f2', pulse: 88, temperatureC: 38.6 }]);
  });
});
