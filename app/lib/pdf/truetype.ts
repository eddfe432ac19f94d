// What a PDF needs from a TrueType font: units per em, the box and vertical metrics, the glyph of each character
// (cmap format 4: the Basic Multilingual Plane, where all Vietnamese letters are) and each glyph's advance width.

export type TrueTypeFont = {
  bytes: Uint8Array;
  postScriptName: string;
  unitsPerEm: number;
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
  /** Unicode code point → glyph id. */
  glyphOf: Map<number, number>;
  /** Glyph id → advance width in font units. */
  advance: number[];
};

export function parseTrueType(bytes: Uint8Array): TrueTypeFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    tables.set(tag, view.getUint32(at + 8));
  }
  const table = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };

  const head = table('head');
  const unitsPerEm = view.getUint16(head + 18);
  const bbox: [number, number, number, number] = [view.getInt16(head + 36), view.getInt16(head + 38), view.getInt16(head + 40), view.getInt16(head + 42)];

  const hhea = table('hhea');
  const ascent = view.getInt16(hhea + 4);
  const descent = view.getInt16(hhea + 6);
  const numberOfHMetrics = view.getUint16(hhea + 34);
  const numGlyphs = view.getUint16(table('maxp') + 4);

  const hmtx = table('hmtx');
  const advance: number[] = [];
  for (let g = 0; g < numGlyphs; g++) advance.push(view.getUint16(hmtx + Math.min(g, numberOfHMetrics - 1) * 4));

  const os2 = tables.get('OS/2');
  const capHeight = os2 !== undefined && view.getUint16(os2) >= 2 ? view.getInt16(os2 + 88) : ascent;

  const glyphOf = new Map<number, number>();
  const cmap = table('cmap');
  const subtables = view.getUint16(cmap + 2);
  let format4: number | undefined;
  for (let i = 0; i < subtables; i++) {
    const platform = view.getUint16(cmap + 4 + i * 8);
    const encoding = view.getUint16(cmap + 6 + i * 8);
    const offset = cmap + view.getUint32(cmap + 8 + i * 8);
    if (view.getUint16(offset) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) format4 = offset;
  }
  if (format4 === undefined) throw new Error('font has no Unicode BMP cmap (format 4)');
  const segX2 = view.getUint16(format4 + 6);
  const ends = format4 + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  for (let s = 0; s < segX2 / 2; s++) {
    const end = view.getUint16(ends + s * 2);
    const start = view.getUint16(starts + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const rangeOffset = view.getUint16(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + s * 2 + rangeOffset + (c - start) * 2;
        glyph = view.getUint16(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) glyphOf.set(c, glyph);
    }
  }

  return { bytes, postScriptName: postScriptName(view, bytes, tables.get('name')) ?? 'Font', unitsPerEm, bbox, ascent, descent, capHeight, glyphOf, advance };
}

/** The font's PostScript name (name id 6), as PDF names it. */
function postScriptName(view: DataView, bytes: Uint8Array, name: number | undefined): string | undefined {
  if (name === undefined) return undefined;
  const count = view.getUint16(name + 2);
  const strings = name + view.getUint16(name + 4);
  for (let i = 0; i < count; i++) {
    const rec = name + 6 + i * 12;
    if (view.getUint16(rec + 6) !== 6) continue;
    const platform = view.getUint16(rec);
    const length = view.getUint16(rec + 8);
    const offset = strings + view.getUint16(rec + 10);
    const raw = bytes.subarray(offset, offset + length);
    const text = platform === 1 ? String.fromCharCode(...raw) : String.fromCharCode(...Array.from({ length: length / 2 }, (_, k) => (raw[2 * k]! << 8) | raw[2 * k + 1]!));
    return text.replace(/[^A-Za-z0-9-]/g, '');
  }
  return undefined;
}
