// A report of appendix 5 laid out as people read it — on the screen and in the CSV file: the seed's headers in
// Vietnamese (whatever the screen's language, as the official forms are), STT, place and unit names instead of codes,
// an empty cell for an indicator that is not recorded — and the CSV text itself (RFC 4180, UTF-8 with a BOM so that
// Excel shows Vietnamese).
import type { Report, ReportColumn } from '@telehealth/domain';
import { translate, type MessageKey } from '../i18n/catalog';

/** How codes read as names (catalogs and the unit directory); a code without a name stays the code. */
export type ReportNames = {
  province(code: string): string | undefined;
  district(code: string): string | undefined;
  commune(code: string): string | undefined;
  unit(id: string): string | undefined;
  ethnicity(code: string): string | undefined;
};

const vi = (key: string) => translate('vi', key as MessageKey);

/** A column's header: its group and its own label (5D's "Số cuộc gọi đến – Tư vấn, KCB từ xa"). */
export const columnLabel = (table: Report['table'], c: ReportColumn, join = ' – ') =>
  c.group ? `${vi(`report.group.${c.group}`)}${join}${vi(`report.${table}.${c.key}`)}` : vi(`report.${table}.${c.key}`);

/** The header row: STT, then the table's columns. */
export const reportHeader = (r: Report): string[] => [vi('reports.stt'), ...r.columns.map((c) => columnLabel(r.table, c))];

/** The rows as text, numbered from 1. */
export function reportCells(r: Report, names: ReportNames): string[][] {
  const name = (code: string | null, find: (c: string) => string | undefined) => (code === null ? '' : (find(code) ?? code));
  return r.rows.map((row, i) => [
    String(i + 1),
    ...r.columns.map((c) => {
      if (c.kind === 'count') return row.counts[c.key] === null || row.counts[c.key] === undefined ? '' : String(row.counts[c.key]);
      switch (c.key) {
        case 'province':
          return name(row.provinceCode, names.province);
        case 'district':
          return name(row.oldDistrictCode, names.district);
        case 'commune':
          return name(row.communeCode, names.commune);
        case 'unit':
          return name(row.unitId, names.unit);
        case 'gender':
          return row.gender === 'male' ? vi('patient.male') : row.gender === 'female' ? vi('patient.female') : '';
        case 'ethnicity':
          return name(row.ethnicityCode, names.ethnicity);
        default:
          return row.qualification ?? '';
      }
    })
  ]);
}

/**
 * RFC 4180 text: CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF (its quotes doubled), and a
 * BOM first. A text field that starts with = + - @ or a tab is prefixed with ' so that a spreadsheet never runs it as a
 * formula (a unit's name is typed by an administrator); numbers are written as they are.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const field = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return '\uFEFF' + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The CSV file of a report. */
export const reportCsv = (r: Report, names: ReportNames) => toCsv([reportHeader(r), ...reportCells(r, names)]);

/** A file name for it: bao-cao-5a_2025-07-01_2025-07-31.csv. */
export const reportFileName = (r: Report) => `bao-cao-${r.table}_${r.filter.from}_${r.filter.to}.csv`;

/** Each recorded count column's total over the rows (a column no row records is left out): what the chart shows. */
export function reportTotals(r: Report): { label: string; total: number }[] {
  return r.columns
    .filter((c) => c.kind === 'count' && r.rows.some((row) => typeof row.counts[c.key] === 'number'))
    .map((c) => ({ label: columnLabel(r.table, c), total: r.rows.reduce((n, row) => n + (row.counts[c.key] ?? 0), 0) }));
}
