// A report of appendix 5 as a printable PDF: A4 landscape, the table's Vietnamese title, the period and filters, and
// the same header and rows as the screen, the CSV and the XLSX (table.ts), ruled, counts set right, the header
// repeated on each page. Made on the device with the project's PDF writer (loaded only when someone prints).
import { vietnamParts, type Report } from '@telehealth/domain';
import type { MessageKey } from '../i18n/catalog';
import { PdfDocument } from '../pdf/writer';
import { A4, L, Writer, addFormFonts, type PdfFontFiles } from '../records/pdf-layout';
import { formatDate } from '../records/dates';
import { reportCells, reportHeader, type ReportNames } from './table';

const landscape = { width: A4.height, height: A4.width };
const margin = 36;

/** "Từ ngày 01/07/2025 đến ngày 31/07/2025 · Tỉnh/ thành phố: Lào Cai · …": the period and the filters set. */
export function filterLine(r: Report, names: ReportNames): string {
  const f = r.filter;
  const parts = [L('pdfrep.period', { from: formatDate(f.from), to: formatDate(f.to) })];
  const add = (key: MessageKey, value: string | undefined) => value && parts.push(`${L(key)}: ${value}`);
  if (f.provinceCode) add('reports.province', names.province(f.provinceCode) ?? f.provinceCode);
  if (f.oldDistrictCode) add('reports.district', names.district(f.oldDistrictCode) ?? f.oldDistrictCode);
  if (f.communeCode) add('reports.commune', names.commune(f.communeCode) ?? f.communeCode);
  if (f.unitId) add('reports.unit', names.unit(f.unitId) ?? f.unitId);
  if (f.gender) add('reports.gender', f.gender === 'male' ? L('patient.male') : L('patient.female'));
  if (f.ethnicityCode) add('reports.ethnicity', names.ethnicity(f.ethnicityCode) ?? f.ethnicityCode);
  return parts.join(' · ');
}

export async function reportPdf(r: Report, names: ReportNames, at: string | number, fonts: string | PdfFontFiles = '/fonts'): Promise<{ bytes: Uint8Array; unprintable: string[] }> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const title = L(`report.${r.table}.title` as MessageKey);
  pdf.title = `${title} ${r.table.toUpperCase()}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold, landscape, margin);
  w.text(`${L('pdfrep.appendix', { table: r.table.toUpperCase() })}. ${title.toUpperCase()}`, { bold: true, size: 13, center: true, gap: 2 });
  w.text(filterLine(r, names), { size: 10, center: true, gap: 8 });
  const counts = r.columns.map((c) => c.kind === 'count');
  const labels = counts.filter((c) => !c).length;
  const full = landscape.width - 2 * margin;
  const stt = 26;
  const labelWidth = Math.min(100, (full - stt) / (labels + counts.filter(Boolean).length * 0.6));
  const countWidth = counts.some(Boolean) ? (full - stt - labelWidth * labels) / counts.filter(Boolean).length : 0;
  const widths = [stt, ...counts.map((c) => (c ? countWidth : labelWidth))];
  w.table(reportHeader(r), reportCells(r, names), widths, { size: 8, right: [true, ...counts] });
  const day = vietnamParts(at);
  w.y -= 8;
  w.text(L('pdfrep.printed', { day: String(day.day).padStart(2, '0'), month: String(day.month).padStart(2, '0'), year: day.year }), { size: 9, gap: 2 });
  w.text(L('reports.notRecorded'), { size: 9 });
  return { bytes: await pdf.save(), unprintable: pdf.unprintable };
}

/** bao-cao-5a_2025-07-01_2025-07-31.pdf */
export const reportPdfFileName = (r: Report) => `bao-cao-${r.table}_${r.filter.from}_${r.filter.to}.pdf`;
