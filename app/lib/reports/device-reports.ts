// A station's own reports 5A–5D on its device, offline: the rows of its local index and charts, read as the server's
// projections read them, through the same pure functions (packages/domain/reports.ts). What the device never holds
// (accounts, login history) comes out null, not 0. Only the unit's own records count, as on the server for its staff:
// an upper unit's device also holds the charts stations sent it, which are the stations'.
import {
  appointmentSchema,
  callLogSchema,
  checkEvent,
  chartForms,
  computeReport,
  mainRecord,
  parseDocId,
  patientSchema,
  readFields,
  reportAppointment,
  teleconsultationFormSchema,
  type AppointmentEvent,
  type Report,
  type ReportFilter,
  type ReportAppointment,
  type ReportCall,
  type ReportForm,
  type ReportInput,
  type ReportPatient,
  type ReportTable,
  type ReportUnit
} from '@telehealth/domain';
import type * as Y from 'yjs';
import type { SyncEngine } from '../sync/engine';
import type { RecordRow } from '../sync/local-db';
import { parseFields } from '../records/rows';

/** What the device reads: its index's rows of a kind, the ids of its charts, and a chart's document. */
export type DeviceRecords = {
  records(kind: 'appointment' | 'call'): Promise<RecordRow[]>;
  chartIds(): Promise<string[]>;
  /** Runs `read` on the chart's document and closes it. */
  withChart<T>(docId: string, read: (doc: Y.Doc) => T): Promise<T>;
};

/** The rows of `unitId`'s own records on this device. */
export async function deviceReportInput(source: DeviceRecords, unitId: string, units: readonly ReportUnit[]): Promise<ReportInput> {
  const patients: ReportPatient[] = [];
  const appointments: ReportAppointment[] = [];
  const forms: ReportForm[] = [];
  const calls: ReportCall[] = [];
  for (const row of await source.records('appointment')) {
    const fields = parseFields('appointment', appointmentSchema, row.fields);
    const events = (row.events ?? []).filter((e): e is AppointmentEvent => checkEvent(e) === undefined);
    const a = reportAppointment({ ...fields, id: row.id, patientId: row.patientId }, events);
    if (a && a.unitId === unitId) appointments.push(a);
  }
  for (const row of await source.records('call')) {
    const c = parseFields('call', callLogSchema, row.fields);
    if (c.unitId !== unitId) continue;
    calls.push({ id: row.id, unitId, direction: c.direction ?? null, purpose: c.purpose ?? null, channel: c.channel ?? null, startedAt: c.startedAt ?? null, createdBy: c.createdBy ?? null });
  }
  for (const chartId of await source.chartIds()) {
    const patientId = parseDocId(chartId)?.id;
    if (!patientId) continue;
    await source.withChart(chartId, (doc) => {
      const p = parseFields('patient', patientSchema, readFields(mainRecord(doc, 'patient')));
      if (p.unitId !== unitId) return;
      patients.push({
        patientId,
        unitId,
        gender: p.gender ?? null,
        ethnicityCode: p.ethnicityCode ?? null,
        provinceCode: p.provinceCode ?? null,
        communeCode: p.communeCode ?? null,
        oldDistrictCode: p.oldDistrictCode ?? null
      });
      for (const form of chartForms(doc).values()) {
        const f = parseFields('form', teleconsultationFormSchema, readFields(form));
        forms.push({ patientId, unitId, completedAt: f.completedAt ?? null });
      }
    });
  }
  return { units, patients, appointments, forms, calls };
}

/** One table of a unit's own records on this device. */
export async function deviceReport(source: DeviceRecords, table: ReportTable, filter: ReportFilter, unitId: string, units: readonly ReportUnit[]): Promise<Report> {
  return computeReport(table, await deviceReportInput(source, unitId, units), { ...filter, unitId });
}

/** `DeviceRecords` over the sync engine's local database and documents. */
export function engineRecords(engine: SyncEngine): DeviceRecords {
  return {
    records: (kind) => engine.db.records.where('kind').equals(kind).toArray(),
    chartIds: async () => (await engine.db.docs.where('kind').equals('patient').primaryKeys()) as string[],
    async withChart(id, read) {
      const doc = await engine.openDoc(id);
      try {
        return read(doc);
      } finally {
        await engine.closeDoc(id);
      }
    }
  };
}
