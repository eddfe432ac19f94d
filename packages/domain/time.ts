// Dates and times in Vietnam's time zone (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving time), whatever
// the device's own zone. Instants are stored as ISO 8601 (UTC); what people read and type is Vietnam's wall clock,
// and "today" is Vietnam's calendar day (a visit at 06:00 on the 23rd is on the 23rd, not the 22nd UTC).

export const vietnamTimeZone = 'Asia/Ho_Chi_Minh';
const offsetMs = 7 * 3600 * 1000;

/** An instant as Vietnam's wall clock: year, month (1–12), day, hour, minute. */
export function vietnamParts(instant: string | number | Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const ms = typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const d = new Date(ms + offsetMs);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Vietnam's calendar day of an instant, YYYY-MM-DD. A plain date (YYYY-MM-DD) is returned as it is. */
export function vietnamDate(instant: string | number | Date): string {
  if (typeof instant === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(instant)) return instant;
  const p = vietnamParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Vietnam's wall clock of an instant as a `datetime-local` value (YYYY-MM-DDTHH:mm). */
export function toVietnamLocal(instant: string | number | Date): string {
  const p = vietnamParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A wall-clock time in Vietnam (YYYY-MM-DDTHH:mm[:ss]) as an ISO instant; '' when it is not one. */
export function fromVietnamLocal(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return '';
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s || 0) - offsetMs;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** A calendar date plus whole months, kept at the month's last day when shorter (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}
