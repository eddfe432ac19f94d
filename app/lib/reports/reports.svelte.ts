// The report screen's state: which table, which filters, the table computed and its CSV. An administrator's reports
// come from the server (GET /api/reports/<table>: the units they run, accounts included); a station worker's or a
// doctor's are computed on their device from its own records (device-reports.ts), offline too, with the same
// functions. Place names come from the catalogs (the communes' chunk is loaded when the screen opens).
import { PdfPrint } from '../records/pdf-print.svelte';
import { downloadFile, downloadPdf } from '../download';
import {
  ReportTable,
  parseReportFilter,
  reportColumns,
  reportTables,
  type Report,
  type ReportFilterProblem,
  type ReportRow,
  type ReportUnit
} from '@telehealth/domain';
import { Role } from '@telehealth/domain/accounts';
import { ethnicGroups, provinces } from '@telehealth/catalogs/device';
import { refusalKey, session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import { units } from '../units.svelte';
import type { MessageKey } from '../i18n/catalog';
import { deviceReport, engineRecords } from './device-reports';
import { patients } from '../records/patients.svelte';
import { reportCsv, reportFileName, type ReportNames } from './table';

export type FilterForm = { from: string; to: string; provinceCode: string; oldDistrictCode: string; communeCode: string; unitId: string; gender: string; ethnicityCode: string };
export type ReportSource = 'device' | 'server';

const isCount = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const isCode = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 64);

/** A server's answer read by its shape: the table's own columns, rows of codes and counts. */
export function readReport(v: unknown): Report | undefined {
  const r = v as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || !reportTables.includes(r.table as ReportTable) || !Array.isArray(r.rows)) return undefined;
  const table = r.table as ReportTable;
  const filter = parseReportFilter(table, Object.fromEntries(Object.entries((r.filter ?? {}) as Record<string, unknown>).map(([k, x]) => [k, String(x)])));
  if (!filter.ok) return undefined;
  const counts = reportColumns[table].filter((c) => c.kind === 'count').map((c) => c.key);
  const rows: ReportRow[] = [];
  for (const raw of r.rows as unknown[]) {
    const row = raw as Record<string, unknown> | null;
    if (typeof row !== 'object' || row === null) return undefined;
    const keys = ['provinceCode', 'oldDistrictCode', 'communeCode', 'unitId', 'gender', 'ethnicityCode', 'qualification'] as const;
    if (!keys.every((k) => isCode(row[k])) || typeof row.counts !== 'object' || row.counts === null) return undefined;
    const c = row.counts as Record<string, unknown>;
    if (!counts.every((k) => isCount(c[k]))) return undefined;
    rows.push({
      provinceCode: row.provinceCode as string | null,
      oldDistrictCode: row.oldDistrictCode as string | null,
      communeCode: row.communeCode as string | null,
      unitId: row.unitId as string | null,
      gender: row.gender as string | null,
      ethnicityCode: row.ethnicityCode as string | null,
      qualification: row.qualification as string | null,
      counts: Object.fromEntries(counts.map((k) => [k, c[k] as number | null]))
    });
  }
  return { table, filter: filter.filter, columns: [...reportColumns[table]], rows };
}

type CommuneCatalog = typeof import('@telehealth/catalogs/communes');

export class ReportScreen {
  table = $state<ReportTable>(ReportTable.citizens);
  form = $state<FilterForm>({ from: '', to: '', provinceCode: '', oldDistrictCode: '', communeCode: '', unitId: '', gender: '', ethnicityCode: '' });
  report = $state.raw<Report | undefined>(undefined);
  source = $state<ReportSource | undefined>(undefined);
  position = $state<number | undefined>(undefined);
  busy = $state(false);
  readonly print = new PdfPrint();
  /** Bulletins published per Department in the period (administrators, from the server). */
  bulletins = $state.raw<{ rows: { unitId: string; count: number }[]; total: number } | undefined>(undefined);
  /** An export is being written. */
  exporting = $state(false);
  problem = $state<ReportFilterProblem | undefined>(undefined);
  error = $state<{ key: MessageKey; detail?: string } | undefined>(undefined);
  communes = $state.raw<CommuneCatalog | undefined>(undefined);

  constructor(today: string) {
    this.form.from = `${today.slice(0, 8)}01`;
    this.form.to = today;
  }

  /** Loads the communes and old districts (a chunk of their own) for the filters and the names. */
  async loadCatalogs(): Promise<CommuneCatalog> {
    this.communes ??= await import('@telehealth/catalogs/communes');
    return this.communes;
  }

  /** Readies what a report on the device reads (the charts' index, kept in memory), while the filters are chosen. */
  prepare() {
    if (this.onDevice) void patients.allRows();
  }

  /** Whether this account's reports are computed on its device (a unit's staff) or read from the server (an admin). */
  get onDevice(): boolean {
    return session.user?.role !== Role.admin;
  }

