// Messages and reminders to a patient (M9, criterion 68): written by the station into the patient's chart (its
// `reminders` root: the patient's phone syncs the chart, read-only, so the schedule is on the phone and reminds
// offline), suggested from a visit (the follow-up date, the advice) and from a prescription (each drug, the times a
// day its usage says, for its days). Pure: what is due when, and which of them a device still has to show.
import type { Schema } from './schema';
import { fromVietnamLocal, vietnamDate, vietnamParts } from './time';
import type { Fields } from './documents';
import { withoutDiacritics } from './text';

/** Giáo dục sức khỏe / lối sống / hẹn tái khám / nhắc uống thuốc / other (a message the station writes). */
export const ReminderKind = { education: 'education', lifestyle: 'lifestyle', followUp: 'follow_up', medication: 'medication', other: 'other' } as const;
export type ReminderKind = (typeof ReminderKind)[keyof typeof ReminderKind];

export const reminderBounds = { maxPerChart: 1_000, maxPerSuggestion: 400, titleMax: 100, bodyMax: 500, smsMax: 160 } as const;

export const reminderSchema = {
  id: { type: 'text', max: 64, pattern: /^[A-Za-z0-9_.-]{1,64}$/, required: true },
  kind: { type: 'enum', values: Object.values(ReminderKind), required: true },
  title: { type: 'text', max: reminderBounds.titleMax, required: true },
  body: { type: 'text', max: reminderBounds.bodyMax },
  dueAt: { type: 'datetime', required: true },
  /** Also by SMS, for a patient without the app (a station's phone gateway; the server sends it). */
  sms: { type: 'boolean' },
  /** The SMS without diacritics (one 160-character GSM segment), for phones that show them badly. */
  smsPlain: { type: 'boolean' },
  /** What it came from: a form or a prescription of the chart. */
  sourceId: { type: 'text', max: 64, pattern: /^[A-Za-z0-9_.-]{1,64}$/ },
  cancelledAt: { type: 'datetime' },
  createdAt: { type: 'datetime', required: true },
  createdBy: { type: 'text', max: 64, pattern: /^[A-Za-z0-9_.-]{1,64}$/, required: true },
  /** Stamped by `writeFields` on a new record (migrations.ts). */
  schemaVersion: { type: 'number', min: 1, max: 10_000, integer: true }
} as const satisfies Schema;

export type Reminder = {
  id: string;
  kind: ReminderKind;
  title: string;
  body?: string;
  dueAt: string;
  sms?: boolean;
  smsPlain?: boolean;
  sourceId?: string;
  cancelledAt?: string;
  createdAt: string;
  createdBy: string;
};

/** Wall-clock times of day (Vietnam) a dose is taken, by how many times a day. */
const doseTimes: Record<number, readonly string[]> = { 1: ['07:00'], 2: ['07:00', '19:00'], 3: ['07:00', '12:00', '19:00'], 4: ['07:00', '11:00', '15:00', '19:00'] };

/** How many times a day a usage text says ("Uống 1 viên x 3 lần/ngày", "ngày 2 lần", "sáng, chiều"): 1 to 4, else 1. */
export function timesPerDay(usage: string): number {
  const text = usage.toLowerCase();
  const m = /(\d)\s*lần/.exec(text);
  if (m) return Math.min(4, Math.max(1, Number(m[1])));
  const parts = ['sáng', 'trưa', 'chiều', 'tối'].filter((p) => text.includes(p)).length;
  return parts ? Math.min(4, parts) : 1;
}

/** The instant of a Vietnam wall-clock time on a day (YYYY-MM-DD, HH:MM). */
const at = (day: string, time: string) => fromVietnamLocal(`${day}T${time}`);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export type Suggestion = Omit<Reminder, 'id' | 'createdAt' | 'createdBy'>;

/**
 * The reminders a visit suggests: the advice as a message the next morning, and the follow-up (the day before at
 * 08:00 and that morning at 07:00) when the form gives one. `now` bounds them: nothing in the past.
 */
