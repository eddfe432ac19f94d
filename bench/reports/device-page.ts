// Runs in Chromium for bench/reports/device.ts: fills the device's real IndexedDB (the app's local database and store)
// with a commune's charts, as a first sync stores them, then times a report 5A–5D computed on the device the way the
// reports screen computes it (app/lib/reports/device-reports.ts).
import * as Y from 'yjs';
import { docId, mainRecord, writeFields, writeForm, type ReportTable } from '@telehealth/domain';
import type { ChunkEntry } from '@telehealth/protocol';
import { openLocalDb } from '../../app/lib/sync/local-db';
import { LocalStore } from '../../app/lib/sync/local-store';
import { deviceReportInput, engineRecords } from '../../app/lib/reports/device-reports';
import { PatientIndex } from '../../app/lib/records/patient-index';
import { computeReport } from '@telehealth/domain';
import { generateCommune } from '../sync/generate';

const unitId = 'tyt-02701';
const db = openLocalDb('bench-device-reports');
const store = new LocalStore('bench-device-reports', 9_001, db, { changed() {}, outboxChanged() {} });

/** The records a station holds after its first sync: `patients` charts with `forms` visits among them. */
export async function fill(patients: number, forms: number): Promise<number> {
  const commune = generateCommune(20_261_202, patients, forms, unitId);
  const formsOf = new Map<string, Record<string, unknown>[]>();
  for (const f of commune.forms) formsOf.set(String(f.patientId), [...(formsOf.get(String(f.patientId)) ?? []), { ...f, unitId }]);
  let entries: ChunkEntry[] = [];
  let stored = 0;
  for (const p of commune.patients) {
    const doc = new Y.Doc();
    doc.transact(() => {
      writeFields(mainRecord(doc, 'patient'), p);
      for (const f of formsOf.get(String(p.id)) ?? []) writeForm(doc, String(f.id), f);
    });
    entries.push({ docId: docId('patient', String(p.id)), update: Y.encodeStateAsUpdateV2(doc) });
    if (entries.length === 250) {
      stored += entries.length;
      await store.applyChunk(entries, { e: 1, s: stored });
      entries = [];
    }
  }
  if (entries.length) await store.applyChunk(entries, { e: 1, s: stored + entries.length });
  return commune.patients.length + commune.forms.length;
}

// The records as the reports screen reads them from the sync engine: here the engine's own store and database, and
// the charts' index rows from the app's in-memory patient index (loaded once, as the screen does when it opens).
const index = new PatientIndex();
let loaded = false;
const source = engineRecords({ db, openDoc: (id) => store.openDoc(id), closeDoc: (id) => store.closeDoc(id) }, async () => index.all());

/** Loads the in-memory index as the reports screen does when it opens: milliseconds. */
export async function loadIndex(): Promise<number> {
  const t = performance.now();
  await index.load(db);
  loaded = true;
  return performance.now() - t;
}

/** One report of a year, as the station's screen asks for it: milliseconds in all, and reading the device's part of it. */
export async function timeReport(table: ReportTable): Promise<{ ms: number; readMs: number }> {
  if (!loaded) throw new Error('loadIndex first');
  const t = performance.now();
  const units = [{ id: unitId, provinceCode: '15', communeCode: '02701', oldDistrictCode: '082' }];
  const input = await deviceReportInput(source, unitId, units);
  const readMs = performance.now() - t;
  computeReport(table, input, { from: '2024-01-01', to: '2025-12-31', unitId });
  return { ms: performance.now() - t, readMs };
}

