// For the tests of what the app prints: the fonts it ships, and a PDF read back as text with pdf.js.
import { readFileSync } from 'node:fs';

/** A font the app ships (static/fonts/). */
export const shippedFont = (name: string) => new Uint8Array(readFileSync(new URL(`../../../static/fonts/${name}`, import.meta.url)));

/** The fonts the record PDFs are written with. */
export const shippedFonts = () => ({ regular: shippedFont('DejaVuSerif.ttf'), bold: shippedFont('DejaVuSerif-Bold.ttf'), symbols: shippedFont('DejaVuSans.ttf') });

/**
 * A PDF read back: `pages`, each page's items joined as drawn (the text as the ToUnicode map gives it: pdf.js would
 * otherwise fold some characters, µ into μ); `text`, the words in reading order, a line's end read as a space and
 * runs of spaces as one (pdf.js gives a wider gap as one space); and the document info.
 */
export async function readPdf(bytes: Uint8Array) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: string[] = [];
  const spaced: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent({ disableNormalization: true });
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
    spaced.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? ' ' : '') : '')).join(''));
  }
  return { pages, text: spaced.join(' ').replace(/ +/g, ' '), info: (await doc.getMetadata()).info as Record<string, unknown> };
}
