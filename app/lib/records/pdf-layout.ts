// The layout the official forms share when printed on the device (appendix 4A: pdf.ts; appendix 3: form-pdf.ts):
// A4 pages, the DejaVu fonts of static/fonts (the serif, its bold, and a DejaVu Sans cut to the symbols the serif
// lacks: ₫ ☐ ☒ ✓), "Label: value" lines, tick boxes, columns and photos. Dates and times are Vietnam's whatever the
// device's zone; measured values take a decimal comma (the forms are Vietnamese whatever the screen's language).
import { PdfDocument, type PdfFont, type PdfPage } from '../pdf/writer';
import { vietnamDate, vietnamParts } from '@telehealth/domain';
import { formatDate, formatNumber } from './dates';
import { translate, type MessageKey } from '../i18n/catalog';
import type { Photo } from './photos';

/** The official form is in Vietnamese whatever language the screen is in. */
export const L = (key: MessageKey, params?: Record<string, string | number>) => translate('vi', key, params);

/** The three font files of a printed form: given as bytes (tests), or fetched from a folder (`/fonts`, precached). */
export type PdfFontFiles = { regular: Uint8Array; bold: Uint8Array; symbols: Uint8Array };

export const A4 = { width: 595.28, height: 841.89 };
export const A5 = { width: 419.53, height: 595.28 };
export const margin = 50;

