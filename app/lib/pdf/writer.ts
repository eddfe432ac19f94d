// A small PDF writer for the official forms, made on the device: pages of text in embedded TrueType fonts
// (Type 0 / CIDFontType2, one code a character mapped to its glyph, a ToUnicode map so the text can be searched and copied), lines,
// boxes and JPEG photos. It replaces a general PDF library and its font engine (415 KB of the app shell);
// the fonts are fixed and already subset (static/fonts, `npm run fonts:subset`), so no subsetting happens here.
// A character no font has is drawn as the empty box, never as another character, and is listed in `unprintable`.
import { parseTrueType, type TrueTypeFont } from './truetype';

const encoder = new TextEncoder();

export type Rgb = [number, number, number];

/** Whitespace other than the space (a tab, a stray carriage return) is laid out as a space. */
const blank = /[\t\v\f\r]/g;

export class PdfFont {
  /**
   * Codes (CIDs) drawn with this font: the glyph each shows and the text it stands for (for widths, the
   * CIDToGIDMap and ToUnicode). One code per character, so that two characters the font draws with one glyph (or
   * with its .notdef box, glyph 0) each read back as themselves. Code 0 is left to .notdef, as readers expect.
   */
  readonly codes: { glyph: number; text: string }[] = [{ glyph: 0, text: '' }];
  private readonly codeOf = new Map<string, number>();
  /** Characters drawn with this font that neither it nor its fallback has: drawn as the empty box. */
  readonly missing = new Set<string>();

  constructor(
    readonly ttf: TrueTypeFont,
    readonly resource: string,
    /** A font for the characters this one lacks (DejaVu Sans for ₫, ☐, ✓ under DejaVu Serif). */
    readonly fallback?: PdfFont
  ) {}

  /** Whether the font has a glyph for this character (a code point). */
  has(char: string): boolean {
    return this.ttf.glyphOf.has(char.codePointAt(0)!);
  }

  /** The text cut into runs, each in the font that prints it (this one, else the fallback; else this one's box). */
  runs(text: string): { font: PdfFont; text: string }[] {
    const runs: { font: PdfFont; text: string }[] = [];
    for (const char of text.normalize('NFC').replace(blank, ' ')) {
      const font = this.has(char) || !this.fallback?.has(char) ? this : this.fallback;
      const last = runs.at(-1);
      if (last?.font === font) last.text += char;
      else runs.push({ font, text: char });
    }
    return runs;
  }

  /** The width of `text` at `size` points. */
  widthOfTextAtSize(text: string, size: number): number {
    let points = 0;
    for (const run of this.runs(text)) {
      let units = 0;
      for (const char of run.text) units += run.font.ttf.advance[run.font.ttf.glyphOf.get(char.codePointAt(0)!) ?? 0] ?? 0;
      points += (units * size) / run.font.ttf.unitsPerEm;
    }
    return points;
  }

  /** Text this font prints (one run of `runs()`) as a PDF hex string of 2-byte codes. */
  encode(text: string): string {
    let hex = '';
    for (const char of text) {
      let code = this.codeOf.get(char);
      if (code === undefined) {
        const glyph = this.ttf.glyphOf.get(char.codePointAt(0)!);
        if (glyph === undefined) this.missing.add(char);
        code = this.codes.length;
        this.codes.push({ glyph: glyph ?? 0, text: char });
        this.codeOf.set(char, code);
      }
      hex += code.toString(16).padStart(4, '0');
    }
    return `<${hex}>`;
  }
}

export type PdfImage = { resource: string; bytes: Uint8Array; width: number; height: number; components: number };

const num = (n: number) => (Math.round(n * 100) / 100).toString();
const color = ([r, g, b]: Rgb) => `${num(r)} ${num(g)} ${num(b)}`;

export class PdfPage {
  readonly ops: string[] = [];
  readonly fonts = new Set<PdfFont>();
  readonly images = new Set<PdfImage>();

  constructor(
    readonly width: number,
    readonly height: number
  ) {}