export function visitReminders(form: Fields, now: string, text: { advice: string; followUp: (when: string) => string }): Suggestion[] {
  const out: Suggestion[] = [];
  const today = vietnamDate(now);
  const advice = typeof form.advice === 'string' ? form.advice.trim() : '';
  if (advice) out.push({ kind: ReminderKind.education, title: text.advice, body: advice.slice(0, reminderBounds.bodyMax), dueAt: at(addDays(today, 1), '08:00'), sourceId: String(form.id) });
  const next = typeof form.nextAppointmentAt === 'string' ? form.nextAppointmentAt : '';
  if (next && Date.parse(next) > Date.parse(now)) {
    const day = vietnamDate(next);
    const p = vietnamParts(next);
    const when = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')} ${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
    for (const due of [at(addDays(day, -1), '08:00'), at(day, '07:00')]) {
      if (Date.parse(due) > Date.parse(now)) out.push({ kind: ReminderKind.followUp, title: text.followUp(when), dueAt: due, sourceId: String(form.id) });
    }
  }
  return out;
}

/**
 * The reminders an issued prescription suggests: for each drug, each dose time of each day it is taken (its `days`,
 * at most 30), from the day after it is issued. Bounded by `reminderBounds.maxPerSuggestion`.
 */
export function medicationReminders(rx: Fields, now: string, title: (drug: string) => string): Suggestion[] {
  const items = Array.isArray(rx.items) ? (rx.items as Fields[]) : [];
  const first = addDays(vietnamDate(typeof rx.issuedAt === 'string' ? rx.issuedAt : now), 1);
  const out: Suggestion[] = [];
  for (const item of items) {
    const drug = [item.drugName, item.strength].filter((x) => typeof x === 'string' && x).join(' ');
    const days = Math.min(30, typeof item.days === 'number' && item.days > 0 ? item.days : 1);
    const times = doseTimes[timesPerDay(String(item.usage ?? ''))]!;
    for (let d = 0; d < days; d++) {
      for (const time of times) {
        const due = at(addDays(first, d), time);
        if (Date.parse(due) > Date.parse(now)) out.push({ kind: ReminderKind.medication, title: title(drug).slice(0, reminderBounds.titleMax), body: String(item.usage ?? '').slice(0, reminderBounds.bodyMax) || undefined, dueAt: due, sourceId: String(rx.id) });
      }
    }
  }
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, reminderBounds.maxPerSuggestion);
}

/** The chart's reminders, valid ones only, by due time. */
export function readReminders(map: Iterable<[string, unknown]>): Reminder[] {
  const out: Reminder[] = [];
  for (const [, value] of map) {
    const r = (value && typeof value === 'object' && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value) as Reminder;
    if (r && typeof r.id === 'string' && typeof r.dueAt === 'string' && typeof r.title === 'string') out.push(r);
  }
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
}

/**
 * What a device shows now: the reminders due (not cancelled) that it has not shown yet, oldest first. A reminder
 * due while the phone was off or offline is shown when the app next runs (late, never lost); one due long ago
 * (`staleAfterMs`, 2 days by default) is listed, not notified.
 */
export function remindersToShow(reminders: readonly Reminder[], nowMs: number, shown: ReadonlySet<string>, staleAfterMs = 2 * 86_400_000): { notify: Reminder[]; listed: Reminder[] } {
  const due = reminders.filter((r) => !r.cancelledAt && Date.parse(r.dueAt) <= nowMs && !shown.has(r.id));
  return { notify: due.filter((r) => nowMs - Date.parse(r.dueAt) <= staleAfterMs), listed: due };
}

/** An SMS text: the title and body in one line, without diacritics when asked, cut to one segment. */
export function smsText(r: Pick<Reminder, 'title' | 'body' | 'smsPlain'>, unitName: string): string {
  const text = `${unitName}: ${r.title}${r.body ? `. ${r.body}` : ''}`.replace(/\s+/g, ' ').trim();
  // A GSM-7 segment holds 160 characters (no diacritics, and "..." rather than "…"); a Unicode (UCS-2) one, 70.
  const plain = r.smsPlain ? withoutDiacritics(text) : text;
  const [max, cut] = r.smsPlain ? [reminderBounds.smsMax, '...'] : [70, '…'];
  return plain.length <= max ? plain : `${plain.slice(0, max - cut.length)}${cut}`;
}
