// Dates, times and numbers as the screens and the PDFs show them. Instants are stored as ISO 8601 (UTC) and
// always shown and typed in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7, no DST) whatever the device's own zone:
// one mechanism, `@telehealth/domain`'s time helpers. Numbers take a decimal comma in Vietnamese (37,5), a dot
// in English (37.5).
import { fromVietnamLocal, toVietnamLocal, vietnamDate, vietnamParts } from '@telehealth/domain';
import type { Locale } from '../i18n/catalog';

export const nowIso = () => new Date().toISOString();

/** Today's calendar day in Vietnam (YYYY-MM-DD), for ages, visit types and the day's lists. */
export const todayInVietnam = (now: number = Date.now()) => vietnamDate(now);

/** `datetime-local` input value (Vietnam's wall clock) ⇄ ISO instant. */
export const toLocalInput = (iso: string | undefined) => (iso && Number.isFinite(Date.parse(iso)) ? toVietnamLocal(iso) : '');
export const fromLocalInput = (value: string) => (value ? fromVietnamLocal(value) : '');

const pad = (n: number) => String(n).padStart(2, '0');

/** A date and time as people read it here, in Vietnam's time: 25/11/2026 08:30. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso || !Number.isFinite(Date.parse(iso))) return '';
  const p = vietnamParts(iso);
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** A calendar date (YYYY-MM-DD, e.g. a date of birth) or an instant's day in Vietnam: 25/11/2026. */
export function formatDate(date: string | undefined): string {
  if (!date) return '';
  const [y, m, d] = (date.length > 10 ? vietnamDate(date) : date.slice(0, 10)).split('-');
  return `${d}/${m}/${y}`;
}

/** A measured value: 37,5 in Vietnamese, 37.5 in English; no grouping (a pulse of 1200 is a typing error anyway). */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2, useGrouping: false }).format(value);
}
