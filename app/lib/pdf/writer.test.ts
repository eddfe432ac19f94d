// The PDF writer: what it writes opens in a PDF reader (pdf.js) with its Vietnamese text intact and searchable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jpegInfo, PdfDocument } from './writer';
import { parseTrueType } from './truetype';

const font = (name: string) => new Uint8Array(readFileSync(new URL(`../../../static/fonts/${name}`, import.meta.url)));

async function textOf(bytes: Uint8Array) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  return { pages, info: (await doc.getMetadata()).info as Record<string, unknown> };
}

describe('PDF writer', () => {
  it('reads the shipped fonts: every Vietnamese letter has a glyph with a width', () => {
    const ttf = parseTrueType(font('DejaVuSerif.ttf'));
    for (const char of 'ĂÂĐÊÔƠƯăâđêôơưẠẦẬỆỘỢỰỳỹ') {
      const glyph = ttf.glyphOf.get(char.codePointAt(0)!);
      expect(glyph, char).toBeGreaterThan(0);
      expect(ttf.advance[glyph!]).toBeGreaterThan(0);
    }
  });

  it('writes pages whose Vietnamese text a reader extracts exactly, in two fonts, with the title', async () => {
    const pdf = new PdfDocument();
    const regular = pdf.addFont(font('DejaVuSerif.ttf'));
    const bold = pdf.addFont(font('DejaVuSerif-Bold.ttf'));
    pdf.title = 'Phiếu yêu cầu — Giàng Thị Pà';
    const p1 = pdf.addPage(595, 842);
    p1.drawText('PHIẾU YÊU CẦU HỘI CHẨN', { x: 50, y: 780, size: 13, font: bold });
    // Decomposed input (as some keyboards type it) comes out composed.
    p1.drawText('Họ tên: Giàng Thị Pà — Lò Văn Sính'.normalize('NFD'), { x: 50, y: 760, size: 11, font: regular });
    p1.drawRectangle({ x: 50, y: 740, width: 9, height: 9 });
    pdf.addPage(595, 842).drawText('Trang hai', { x: 50, y: 780, size: 11, font: regular });
    const bytes = await pdf.save();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('%PDF-1.7');
    const { pages, info } = await textOf(bytes);
    expect(pages).toEqual(['PHIẾU YÊU CẦU HỘI CHẨNHọ tên: Giàng Thị Pà — Lò Văn Sính', 'Trang hai']);
    expect(info.Title).toBe('Phiếu yêu cầu — Giàng Thị Pà');
    expect(bytes.length).toBeLessThan(120_000);
  });

  it('measures text as the font draws it', () => {
    const pdf = new PdfDocument();
    const regular = pdf.addFont(font('DejaVuSerif.ttf'));
    expect(regular.widthOfTextAtSize('ii', 10)).toBeCloseTo(2 * regular.widthOfTextAtSize('i', 10));
    expect(regular.widthOfTextAtSize('Mẫu', 20)).toBeCloseTo(2 * regular.widthOfTextAtSize('Mẫu', 10));
    expect(regular.widthOfTextAtSize('W', 10)).toBeGreaterThan(regular.widthOfTextAtSize('i', 10));
  });

  it('reads a JPEG\'s size from its frame header and refuses what is not a JPEG', () => {
    const sof = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03]);
    expect(jpegInfo(sof)).toEqual({ width: 640, height: 480, components: 3 });
    expect(() => jpegInfo(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toThrow('not a JPEG');
  });
});
