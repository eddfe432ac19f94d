// Vietnamese text for search: the same key whether or not the user typed the diacritics.

/** "Nguyễn Thị Đào" → "nguyen thi dao". */
export function foldVietnamese(text: string): string {
  return withoutDiacritics(text)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// Text from the network that a record stores or a form prints: one rule for what it may hold.
// eslint-disable-next-line no-control-regex
const controlCharacterPattern = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Holds a control character other than tab, line feed and carriage return (never stored; PostgreSQL refuses NUL). */
export const hasControlCharacter = (text: string) => controlCharacterPattern.test(text);
/** Holds a line break: LF, CR, or the Unicode line and paragraph separators. */
export const hasLineBreak = (text: string) => /[\r\n\u2028\u2029]/.test(text);
/** Fits on one printed line: no control character, tab or line break. */
export const isOneLine = (text: string) => !hasControlCharacter(text) && !hasLineBreak(text) && !text.includes('\t');

/** The text without its diacritics (đ as d), case kept: what an SMS in GSM-7 can carry. */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}
