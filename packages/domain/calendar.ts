// An upper unit's consultation calendar (lịch hội chẩn, criterion 60; M4: "upper units publish their consultation
// schedule"): the weekly hours it holds consultations in, cut into slots, and the days it is closed. A station picks
// a slot when it proposes a time for a request (offline too, from the calendar it last fetched); the upper unit
// confirms it or moves it when it schedules the review. Times are Vietnam's wall clock (UTC+7, no summer time).
import { isOneLine } from './text';
import { fromVietnamLocal, vietnamDate, vietnamParts } from './time';

export type WeeklyHours = {
  /** 1 Monday … 7 Sunday. */
  weekday: number;
  /** HH:MM, Vietnam's time; `end` after `start`. */
  start: string;
  end: string;
};

export type ConsultationCalendar = {
  /** Minutes a consultation takes: the hours are cut into slots this long. */
  slotMinutes: number;
  weekly: WeeklyHours[];
  /** Days it holds none (holidays), YYYY-MM-DD. */
  closed: string[];
  /** A word to the stations (who to call, what to prepare), one paragraph. */
  note: string;
};

export const calendarBounds = { weekly: 21, closed: 100, note: 500, slotMinutes: [10, 240], daysAhead: 60 } as const;

export const emptyCalendar = (): ConsultationCalendar => ({ slotMinutes: 30, weekly: [], closed: [], note: '' });

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const isDay = (d: unknown): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A calendar as sent or stored, checked field by field: exactly these keys, valid values, within bounds. */
export function parseCalendar(value: unknown): { ok: true; calendar: ConsultationCalendar } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(value)) return { ok: false, problems: ['calendar: an object'] };
  const unknown = Object.keys(value).filter((k) => !['slotMinutes', 'weekly', 'closed', 'note'].includes(k));
  if (unknown.length) problems.push(`unknown keys: ${unknown.slice(0, 3).join(', ')}`);
  const slot = value.slotMinutes;
  if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < calendarBounds.slotMinutes[0] || slot > calendarBounds.slotMinutes[1]) problems.push(`slotMinutes: a whole number from ${calendarBounds.slotMinutes[0]} to ${calendarBounds.slotMinutes[1]}`);
  const weekly: WeeklyHours[] = [];
  if (!Array.isArray(value.weekly) || value.weekly.length > calendarBounds.weekly) problems.push(`weekly: a list of at most ${calendarBounds.weekly} hours`);
  else
    value.weekly.forEach((h, i) => {
      if (!isObject(h) || Object.keys(h).some((k) => !['weekday', 'start', 'end'].includes(k))) return void problems.push(`weekly[${i}]: exactly {weekday, start, end}`);
      const { weekday, start, end } = h;
      if (typeof weekday !== 'number' || !Number.isInteger(weekday) || weekday < 1 || weekday > 7) problems.push(`weekly[${i}].weekday: 1 (Monday) to 7 (Sunday)`);
      if (typeof start !== 'string' || !hhmm.test(start) || typeof end !== 'string' || !hhmm.test(end)) problems.push(`weekly[${i}]: start and end as HH:MM`);
      else if (minutesOf(end) <= minutesOf(start)) problems.push(`weekly[${i}]: end after start`);
      else weekly.push({ weekday: weekday as number, start, end });
    });
  // Hours of one day must not overlap (a slot would be offered twice).
  for (const a of weekly) for (const b of weekly) if (a !== b && a.weekday === b.weekday && minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) problems.push(`weekly: hours of weekday ${a.weekday} overlap`);
  if (!Array.isArray(value.closed) || value.closed.length > calendarBounds.closed || !value.closed.every(isDay)) problems.push(`closed: at most ${calendarBounds.closed} days as YYYY-MM-DD`);
  if (typeof value.note !== 'string' || value.note.length > calendarBounds.note || !isOneLine(value.note)) problems.push(`note: one paragraph of at most ${calendarBounds.note} characters`);
  if (problems.length) return { ok: false, problems: [...new Set(problems)] };
  const sorted = [...weekly].sort((a, b) => a.weekday - b.weekday || minutesOf(a.start) - minutesOf(b.start));
  return { ok: true, calendar: { slotMinutes: slot as number, weekly: sorted, closed: [...new Set(value.closed as string[])].sort(), note: value.note as string } };
}

/** 1 Monday … 7 Sunday, of a Vietnam calendar day. */
export const weekdayOf = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The Vietnam calendar day `n` days after `day`. */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The slots (their start, as instants) of one Vietnam day: none on a closed day. */
export function daySlots(calendar: ConsultationCalendar, day: string): string[] {
  if (calendar.closed.includes(day)) return [];
  const slots: string[] = [];
  for (const h of calendar.weekly) {
    if (h.weekday !== weekdayOf(day)) continue;
    for (let m = minutesOf(h.start); m + calendar.slotMinutes <= minutesOf(h.end); m += calendar.slotMinutes) {
      slots.push(fromVietnamLocal(`${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`));
    }
  }
  return slots.sort();
}

/** The slots still ahead of `nowMs`, day by day, over the next `days` days (today first), the `taken` ones left out. */
export function freeSlots(calendar: ConsultationCalendar, nowMs: number, days: number, taken: readonly string[] = []): { day: string; slots: string[] }[] {
  const today = vietnamDate(nowMs);
  const busy = new Set(taken.map((t) => new Date(t).toISOString()));
  const out: { day: string; slots: string[] }[] = [];
  for (let i = 0; i < Math.min(days, calendarBounds.daysAhead); i++) {
    const day = addDays(today, i);
    const slots = daySlots(calendar, day).filter((s) => Date.parse(s) > nowMs && !busy.has(s));
    if (slots.length) out.push({ day, slots });
  }
  return out;
}

/** Whether `instant` starts one of the calendar's slots. */
export function isCalendarSlot(calendar: ConsultationCalendar, instant: string): boolean {
  const at = Date.parse(instant);
  if (!Number.isFinite(at)) return false;
  const iso = new Date(at).toISOString();
  return daySlots(calendar, vietnamDate(at)).includes(iso);
}

/** HH:MM of an instant, Vietnam's time (for a slot's button). */
export function slotLabel(instant: string): string {
  const p = vietnamParts(instant);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
