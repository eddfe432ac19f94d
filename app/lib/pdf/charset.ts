// The characters the PDF fonts in static/fonts are cut down to (`npm run fonts:subset`, scripts/subset-fonts.ts).
// What a health worker may type into a form on a Vietnamese keyboard or paste from elsewhere: Latin with
// Vietnamese, Latin-1, Latin Extended-A (names in other Latin scripts), Greek letters (α, β in results), the
// combining marks of decomposed Vietnamese, general punctuation, super- and subscripts, ₫ and €, a few
// letterlike symbols (№, ℃), fractions and Roman numerals, the plain arrows, the usual mathematical signs
// (≥ ≤ ± × ÷ ≠ ≈ − √ ∞), boxes, bullets and ticks. Each block added costs every device its glyphs (the fonts are
// precached): pick characters, not whole blocks. DejaVu Serif prints them; the few it lacks (₫, ☐, ✓ …) come from
// a DejaVu Sans cut to just those. A character that neither has is drawn as the font's empty box, keeps its own
// text in the PDF's text layer and is reported to the user (`PdfDocument.unprintable`), never replaced in silence.

/** Inclusive code point ranges. */
export const PDF_CHARSET_RANGES: readonly [number, number][] = [
  [0x0020, 0x007e], // Basic Latin
  [0x00a0, 0x00ff], // Latin-1 Supplement: ° ± × ÷ µ « » ·
  [0x0100, 0x017f], // Latin Extended-A
  [0x01a0, 0x01a1], // Ơ ơ
  [0x01af, 0x01b0], // Ư ư
  [0x02c6, 0x02c7], // ˆ ˇ
  [0x02d8, 0x02dd], // ˘ ˙ ˚ ˛ ˜ ˝
  [0x0300, 0x0309], // combining grave, acute, circumflex, tilde, macron, …, hook above
  [0x0323, 0x0323], // combining dot below
  [0x0391, 0x03a1], // Greek capitals
  [0x03a3, 0x03a9],
  [0x03b1, 0x03c9], // Greek small letters
  [0x1ea0, 0x1ef9], // Vietnamese letters with two marks
  [0x2000, 0x2064], // General Punctuation: – — ‘ ’ “ ” • … ‰ ′ ″ (and the spaces and joiners)
  [0x2070, 0x2071], // superscripts and subscripts
  [0x2074, 0x208e],
  [0x20ab, 0x20ac], // ₫ €
  [0x2103, 0x2103], // ℃
  [0x2109, 0x2109], // ℉
  [0x2113, 0x2113], // ℓ
  [0x2116, 0x2116], // №
  [0x2122, 0x2122], // ™
  [0x2126, 0x2126], // Ω
  [0x2150, 0x2182], // fractions ½ ⅓ ¼ and Roman numerals Ⅰ–Ⅻ
  [0x2190, 0x2199], // ← ↑ → ↓ ↔ ↕ ↖ ↗ ↘ ↙
  [0x21d0, 0x21d5], // ⇐ ⇑ ⇒ ⇓ ⇔ ⇕
  [0x2211, 0x2213], // ∑ − ∓
  [0x2219, 0x221a], // ∙ √
  [0x221d, 0x221e], // ∝ ∞
  [0x2206, 0x2206], // ∆
  [0x2248, 0x2248], // ≈
  [0x2260, 0x2261], // ≠ ≡
  [0x2264, 0x2265], // ≤ ≥
  [0x226a, 0x226b], // ≪ ≫
  [0x22c5, 0x22c5], // ⋅
  [0x25a0, 0x25a1], // ■ □
  [0x25aa, 0x25ab], // ▪ ▫
  [0x25b2, 0x25b3], // ▲ △
  [0x25ba, 0x25bc], // ► ▻ ▼
  [0x25c6, 0x25c7], // ◆ ◇
  [0x25cb, 0x25cb], // ○
  [0x25cf, 0x25cf], // ●
  [0x2610, 0x2612], // ☐ ☑ ☒
  [0x2713, 0x2714], // ✓ ✔
  [0x2717, 0x2718] // ✗ ✘
];

export function* pdfCharsetCodePoints(): Generator<number> {
  for (const [from, to] of PDF_CHARSET_RANGES) for (let c = from; c <= to; c++) yield c;
}
