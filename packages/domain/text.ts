// Vietnamese text for search: the same key whether or not the user typed the diacritics.

/** "Nguyễn Thị Đào" → "nguyen thi dao". */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
