// Makes the PDF fonts in static/fonts from the DejaVu Serif release (npm package dejavu-fonts-ttf 2.37.3):
// cut down to the characters of app/lib/pdf/charset.ts with HarfBuzz's subsetter (harfbuzzjs, WebAssembly),
// without hinting and without layout tables (the PDF writer neither shapes nor kerns), keeping the .notdef box
// that stands for a character the fonts lack. Run by hand after changing the charset, and commit the result:
//   npm run fonts:subset
// It prints each font's size and the characters of the charset that DejaVu Serif itself has no glyph for.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pdfCharsetCodePoints } from '../app/lib/pdf/charset';
import { parseTrueType } from '../app/lib/pdf/truetype';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const require = createRequire(import.meta.url);
const sourceDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const wasmPath = require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');

type Hb = {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(b: number): void;
  hb_blob_get_data(b: number, length: number): number;
  hb_blob_get_length(b: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(f: number): void;
  hb_face_reference_blob(f: number): number;
  hb_set_add(s: number, v: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(i: number): void;
  hb_subset_input_unicode_set(i: number): number;
  hb_subset_input_set(i: number, which: number): number;
  hb_subset_input_set_flags(i: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
};

const FLAG_NO_HINTING = 0x1;
const FLAG_NOTDEF_OUTLINE = 0x40;
const SET_DROP_TABLE_TAG = 3;
const tag = (s: string) => ((s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3)) >>> 0;

const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath));
const hb = instance.exports as unknown as Hb;
const codePoints = [...pdfCharsetCodePoints()];

function subset(font: Uint8Array, codePoints: number[]): Uint8Array {
  const data = hb.malloc(font.length);
  new Uint8Array(hb.memory.buffer).set(font, data);
  const blob = hb.hb_blob_create(data, font.length, 2 /* writable */, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  const input = hb.hb_subset_input_create_or_fail();
  if (!input) throw new Error('hb_subset_input_create_or_fail');
  const unicodes = hb.hb_subset_input_unicode_set(input);
  for (const c of codePoints) hb.hb_set_add(unicodes, c);
  const drop = hb.hb_subset_input_set(input, SET_DROP_TABLE_TAG);
  for (const t of ['GSUB', 'GPOS', 'GDEF', 'MATH', 'kern', 'hdmx', 'LTSH', 'VDMX', 'gasp', 'DSIG']) hb.hb_set_add(drop, tag(t));
  hb.hb_subset_input_set_flags(input, FLAG_NO_HINTING | FLAG_NOTDEF_OUTLINE);
  const result = hb.hb_subset_or_fail(face, input);
  hb.hb_subset_input_destroy(input);
  if (!result) throw new Error('hb_subset_or_fail');
  const outBlob = hb.hb_face_reference_blob(result);
  const out = new Uint8Array(hb.memory.buffer, hb.hb_blob_get_data(outBlob, 0), hb.hb_blob_get_length(outBlob)).slice();
  hb.hb_blob_destroy(outBlob);
  hb.hb_face_destroy(result);
  hb.hb_face_destroy(face);
  hb.free(data);
  return out;
}

const source = (name: string) => new Uint8Array(readFileSync(path.join(sourceDir, name)));
const unicode = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

function write(name: string, from: Uint8Array, wanted: number[]) {
  const out = subset(from, wanted);
  const target = path.join(root, 'static', 'fonts', name);
  let before = 0;
  try {
    before = readFileSync(target).length;
  } catch {
    /* a first run */
  }
  writeFileSync(target, out);
  const inSource = parseTrueType(from).glyphOf;
  const ttf = parseTrueType(out);
  const lost = wanted.filter((c) => inSource.has(c) && !ttf.glyphOf.has(c));
  if (lost.length) throw new Error(`${name}: the subset lost glyphs its source has: ${lost.map(unicode).join(' ')}`);
  console.log(`${name}: ${from.length} B → ${out.length} B (was ${before} B); ${ttf.glyphOf.size} characters, ${ttf.advance.length} glyphs`);
  return ttf;
}

// The serif faces print the forms; DejaVu Sans, which has more symbols (₫, ☐, ✓, most of ≤ ≥'s relatives), gives
// the glyphs the serif faces lack, and nothing else.
const serif = write('DejaVuSerif.ttf', source('DejaVuSerif.ttf'), codePoints);
const serifBold = write('DejaVuSerif-Bold.ttf', source('DejaVuSerif-Bold.ttf'), codePoints);
const sansSource = source('DejaVuSans.ttf');
const sansHas = parseTrueType(sansSource).glyphOf;
const lacking = codePoints.filter((c) => !(serif.glyphOf.has(c) && serifBold.glyphOf.has(c)));
const sans = write('DejaVuSans.ttf', sansSource, lacking.filter((c) => sansHas.has(c)));
const none = codePoints.filter((c) => !serif.glyphOf.has(c) && !sans.glyphOf.has(c));
console.log(`${none.length} characters of the charset that no DejaVu face has (drawn as a box and reported): ${none.map(unicode).join(' ')}`);
