// "In đơn thuốc" (M10): an issued prescription on A5 in the layout of the prescription form of circular 27/2021/TT-BYT
// (the unit, "ĐƠN THUỐC", the national prescription code as text and as a QR code, the patient, the diagnosis, each
// drug with its quantity and how to take it, the advice, the date and the prescriber), made on the device (offline)
// with the project's PDF writer and the forms' fonts. Labels are the `pdfrx.*` entries of the i18n catalog, in
// Vietnamese whatever the screen's language. Characters no font has are named, never printed as "?".
import { encode } from 'uqr';
import { vietnamParts, type Fields } from '@telehealth/domain';
import { PdfDocument } from '../pdf/writer';
import { A5, L, Writer, addFormFonts, measured, type PdfFontFiles } from './pdf-layout';
import { formatDate } from './dates';
import { drugLabel } from './drug-suggestions';

export type PrescriptionPdfInput = {
  prescription: Fields;
  /** The patient's chart (name, date of birth, gender, insurance number, address). */
  patient: Fields;
  unitName: string;
  parentUnitName: string;
  /** The code of the prescription this one replaces (a correction). */
  replacesCode?: string;
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const pad = (n: number) => String(n).padStart(2, '0');
type Item = Record<string, unknown>;

/** The QR code of `value` as black squares, `size` points wide, its top left corner at (x, top). */
function drawQr(w: Writer, value: string, x: number, top: number, size: number) {
  const qr = encode(value, { ecc: 'M' });
  const cell = size / qr.size;
  const rects: { x: number; y: number; width: number; height: number }[] = [];
  qr.data.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (dark) rects.push({ x: x + c * cell, y: top - (r + 1) * cell, width: cell, height: cell });
    })
  );
  w.page.fillRectangles(rects);
}

/** `fonts`: the folder the app serves them from, or their bytes. */
export async function prescriptionPdf(input: PrescriptionPdfInput, fonts: string | PdfFontFiles = '/fonts'): Promise<{ bytes: Uint8Array; unprintable: string[] }> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const rx = input.prescription;
  const p = input.patient;
  pdf.title = `${L('pdfrx.title')} ${text(rx.code) ?? ''}`.trim();
  pdf.creator = L('app.name');
  const margin = 30;
  const w = new Writer(pdf, regular, bold, A5, margin);
  w.size = 9.5;
  const width = A5.width - 2 * margin;

  // Heading: the unit on the left, the code and its QR code on the right.
  const qrSize = 62;
  const top = w.y;
  const code = text(rx.code);
  if (code) drawQr(w, code, A5.width - margin - qrSize, top, qrSize);
  const leftWidth = width - qrSize - 10;
  w.text(input.parentUnitName.trim() ? input.parentUnitName.toUpperCase() : L('pdf3.centreBlank'), { x: margin, width: leftWidth, size: 8.5 });
  w.text(input.unitName.trim() ? input.unitName.toUpperCase() : L('pdf3.stationBlank'), { x: margin, width: leftWidth, size: 8.5, bold: true });
  w.text(`${L('pdfrx.code')}: ${code ?? '…'}`, { x: margin, width: leftWidth, size: 9, bold: true });
  w.y = Math.min(w.y, top - qrSize) - 6;
  w.text(L('pdfrx.title'), { bold: true, size: 14, center: true, gap: 4 });
  if (text(rx.replacesId)) w.text(L('pdfrx.replaces', { code: input.replacesCode ?? '…' }), { size: 8.5, center: true, gap: 2 });

  // The patient.
  const dob = text(p.dateOfBirth);
  const issuedAt = text(rx.issuedAt);
  w.row([{ label: L('pdfrx.name'), value: text(p.fullName) }]);
  w.row([
    { label: L('pdfrx.dateOfBirth'), value: dob ? formatDate(dob) : undefined },
    { label: L('pdfrx.gender'), value: p.gender === 'male' ? L('pdf3.male') : p.gender === 'female' ? L('pdf3.female') : undefined }
  ]);
  w.row([{ label: L('pdfrx.insurance'), value: text(p.insuranceNumber) ?? '' }]);
  w.row([{ label: L('pdfrx.address'), value: text(p.address) }]);
  const icds = Array.isArray(rx.icds) ? (rx.icds as unknown[]).filter((c): c is string => typeof c === 'string') : [];
  w.row([{ label: L('pdfrx.diagnosis'), value: [text(rx.diagnosis), icds.length ? `(${icds.join(', ')})` : undefined].filter(Boolean).join(' ') }]);

  // The drugs: "1. Name strength (form)   Quantity unit", then how to take it.
  w.y -= 2;
  w.text(`${L('pdfrx.drugs')}:`, { bold: true, gap: 2 });
  const items = Array.isArray(rx.items) ? (rx.items as unknown[]).filter((i): i is Item => typeof i === 'object' && i !== null) : [];
  items.forEach((item, i) => {
    const name = drugLabel(item);
    const quantity = `${L('pdfrx.quantity')}: ${number(item.quantity) !== undefined ? measured(number(item.quantity)) : '…'} ${text(item.unit) ?? ''}`.trim();
    w.row([{ value: `${i + 1}. ${name}` }, { value: quantity }], { x: margin });
    const usage = [text(item.route), text(item.usage), number(item.days) !== undefined ? L('pdfrx.days', { days: number(item.days)! }) : undefined].filter(Boolean).join('. ');
    w.text(usage, { x: margin + 12, size: 9, gap: 2 });
  });
  w.row([{ label: L('pdfrx.advice'), value: text(rx.advice) ?? '' }]);
  const follow = text(rx.followUpAt);
  if (follow) w.row([{ label: L('pdfrx.followUp'), value: formatDate(follow) }]);

  // Date and prescriber, on the right.
  w.y -= 6;
  const half = width / 2;
  const at = issuedAt ? vietnamParts(issuedAt) : undefined;
  w.text(at ? L('pdfrx.date', { day: pad(at.day), month: pad(at.month), year: at.year }) : L('pdfrx.date', { day: '…', month: '…', year: '……' }), { x: margin + half, width: half, center: true, size: 9 });
  w.text(L('pdfrx.prescriber'), { x: margin + half, width: half, center: true, bold: true, size: 9 });
  w.text(L('pdf.signHint'), { x: margin + half, width: half, center: true, size: 8, gap: 26 });
  w.text(text(rx.prescriberName) ?? '', { x: margin + half, width: half, center: true, size: 9.5, bold: true, gap: 8 });
  w.text(L('pdfrx.bringBack'), { size: 8 });

  const bytes = await pdf.save();
  return { bytes, unprintable: pdf.unprintable };
}

/** "don-thuoc-<code>.pdf". */
export function prescriptionPdfFileName(prescription: Fields): string {
  return `don-thuoc-${(text(prescription.code) ?? 'nhap').replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`;
}
