// "In phiếu yêu cầu hội chẩn" (M6): the consultation request in the layout of guideline appendix 4A, made on
// the device (offline) with our PDF writer and the DejaVu Serif fonts shipped in static/fonts (cut down by
// `npm run fonts:subset` to the characters of app/lib/pdf/charset.ts, ≈ 40 KB each; a 4 KB DejaVu Sans gives the few
// symbols the serif lacks, ₫ ☐ ✓). Photos follow on their own pages. Characters no font has are returned, for the
// screen to name them.
import { PdfDocument, type PdfFont, type PdfPage } from '../pdf/writer';
import { vietnamDate, vietnamParts, type ConsultationRequest } from '@telehealth/domain';
import { formatDate, formatNumber } from './dates';
import { translate, type MessageKey } from '../i18n/catalog';
import type { Photo } from './photos';

/** The official form is in Vietnamese whatever language the screen is in. */
const L = (key: MessageKey, params?: Record<string, string | number>) => translate('vi', key, params);

export type RequestPdfInput = {
  request: Partial<ConsultationRequest>;
  /** Trạm y tế … (the requesting unit) and its parent (Trung tâm y tế …). */
  unitName: string;
  parentUnitName: string;
  upperUnitName: string;
  photos: Photo[];
  /** Vietnamese names of ICD-10 codes, for the secondary diagnoses. */
  icdName?: (code: string) => string | undefined;
};

const A4 = { width: 595.28, height: 841.89 };
const margin = 50;