async function loadFont(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`font ${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The fonts added to `pdf`: the serif and its bold, each falling back to the sans for the symbols it lacks. */
export async function addFormFonts(pdf: PdfDocument, fonts: string | PdfFontFiles): Promise<{ regular: PdfFont; bold: PdfFont }> {
  const files =
    typeof fonts === 'string'
      ? await Promise.all(['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSans.ttf'].map((name) => loadFont(`${fonts}/${name}`))).then(([regular, bold, symbols]) => ({
          regular: regular!,
          bold: bold!,
          symbols: symbols!
        }))
      : fonts;
  const symbols = pdf.addFont(files.symbols);
  return { regular: pdf.addFont(files.regular, symbols), bold: pdf.addFont(files.bold, symbols) };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The form's dates and times, in Vietnam's time whatever the device's zone (a request sent at 06:00 is dated that day). */
export const dmy = (iso?: string) => (iso ? formatDate(iso) : '…');
export const hm = (iso?: string) => {
  if (!iso) return '… giờ … phút';
  const p = vietnamParts(iso);
  return `${pad(p.hour)} giờ ${pad(p.minute)} phút`;
};
/** A time of day on the form, in Vietnam's time: 08:30; undefined without an instant. */
export const clock = (iso?: string) => {
  if (!iso || !Number.isFinite(Date.parse(iso))) return undefined;
  const p = vietnamParts(iso);
  return `${pad(p.hour)}:${pad(p.minute)}`;
};
/** "Ngày 23 tháng 11 năm 2026", the day in Vietnam of an instant. */
export const dateLine = (iso?: string) => {
  if (!iso) return L('pdf.dateBlank');
  const [year, month, day] = vietnamDate(iso).split('-') as [string, string, string];
  return L('pdf.date', { day, month, year });
};
/** A measured value on the form (always Vietnamese): 37,5; a blank line when not measured. */
export const measured = (n: number | undefined) => (n === undefined ? '____' : formatNumber(n, 'vi'));

/** One cell of a row: "Label: value", "Label: ☐ a ☒ b" for tick boxes, or both ("Label: value ☒ a"). */
export type Cell = { label?: string; value?: string; ticks?: [string, boolean][] };

/** The ballot boxes of the official forms, as characters (so that the text layer reads which one is ticked). */
export const box = (checked: boolean) => (checked ? '☒' : '☐');

export class Writer {
  page: PdfPage;
  y: number;
  /** The size of text and rows that do not give one. */
  size = 11;
  constructor(
    private readonly pdf: PdfDocument,
    readonly regular: PdfFont,
    readonly bold: PdfFont,
    /** The paper (A4 for the forms, A5 for a prescription) and the margin on every side. */
    readonly paper: { width: number; height: number } = A4,
    readonly margin = 50
  ) {
    this.page = pdf.addPage(this.paper.width, this.paper.height);
    this.y = this.paper.height - this.margin;
  }

  private ensure(height: number) {
    if (this.y - height < this.margin) {
      this.page = this.pdf.addPage(this.paper.width, this.paper.height);
      this.y = this.paper.height - this.margin;
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
    const size = opts.size ?? this.size;
    const font = opts.bold ? this.bold : this.regular;
    const x = opts.x ?? this.margin;
    const width = opts.width ?? this.paper.width - this.margin - x;
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
    const full = this.paper.width - 2 * this.margin;
    const inlineWidth = this.bold.widthOfTextAtSize(labelText, size);
    const text = value?.trim() || '…';
    if (inlineWidth > full * 0.45) {
      this.text(labelText.trim(), { bold: true, size });
      this.text(text, { x: this.margin + 12, size, gap: 2 });
      return;
    }
    const lines = this.wrap(text, this.regular, size, full - inlineWidth);
    this.ensure(size * 1.4);
    this.page.drawText(labelText, { x: this.margin, y: this.y - size, size, font: this.bold });
    lines.forEach((line, i) => {
      if (i > 0) this.ensure(size * 1.4);
      this.page.drawText(line, { x: this.margin + inlineWidth, y: this.y - size, size, font: this.regular });
      this.y -= size * 1.4;
    });
    this.y -= 2;
  }

  /** "Label: ☐ a ☒ b" with the boxes drawn (the fonts have no ballot-box glyphs). */
  choices(label: string, options: [string, boolean][]) {
    const size = 11;
    this.ensure(size * 1.4);
    const labelText = `${label}: `;
    this.page.drawText(labelText, { x: this.margin, y: this.y - size, size, font: this.bold });
    let x = this.margin + this.bold.widthOfTextAtSize(labelText, size);
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
    const leftWidth = (this.paper.width - 2 * this.margin) * 0.42;
    const rightWidth = this.paper.width - 2 * this.margin - leftWidth;
    this.y = top;
    for (const [line, b] of left) this.text(line, { bold: b, x: this.margin, width: leftWidth, center: true, size: 10 });
    const leftBottom = this.y;
    this.y = top;
    for (const [line, b] of right) this.text(line, { bold: b, x: this.margin + leftWidth, width: rightWidth, center: true, size: 10 });
    this.y = Math.min(this.y, leftBottom) - 12;
  }

  /**
   * Cells side by side in equal columns (a single cell takes the whole width): "Label: value" with the value flowing
   * under the label in its column, or "Label: ☐ a   ☒ b" with the options flowing onto more lines when they do not
   * fit. Line by line, so that a row that reaches the end of a page goes on at the top of the next.
   */
  row(cells: Cell[], opts: { x?: number; size?: number; gap?: number } = {}) {
    const size = opts.size ?? this.size;
    const x0 = opts.x ?? this.margin;
    const gutter = 14;
    const width = (this.paper.width - this.margin - x0 - gutter * (cells.length - 1)) / cells.length;
    const laid = cells.map((cell) => this.flow(wordsOf(cell), size, width));
    const height = Math.max(...laid.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      this.ensure(size * 1.4);
      laid.forEach((lines, column) => {
        let x = x0 + column * (width + gutter);
        for (const segment of lines[i] ?? []) {
          const font = segment.bold ? this.bold : this.regular;
          this.page.drawText(segment.text, { x, y: this.y - size, size, font });
          x += font.widthOfTextAtSize(segment.text, size);
        }
      });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 2;
  }

  /** A section's title: bold, a little apart from what came before. */
  heading(text: string) {
    this.y -= 4;
    this.text(text, { bold: true, size: this.size + 0.5, gap: 2 });
  }

  /**
   * A ruled table across the page: the header row in bold (repeated at the top of each new page), then the rows;
   * each cell's text wrapped in its column (`widths` in points, from the left margin), numbers (`right`) set right.
   */
  table(header: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[], opts: { size?: number; right?: readonly boolean[] } = {}) {
    const size = opts.size ?? 8;
    const pad = 2.5;
    const line = size * 1.25;
    const xs = widths.map((_, i) => this.margin + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const draw = (cells: readonly string[], bold: boolean) => {
      const font = bold ? this.bold : this.regular;
      const wrapped = cells.map((c, i) => this.wrap(c, font, size, widths[i]! - 2 * pad));
      const height = Math.max(...wrapped.map((l) => l.length)) * line + 2 * pad;
      return { wrapped, height, font };
    };
    const put = (r: ReturnType<typeof draw>, right: readonly boolean[]) => {
      r.wrapped.forEach((lines, i) => {
        this.page.drawRectangle({ x: xs[i]!, y: this.y - r.height, width: widths[i]!, height: r.height, borderWidth: 0.5 });
        lines.forEach((text, k) => {
          const x = right[i] ? xs[i]! + widths[i]! - pad - r.font.widthOfTextAtSize(text, size) : xs[i]! + pad;
          this.page.drawText(text, { x, y: this.y - pad - (k + 1) * line + (line - size) / 2 + 1, size, font: r.font });
        });
      });
      this.y -= r.height;
    };
    const head = draw(header, true);
    this.ensure(head.height + line * 2);
    put(head, []);
    for (const row of rows) {
      const r = draw(row, false);
      if (this.y - r.height < this.margin) {
        this.ensure(Infinity);
        put(head, []);
      }
      put(r, opts.right ?? []);
    }
  }

  /** Words as lines of at most `width` points, each line as runs of regular or bold text (spaces included). */
  private flow(words: Word[], size: number, width: number): Segment[][] {
    const lines: Segment[][] = [[]];
    let x = 0;
    const append = (line: Segment[], text: string, bold: boolean) => {
      const last = line.at(-1);
      if (last?.bold === bold) last.text += text;
      else line.push({ text, bold });
    };
    for (const word of words) {
      if (word === 'break') {
        lines.push([]);
        x = 0;
        continue;
      }
      const font = word.bold ? this.bold : this.regular;
      let line = lines.at(-1)!;
      let text = line.length ? word.gap + word.text : word.text;
      let w = font.widthOfTextAtSize(text, size);
      if (line.length && x + w > width) {
        line = [];
        lines.push(line);
        text = word.text;
        w = font.widthOfTextAtSize(text, size);
        x = 0;
      }
      if (w <= width) {
        append(line, text, word.bold);
        x += w;
        continue;
      }
      // One word longer than the column: cut inside it.
      this.wrap(text, font, size, width).forEach((piece, i) => {
        if (i > 0) {
          line = [];
          lines.push(line);
        }
        append(line, piece, word.bold);
        x = font.widthOfTextAtSize(piece, size);
      });
    }
    return lines;
  }

  async image(photo: Photo, caption: string) {
    const img = this.pdf.embedJpg(photo.bytes);
    const maxW = this.paper.width - 2 * this.margin;
    const maxH = this.paper.height - 2 * this.margin - 40;
    const scale = Math.min(1, maxW / img.width, maxH / img.height);
    this.page = this.pdf.addPage(this.paper.width, this.paper.height);
    this.y = this.paper.height - this.margin;
    this.text(caption, { bold: true });
    this.page.drawImage(img, { x: this.margin, y: this.y - img.height * scale - 6, width: img.width * scale, height: img.height * scale });
  }
}

type Segment = { text: string; bold: boolean };
type Word = { text: string; bold: boolean; gap: string } | 'break';

/** Words and the spaces before each (a wider gap between parts of a line is kept as typed). */
function split(text: string, bold: boolean, gap = ' '): Word[] {
  const words: Word[] = [];
  let before = gap;
  for (const part of text.trim().split(/( +)/)) {
    if (part.startsWith(' ')) before = part;
    else if (part) words.push({ text: part, bold, gap: words.length ? before : gap });
  }
  return words;
}

/**
 * A cell as words: its label in bold, then its value's paragraphs ("…" when blank and there are no tick boxes), then
 * its tick boxes, each kept whole on one line when it fits ("☐ Điều trị tại nhà/TYT" is not cut after "tại").
 */
function wordsOf(cell: Cell): Word[] {
  const words: Word[] = cell.label ? split(`${cell.label}:`, true) : [];
  const value = cell.value?.trim() || (cell.ticks ? '' : '…');
  value.split('\n').forEach((paragraph, i) => {
    if (i > 0) words.push('break');
    words.push(...split(paragraph, false));
  });
  cell.ticks?.forEach(([text, checked], i) => {
    words.push({ text: `${box(checked)} ${text.trim()}`, bold: false, gap: i === 0 && !value ? ' ' : '    ' });
  });
  return words;
}

/** "Tram-Y-te-xa-Y-Ty": a name for a file name, without diacritics or spaces. */
export const asciiFileName = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * The heading of an official report (decision 28's and circular 49's forms): the governing body over the unit on the
 * left, the nation and its motto on the right; the document's number and its place and date (Vietnam's day of `at`);
 * "BÁO CÁO" and the report's title.
 */
export function reportHeading(w: Writer, h: { governingBody: string; unitName: string; number: string; place: string; at: string | number; title: string }) {
  const or = (v: string) => (v.trim() ? v.trim() : '……');
  w.columns(
    [
      [or(h.governingBody).toUpperCase(), false],
      [h.unitName.toUpperCase(), true]
    ],
    [
      [L('pdf.nation'), true],
      [L('pdf.motto'), true]
    ]
  );
  const day = vietnamParts(h.at);
  w.row([{ value: L('pdfact.number', { number: or(h.number) }) }, { value: L('pdflevel.placeDate', { place: or(h.place), day: pad(day.day), month: pad(day.month), year: day.year }) }]);
  w.y -= 6;
  w.text(L('pdflevel.heading'), { bold: true, size: 13, center: true, gap: 0 });
  w.text(h.title, { bold: true, size: 12, center: true, gap: 8 });
}

/**
 * The foot of an official report: "Nơi nhận:" and its lines on the left; on the right the signer's title, an optional
 * hint ("(Ký tên đóng dấu)"), room for the signature, and the signer's name. Leaves `w.y` under the lower column.
 */
export function reportFooter(w: Writer, f: { recipients: readonly string[]; signTitle: string; signHint?: string; signer: string }) {
  const half = (w.paper.width - 2 * w.margin) / 2;
  const right = { x: w.margin + half, width: half, center: true };
  const top = w.y;
  w.text(L('pdflevel.recipients'), { bold: true, size: 10, width: half, gap: 1 });
  for (const line of f.recipients) w.text(line, { size: 10, width: half, gap: 1 });
  const left = w.y;
  w.y = top;
  w.text(f.signTitle, { bold: true, ...right, gap: f.signHint ? 0 : 44 });
  if (f.signHint) w.text(f.signHint, { ...right, size: 10, gap: 40 });
  w.text(f.signer, { bold: true, ...right });
  w.y = Math.min(left, w.y);
}
