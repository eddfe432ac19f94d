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
  validatePatch,
  type Schema,
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
import type { PatientRow, RecordRow } from '../sync/local-db';
import { parseFields } from '../records/rows';

/** What the device reads: its index's rows of a kind, the ids of its charts, and a chart's document. */
export type DeviceRecords = {
  records(kind: 'appointment' | 'call'): Promise<RecordRow[]>;
  chartIds(): Promise<string[]>;
  /** Runs `read` on the chart's document and closes it. */
  withChart<T>(docId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /** The charts' index rows, when the device keeps them: a row with its `report` part spares opening the chart. */
  chartRows?(): Promise<PatientRow[]>;
  /** How many charts the device holds (when every one has a row with its `report`, their ids need not be listed). */
  chartCount?(): Promise<number>;
};

/** A value of the index as the schema takes it (the index holds upgraded values), else null; remembered per field and value. */
const checked = new Map<string, boolean>();
function valid(schema: Schema, name: string, value: string): string | null {
  if (!value) return null;
  const key = `${name}\u0000${value}`;
  let ok = checked.get(key);
  if (ok === undefined) {
    ok = validatePatch(schema, { [name]: value }).length === 0;
    // Bounded: visit times are all different; the other fields have few values.
    if (checked.size > 10_000) checked.clear();
    checked.set(key, ok);
  }
  return ok ? value : null;
}

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
  // Charts whose index row carries what the reports read are read from it; the others are opened. When every chart
  // has such a row (the usual case), the charts' ids are not even listed.
  const rows = ((await source.chartRows?.()) ?? []).filter((r) => r.report);
  const fromRow = (row: PatientRow, report: NonNullable<PatientRow['report']>) => {
    if (report.unitId !== unitId) return;
    patients.push({
      patientId: row.id,
      unitId,
      gender: valid(patientSchema, 'gender', row.gender),
      ethnicityCode: valid(patientSchema, 'ethnicityCode', report.ethnicityCode),
      provinceCode: valid(patientSchema, 'provinceCode', report.provinceCode),
      communeCode: valid(patientSchema, 'communeCode', row.communeCode),
      oldDistrictCode: valid(patientSchema, 'oldDistrictCode', report.oldDistrictCode)
    });
    for (const completedAt of report.forms) forms.push({ patientId: row.id, unitId, completedAt: valid(teleconsultationFormSchema, 'completedAt', completedAt) });
  };
  if (rows.length && source.chartCount && (await source.chartCount()) === rows.length) {
    for (const row of rows) fromRow(row, row.report!);
    return { units, patients, appointments, forms, calls };
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const chartId of await source.chartIds()) {
    const patientId = parseDocId(chartId)?.id;
    if (!patientId) continue;
    const row = byId.get(patientId);
    if (row?.report) {
      fromRow(row, row.report);
      continue;
    }
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

/**
 * `DeviceRecords` over the sync engine's local database and documents; the charts' index rows from `chartRows` when
 * given (the app's in-memory patient index, app/lib/records/patients.svelte.ts), else read from the database.
 */
export function engineRecords(engine: Pick<SyncEngine, 'db' | 'openDoc' | 'closeDoc'>, chartRows?: () => Promise<PatientRow[]>): DeviceRecords {
  return {
    records: (kind) => engine.db.records.where('kind').equals(kind).toArray(),
    chartIds: async () => (await engine.db.docs.where('kind').equals('patient').primaryKeys()) as string[],
    chartRows: chartRows ?? (() => engine.db.patients.toArray()),
    chartCount: () => engine.db.docs.where('kind').equals('patient').count(),
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