  /** One line of text; characters the font lacks come from its fallback font, in the same line. */
  drawText(text: string, o: { x: number; y: number; size: number; font: PdfFont; color?: Rgb }) {
    const shows = o.font.runs(text).map(({ font, text }) => {
      this.fonts.add(font);
      return `/${font.resource} ${num(o.size)} Tf ${font.encode(text)} Tj`;
    });
    if (shows.length) this.ops.push(`BT ${color(o.color ?? [0, 0, 0])} rg ${num(o.x)} ${num(o.y)} Td ${shows.join(' ')} ET`);
  }

  drawLine(o: { start: { x: number; y: number }; end: { x: number; y: number }; thickness?: number }) {
    this.ops.push(`${num(o.thickness ?? 1)} w ${num(o.start.x)} ${num(o.start.y)} m ${num(o.end.x)} ${num(o.end.y)} l S`);
  }

  drawRectangle(o: { x: number; y: number; width: number; height: number; borderWidth?: number }) {
    this.ops.push(`${num(o.borderWidth ?? 1)} w ${num(o.x)} ${num(o.y)} ${num(o.width)} ${num(o.height)} re S`);
  }

  /** Black filled rectangles, in one path (the modules of a QR code). */
  fillRectangles(rects: readonly { x: number; y: number; width: number; height: number }[]) {
    if (rects.length) this.ops.push(`0 0 0 rg ${rects.map((r) => `${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re`).join(' ')} f`);
  }

  drawImage(image: PdfImage, o: { x: number; y: number; width: number; height: number }) {
    this.images.add(image);
    this.ops.push(`q ${num(o.width)} 0 0 ${num(o.height)} ${num(o.x)} ${num(o.y)} cm /${image.resource} Do Q`);
  }
}

/** Width, height and colour components of a JPEG, from its start-of-frame marker. */
export function jpegInfo(bytes: Uint8Array): { width: number; height: number; components: number } {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG');
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error('JPEG marker expected');
    const marker = bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]!, components: bytes[at + 9]! };
    }
    at += 2 + length;
  }
  throw new Error('JPEG without a frame header');
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A PDF text string in UTF-16BE (for the document information, which may hold Vietnamese). */
function textString(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

/** UTF-16BE code units in hex (a character beyond the BMP as its surrogate pair). */
const utf16Hex = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');

export class PdfDocument {
  private readonly fonts: PdfFont[] = [];
  private readonly images: PdfImage[] = [];
  private readonly pages: PdfPage[] = [];
  title = '';
  language = 'vi-VN';
  creator = '';

  /** A font; `fallback` prints the characters it lacks. A font nothing is drawn with is not embedded. */
  addFont(bytes: Uint8Array, fallback?: PdfFont): PdfFont {
    const font = new PdfFont(parseTrueType(bytes), `F${this.fonts.length + 1}`, fallback);
    this.fonts.push(font);
    return font;
  }

  /**
   * The characters drawn so far that no font has, each once, in the order first drawn. They are drawn as the
   * font's empty box (and keep their own text in the text layer); the screen that made the PDF names them.
   */
  get unprintable(): string[] {
    const chars = new Set<string>();
    for (const font of this.fonts) for (const char of font.missing) chars.add(char);
    return [...chars];
  }

  embedJpg(bytes: Uint8Array): PdfImage {
    const image = { resource: `Im${this.images.length + 1}`, bytes, ...jpegInfo(bytes) };
    this.images.push(image);
    return image;
  }

  addPage(width: number, height: number): PdfPage {
    const page = new PdfPage(width, height);
    this.pages.push(page);
    return page;
  }

  async save(): Promise<Uint8Array> {
    // Objects are numbered in the order they are added; bodies are strings or binary streams.
    const objects: (string | { dict: string; data: Uint8Array })[] = [];
    const add = (o: (typeof objects)[number]) => objects.push(o);
    const ref = (n: number) => `${n} 0 R`;
    /** A compressed stream object with these extra dictionary entries. */
    const stream = async (entries: string, data: Uint8Array) => add({ dict: `<< ${entries} /Filter /FlateDecode`, data: await deflate(data) });

    add(''); // 1: catalog, written below once the page tree's number is known
    add(''); // 2: page tree
    add(`<< /Title ${textString(this.title)} /Creator ${textString(this.creator)} /Producer (telehealth pdf writer) >>`); // 3: info

    const fontRef = new Map<PdfFont, number>();
    for (const font of this.fonts) {
      if (font.codes.length === 1) continue;
      const t = font.ttf;
      const scale = 1000 / t.unitsPerEm;
      const codes = font.codes;
      await stream(`/Length1 ${t.bytes.length}`, t.bytes);
      const file = objects.length;
      add(
        `<< /Type /FontDescriptor /FontName /${t.postScriptName} /Flags 34 /FontBBox [${t.bbox.map((v) => Math.round(v * scale)).join(' ')}] ` +
          `/ItalicAngle 0 /Ascent ${Math.round(t.ascent * scale)} /Descent ${Math.round(t.descent * scale)} /CapHeight ${Math.round(t.capHeight * scale)} /StemV 80 /FontFile2 ${ref(file)} >>`
      );
      const descriptor = objects.length;
      // Codes are numbered in the order first drawn; the CIDToGIDMap (2 bytes a code) names each one's glyph.
      const gids = new Uint8Array(codes.length * 2);
      codes.forEach(({ glyph }, cid) => {
        gids[cid * 2] = glyph >> 8;
        gids[cid * 2 + 1] = glyph & 0xff;
      });
      await stream('', gids);
      const cidToGid = objects.length;
      const widths = codes.map(({ glyph }) => Math.round((t.advance[glyph] ?? 0) * scale)).join(' ');
      add(`<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${t.postScriptName} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${ref(descriptor)} /W [0 [${widths}]] /CIDToGIDMap ${ref(cidToGid)} >>`);
      const cid = objects.length;
      const blocks: string[] = [];
      for (let i = 1; i < codes.length; i += 100) {
        const chunk = codes.slice(i, i + 100);
        blocks.push(`${chunk.length} beginbfchar\n${chunk.map(({ text }, k) => `<${(i + k).toString(16).padStart(4, '0')}> <${utf16Hex(text)}>`).join('\n')}\nendbfchar`);
      }
      const cmap =
        '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
        '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' +
        `${blocks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n`;
      await stream('', encoder.encode(cmap));
      const toUnicode = objects.length;
      add(`<< /Type /Font /Subtype /Type0 /BaseFont /${t.postScriptName} /Encoding /Identity-H /DescendantFonts [${ref(cid)}] /ToUnicode ${ref(toUnicode)} >>`);
      fontRef.set(font, objects.length);
    }

    const imageRef = new Map<PdfImage, number>();
    for (const image of this.images) {
      const space = image.components === 1 ? '/DeviceGray' : image.components === 4 ? '/DeviceCMYK' : '/DeviceRGB';
      add({ dict: `<< /Type /XObject /Subtype /Image /Width ${image.width} /Height ${image.height} /ColorSpace ${space} /BitsPerComponent 8 /Filter /DCTDecode`, data: image.bytes });
      imageRef.set(image, objects.length);
    }

    const pageRefs: number[] = [];
    for (const page of this.pages) {
      await stream('', encoder.encode(page.ops.join('\n')));
      const content = objects.length;
      const fonts = [...page.fonts].map((f) => `/${f.resource} ${ref(fontRef.get(f)!)}`).join(' ');
      const images = [...page.images].map((i) => `/${i.resource} ${ref(imageRef.get(i)!)}`).join(' ');
      add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources << /Font << ${fonts} >> /XObject << ${images} >> >> /Contents ${ref(content)} >>`);
      pageRefs.push(objects.length);
    }
    objects[0] = `<< /Type /Catalog /Pages 2 0 R /Lang (${this.language}) >>`;
    objects[1] = `<< /Type /Pages /Kids [${pageRefs.map(ref).join(' ')}] /Count ${pageRefs.length} >>`;

    // Serialise with the cross-reference table of byte offsets.
    const parts: Uint8Array[] = [];
    let length = 0;
    const push = (p: Uint8Array | string) => {
      const bytes = typeof p === 'string' ? encoder.encode(p) : p;
      parts.push(bytes);
      length += bytes.length;
    };
    push('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n');
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(length);
      if (typeof o === 'string') push(`${i + 1} 0 obj\n${o}\nendobj\n`);
      else {
        push(`${i + 1} 0 obj\n${o.dict} /Length ${o.data.length} >>\nstream\n`);
        push(o.data);
        push('\nendstream\nendobj\n');
      }
    });
    const xref = length;
    push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
    push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
