// A report of appendix 5 as an Excel workbook (XLSX), written on the device with write-excel-file (its "universal"
// build: no worker, the same in the browser and in the tests): the same header and rows as the screen and the CSV
// (table.ts), counts as numbers (Excel sums them), text as text (never a formula), the header bold and frozen.
// Loaded only when someone exports (a chunk of its own).
import writeExcelFile from 'write-excel-file/universal';
import type { Report } from '@telehealth/domain';
import { reportCells, reportHeader, type ReportNames } from './table';

/** The workbook of a report, as a Blob. */
export async function reportXlsx(r: Report, names: ReportNames): Promise<Blob> {
  const header = reportHeader(r).map((value) => ({ value, fontWeight: 'bold' as const, wrap: true }));
  const countColumn = [false, ...r.columns.map((c) => c.kind === 'count')];
  const rows = reportCells(r, names).map((row) =>
    row.map((value, i) => (countColumn[i] && value !== '' ? { value: Number(value), type: Number } : i === 0 ? { value: Number(value), type: Number } : { value, type: String }))
  );
  const columns = countColumn.map((count, i) => ({ width: i === 0 ? 6 : count ? 14 : 28 }));
  return writeExcelFile([header, ...rows], { sheet: `Báo cáo ${r.table.toUpperCase()}`, columns, stickyRowsCount: 1 }).toBlob();
}

/** bao-cao-5a_2025-07-01_2025-07-31.xlsx */
export const reportXlsxFileName = (r: Report) => `bao-cao-${r.table}_${r.filter.from}_${r.filter.to}.xlsx`;
