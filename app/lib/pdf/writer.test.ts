// The PDF writer: what it writes opens in a PDF reader (pdf.js) with its Vietnamese text intact and searchable.
import { describe, expect, it } from 'vitest';
import { jpegInfo, PdfDocument } from './writer';
import { parseTrueType } from './truetype';
import { pdfCharsetCodePoints } from './charset';
import { readPdf as textOf, shippedFont as font } from './read-back.testing';

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

  it('has a glyph for every character of the charset in the serif faces or the sans fallback', () => {
    const regular = parseTrueType(font('DejaVuSerif.ttf'));
    const bold = parseTrueType(font('DejaVuSerif-Bold.ttf'));
    const sans = parseTrueType(font('DejaVuSans.ttf'));
    const lacking = [...pdfCharsetCodePoints()].filter((c) => !((regular.glyphOf.has(c) && bold.glyphOf.has(c)) || sans.glyphOf.has(c)));
    expect(lacking.map((c) => String.fromCodePoint(c))).toEqual([]);
    for (const char of '≥≤±×÷°µ€…“”‘’–—•→№½') expect(regular.glyphOf.has(char.codePointAt(0)!), char).toBe(true);
    for (const char of '₫☐✓') expect(sans.glyphOf.has(char.codePointAt(0)!), char).toBe(true);
  });

  it('prints symbols, punctuation and ₫ as themselves and reads them back exactly, with nothing unprintable', async () => {
    const pdf = new PdfDocument();
    const sans = pdf.addFont(font('DejaVuSans.ttf'));
    const regular = pdf.addFont(font('DejaVuSerif.ttf'), sans);
    const bold = pdf.addFont(font('DejaVuSerif-Bold.ttf'), sans);
    const page = pdf.addPage(595, 842);
    const lines = ['HA ≥ 140', 'không?', '37,5 °C', '₫', 'Giá: 50.000 ₫ — “đã trả” ‘đủ’ … • ± × ÷ µ € ≤ → ½', 'Tab\there ☐ ✓'];
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 20, size: 11, font: i % 2 ? bold : regular }));
    const bytes = await pdf.save();
    expect(pdf.unprintable).toEqual([]);
    const { pages } = await textOf(bytes);
    expect(pages).toEqual([lines.join('').replace('\t', ' ')]);
  });

  it('reports the characters no font has, draws them as the empty box and keeps the text around them exact', async () => {
    const pdf = new PdfDocument();
    const sans = pdf.addFont(font('DejaVuSans.ttf'));
    const regular = pdf.addFont(font('DejaVuSerif.ttf'), sans);
    const page = pdf.addPage(595, 842);
    page.drawText('Sốt 39 °C 😷 — 漢字 ≥ 3 ngày 😷', { x: 50, y: 780, size: 11, font: regular });
    page.drawText('không?', { x: 50, y: 760, size: 11, font: regular });
    const bytes = await pdf.save();
    expect(pdf.unprintable).toEqual(['😷', '漢', '字']);
    const { pages } = await textOf(bytes);
    // Each box keeps its own character in the text layer, so what is printed around it reads back as printed.
    expect(pages).toEqual(['Sốt 39 °C 😷 — 漢字 ≥ 3 ngày 😷không?']);
    // The box is as wide as the font's .notdef glyph, not the question mark's.
    expect(regular.widthOfTextAtSize('漢', 10)).toBeCloseTo((regular.ttf.advance[0]! * 10) / regular.ttf.unitsPerEm);
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