  get names(): ReportNames {
    const c = this.communes;
    return {
      province: (code) => provinces.find((p) => p.code === code)?.name,
      district: (code) => c?.oldDistricts.find((d) => d.code === code)?.name,
      commune: (code) => c?.findCommune(code)?.name,
      unit: (id) => units.list.find((u) => u.id === id)?.name,
      ethnicity: (code) => ethnicGroups.find((g) => g.code === code)?.name
    };
  }

  /** The filter as typed, with only the fields this table takes. */
  private query(): Record<string, string> {
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.form)) if (v) q[k] = v;
    // The unit's staff read their own unit: the device counts only its records.
    if (this.onDevice) delete q.unitId;
    return q;
  }

  async run() {
    this.error = undefined;
    this.problem = undefined;
    const parsed = parseReportFilter(this.table, this.query());
    if (!parsed.ok) {
      this.problem = parsed.problem;
      return;
    }
    this.busy = true;
    try {
      if (this.onDevice) {
        const engine = sync.engine;
        const unitId = session.user?.unitId;
        if (!engine || !unitId) return;
        // A unit's district before the reform, as the server reads it: its commune's, when it came from one district.
        const catalog = await this.loadCatalogs();
        const directory: ReportUnit[] = units.list.map((u) => ({
          id: u.id,
          provinceCode: u.provinceCode,
          communeCode: u.communeCode,
          oldDistrictCode: (u.communeCode && catalog.oldDistrictOfNewCommune(u.communeCode)?.code) || null
        }));
        this.report = await deviceReport(engineRecords(engine, () => patients.allRows()), this.table, parsed.filter, unitId, directory);
        this.source = 'device';
        this.position = undefined;
        return;
      }
      const filter = Object.fromEntries(Object.entries(parsed.filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
      await this.fromServer(filter);
      if (!this.error) await this.bulletinsFromServer(filter);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Appendix 5's "Thống kê bản tin" for the same period (and unit, a Department): how many bulletins each Department
   * published. Administrators only, from the server; left empty when it cannot be read.
   */
  private async bulletinsFromServer(filter: Record<string, string>) {
    this.bulletins = undefined;
    const token = await session.accessToken();
    if (!token) return;
    const q = [`from=${encodeURIComponent(filter.from ?? '')}`, `to=${encodeURIComponent(filter.to ?? '')}`, ...(filter.unitId ? [`unitId=${encodeURIComponent(filter.unitId)}`] : [])].join('&');
    try {
      const res = await fetch(`/api/reports/bulletins?${q}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json().catch(() => undefined)) as { rows?: unknown; total?: unknown } | undefined;
      if (!res.ok || !Array.isArray(body?.rows) || typeof body.total !== 'number') return;
      const rows = body.rows.filter((r): r is { unitId: string; count: number } => typeof r === 'object' && r !== null && typeof r.unitId === 'string' && typeof r.count === 'number');
      this.bulletins = { rows, total: body.total };
    } catch {
      // Offline: the table above says so already.
    }
  }

  private async fromServer(filter: Record<string, string>) {
    const token = await session.accessToken();
    if (!token) {
      this.error = { key: 'error.unauthorized' };
      return;
    }
    let res: Response;
    try {
      const query = Object.entries(filter).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      res = await fetch(`/api/reports/${this.table}?${query}`, { headers: { authorization: `Bearer ${token}` } });
    } catch {
      this.error = { key: 'reports.needsNetwork' };
      return;
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok) {
      this.error = { key: res.status === 403 ? 'reports.forbidden' : refusalKey(body), detail: typeof body?.message === 'string' ? body.message.slice(0, 300) : undefined };
      return;
    }
    const report = readReport(body);
    if (!report) {
      this.error = { key: 'error.internal' };
      return;
    }
    this.report = report;
    this.source = 'server';
    this.position = typeof body?.position === 'number' ? body.position : undefined;
  }

  /** Downloads the table shown as a CSV file (made on the device: offline too). */
  downloadCsv() {
    if (!this.report) return;
    downloadFile(new Blob([reportCsv(this.report, this.names)], { type: 'text/csv;charset=utf-8' }), reportFileName(this.report));
  }

  /** The report as a printable PDF (A4 landscape; the writer is loaded on first use). */
  printPdf() {
    const report = this.report;
    if (!report) return;
    void this.print.run(async () => {
      const { reportPdf, reportPdfFileName } = await import('./report-pdf');
      const { bytes, unprintable } = await reportPdf(report, this.names, Date.now());
      downloadPdf(bytes, reportPdfFileName(report));
      return { unprintable };
    });
  }

  /** The report as an Excel workbook (the writer is loaded on first use). */
  async downloadXlsx() {
    const report = this.report;
    if (!report) return;
    this.exporting = true;
    try {
      const { reportXlsx, reportXlsxFileName } = await import('./xlsx');
      downloadFile(await reportXlsx(report, this.names), reportXlsxFileName(report));
    } catch (e) {
      console.error('xlsx', e);
      this.error = { key: 'reports.exportFailed' };
    } finally {
      this.exporting = false;
    }
  }
}