async function loadFont(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`font ${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The form's dates and times, in Vietnam's time whatever the device's zone (a request sent at 06:00 is dated that day). */
export const dmy = (iso?: string) => (iso ? formatDate(iso) : '…');
export const hm = (iso?: string) => {
  if (!iso) return '… giờ … phút';
  const p = vietnamParts(iso);
  return `${pad(p.hour)} giờ ${pad(p.minute)} phút`;
};
/** "Ngày 23 tháng 11 năm 2026", the day in Vietnam of an instant. */
export const dateLine = (iso?: string) => {
  if (!iso) return L('pdf.dateBlank');
  const [year, month, day] = vietnamDate(iso).split('-') as [string, string, string];
  return L('pdf.date', { day, month, year });
};
/** A measured value on the form (always Vietnamese): 37,5; a blank line when not measured. */
export const measured = (n: number | undefined) => (n === undefined ? '____' : formatNumber(n, 'vi'));

class Writer {
  page: PdfPage;
  y = A4.height - margin;
  constructor(
    private readonly pdf: PdfDocument,
    readonly regular: PdfFont,
    readonly bold: PdfFont
  ) {
    this.page = pdf.addPage(A4.width, A4.height);
  }

  private ensure(height: number) {
    if (this.y - height < margin) {
      this.page = this.pdf.addPage(A4.width, A4.height);
      this.y = A4.height - margin;
    }
  }

  /** Lines of at most `width` points, breaking at spaces (and inside words that are longer than a line). */
  wrap(text: string, font: PdfFont, size: number, width: number): string[] {
    const out: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width) line = candidate;
        else {
          if (line) out.push(line);
          line = word;
          while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
            let cut = line.length - 1;
            while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
            out.push(line.slice(0, cut));
            line = line.slice(cut);
          }
        }
      }
      out.push(line);
    }
    return out;
  }

  text(text: string, opts: { size?: number; bold?: boolean; x?: number; width?: number; center?: boolean; gap?: number } = {}) {
    const size = opts.size ?? 11;
    const font = opts.bold ? this.bold : this.regular;
    const x = opts.x ?? margin;
    const width = opts.width ?? A4.width - margin - x;
    for (const line of this.wrap(text, font, size, width)) {
      this.ensure(size * 1.4);
      const lineX = opts.center ? x + (width - font.widthOfTextAtSize(line, size)) / 2 : x;
      this.page.drawText(line, { x: lineX, y: this.y - size, size, font });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 0;
  }

  /** "Label: value": a short label in bold with the value after it; a long label on its own lines, the value under it. */
  field(label: string, value: string | undefined) {
    const size = 11;
    const labelText = `${label}: `;
    const full = A4.width - 2 * margin;
    const inlineWidth = this.bold.widthOfTextAtSize(labelText, size);
    const text = value?.trim() || '…';
    if (inlineWidth > full * 0.45) {
      this.text(labelText.trim(), { bold: true, size });
      this.text(text, { x: margin + 12, size, gap: 2 });
      return;
    }
    const lines = this.wrap(text, this.regular, size, full - inlineWidth);
    this.ensure(size * 1.4);
    this.page.drawText(labelText, { x: margin, y: this.y - size, size, font: this.bold });
    lines.forEach((line, i) => {
      if (i > 0) this.ensure(size * 1.4);
      this.page.drawText(line, { x: margin + inlineWidth, y: this.y - size, size, font: this.regular });
      this.y -= size * 1.4;
    });
    this.y -= 2;
  }

  /** "Label: ☐ a ☒ b" with the boxes drawn (the fonts have no ballot-box glyphs). */
  choices(label: string, options: [string, boolean][]) {
    const size = 11;
    this.ensure(size * 1.4);
    const labelText = `${label}: `;
    this.page.drawText(labelText, { x: margin, y: this.y - size, size, font: this.bold });
    let x = margin + this.bold.widthOfTextAtSize(labelText, size);
    for (const [text, checked] of options) {
      const box = size * 0.8;
      const y = this.y - size;
      this.page.drawRectangle({ x, y: y - 1, width: box, height: box, borderWidth: 0.8 });
      if (checked) {
        this.page.drawLine({ start: { x: x + 1.5, y: y + 0.5 }, end: { x: x + box - 1.5, y: y + box - 2.5 }, thickness: 1 });
        this.page.drawLine({ start: { x: x + 1.5, y: y + box - 2.5 }, end: { x: x + box - 1.5, y: y + 0.5 }, thickness: 1 });
      }
      x += box + 4;
      this.page.drawText(text, { x, y, size, font: this.regular });
      x += this.regular.widthOfTextAtSize(text, size) + 14;
    }
    this.y -= size * 1.4 + 2;
  }

  /** Two centred blocks side by side (the form's heading). */
  columns(left: [string, boolean][], right: [string, boolean][]) {
    const top = this.y;
    const leftWidth = (A4.width - 2 * margin) * 0.42;
    const rightWidth = A4.width - 2 * margin - leftWidth;
    this.y = top;
    for (const [line, b] of left) this.text(line, { bold: b, x: margin, width: leftWidth, center: true, size: 10 });
    const leftBottom = this.y;
    this.y = top;
    for (const [line, b] of right) this.text(line, { bold: b, x: margin + leftWidth, width: rightWidth, center: true, size: 10 });
    this.y = Math.min(this.y, leftBottom) - 12;
  }

  async image(photo: Photo, caption: string) {
    const img = this.pdf.embedJpg(photo.bytes);
    const maxW = A4.width - 2 * margin;
    const maxH = A4.height - 2 * margin - 40;
    const scale = Math.min(1, maxW / img.width, maxH / img.height);
    this.page = this.pdf.addPage(A4.width, A4.height);
    this.y = A4.height - margin;
    this.text(caption, { bold: true });
    this.page.drawImage(img, { x: margin, y: this.y - img.height * scale - 6, width: img.width * scale, height: img.height * scale });
  }
}

export type RequestPdf = {
  bytes: Uint8Array;
  /** Characters of the request that no font of the PDF has (printed as an empty box), each once. */
  unprintable: string[];
};

export async function requestPdf(input: RequestPdfInput, fontBase = '/fonts'): Promise<RequestPdf> {
  const pdf = new PdfDocument();
  const [regularBytes, boldBytes, symbolBytes] = await Promise.all(
    ['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSans.ttf'].map((name) => loadFont(`${fontBase}/${name}`))
  );
  const symbols = pdf.addFont(symbolBytes!);
  const regular = pdf.addFont(regularBytes!, symbols);
  const bold = pdf.addFont(boldBytes!, symbols);
  const r = input.request;
  pdf.title = `${L('pdf4a.title')} — ${r.patientName ?? ''}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold);

  w.columns(
    [
      [input.parentUnitName.toUpperCase(), false],
      [input.unitName.toUpperCase(), true]
    ],
    [
      [L('pdf.nation'), true],
      [L('pdf.motto'), true]
    ]
  );
  w.text(L('pdf4a.title'), { bold: true, size: 13, center: true, gap: 4 });
  w.text(dateLine(r.sentAt ?? r.createdAt), { center: true, gap: 10 });

  w.field(L('pdf4a.fromUnit'), input.unitName);
  w.field(L('pdf4a.toUnit'), input.upperUnitName);
  w.field(L('pdf4a.doctor'), r.requestingDoctorName);
  w.field(L('pdf4a.proposedAt'), r.proposedAt ? `${dmy(r.proposedAt)} ${L('pdf.at')} ${hm(r.proposedAt)}` : undefined);
  w.text(L('pdf4a.patientInfo'), { bold: true, gap: 2 });
  w.field(L('pdf4a.patientName'), r.patientName);
  w.field(L('patient.dateOfBirth'), r.patientDateOfBirth ? dmy(r.patientDateOfBirth) : undefined);
  w.choices(L('patient.gender'), [
    [L('patient.male'), r.patientGender === 'male'],
    [L('patient.female'), r.patientGender === 'female']
  ]);
  w.field(L('pdf4a.recordNumber'), r.recordNumber);
  w.field(L('pdf4a.insurance'), r.insuranceNumber);
  w.field(L('pdf4a.diagnosisIcd'), r.diagnosisIcd);
  if (r.secondaryIcds?.length) w.field(L('pdf4a.secondaryIcds'), r.secondaryIcds.map((c) => (input.icdName?.(c) ? `${c} ${input.icdName(c)}` : c)).join('; '));
  w.field(L('pdf4a.admittedAt'), r.admittedAt ? `${dmy(r.admittedAt)} ${hm(r.admittedAt)}` : undefined);
  w.field(L('pdf4a.department'), r.department);
  w.field(L('pdf4a.progress'), r.progress);
  w.field(L('form.history'), r.history);
  w.text(L('pdf4a.condition'), { bold: true, gap: 2 });
  const v = measured;
  w.text(
    `${L('vital.heightCm')}: ${v(r.heightCm)} cm    ${L('vital.weightKg')}: ${v(r.weightKg)} kg    ${L('vital.pulse')}: ${v(r.pulse)} ${L('unit.perMinute')}`,
    { x: margin + 12 }
  );
  w.text(
    `${L('vital.temperatureC')}: ${v(r.temperatureC)} ${L('unit.celsius')}    ${L('pdf.bloodPressure')}: ${v(r.bpSystolic)}/${v(r.bpDiastolic)} (mm Hg)    ${L('vital.respiratoryRate')}: ${v(r.respiratoryRate)} ${L('unit.perMinute')}`,
    { x: margin + 12, gap: 4 }
  );
  w.field(L('form.symptoms'), r.symptoms);
  w.field(L('pdf4a.currentDiagnosis'), r.currentDiagnosis);
  w.field(L('pdf4a.careSummary'), r.careSummary);
  w.field(L('pdf4a.requestContent'), r.requestContent);
  if (input.photos.length) w.field(L('pdf4a.attachments'), L('pdf4a.attachmentsCount', { count: input.photos.length }));

  w.y -= 16;
  const half = (A4.width - 2 * margin) / 2;
  w.text(L('pdf4a.signature'), { bold: true, x: margin + half, width: half, center: true });
  w.text(L('pdf.signHint'), { x: margin + half, width: half, center: true, size: 9.5, gap: 36 });
  w.text(r.requestingDoctorName ?? '', { bold: true, x: margin + half, width: half, center: true });

  for (const [i, photo] of input.photos.entries()) await w.image(photo, L('pdf4a.photoCaption', { n: i + 1, name: photo.name }));
  const bytes = await pdf.save();
  return { bytes, unprintable: pdf.unprintable };
}
