// What a person should be told, computed from the records on the device (pure functions, tested on their
// own): notifications of what the other side changed, reminders of appointments, and the upper unit's queue of
// requests with how long each has waited (criterion 50).
import { fromVietnamLocal, vietnamDate, type AppointmentEvent } from '@telehealth/domain';
import type { AppointmentRow, RequestRow, ReviewRow } from './rows';
import type { MessageKey } from '../i18n/catalog';
import { str } from './fields';

/** An upper unit is reminded of a request that has waited this long without a schedule. */
export const requestReminderAfterMs = 2 * 3600 * 1000;

export type Side = 'patient' | 'station' | 'doctor';
export type Notice = { key: string; at: string; docId: string; kind: 'appointment_event' | 'new_booking' | 'review'; event?: AppointmentEvent; name: string };

/** The upper unit's review of a request (same id), if this device has it. */
export const reviewOf = (reviews: readonly ReviewRow[], requestId: string) => reviews.find((r) => r.id === requestId);

/** Changes made by the other side after `seenAt`, newest first. */
export function noticesFor(side: Side, appointments: readonly AppointmentRow[], requests: readonly RequestRow[], reviews: readonly ReviewRow[], seenAt: string): Notice[] {
  const out: Notice[] = [];
  if (side !== 'doctor') {
    for (const row of appointments) {
      const name = row.fields.patientName;
      const events = row.events;
      for (const e of events) {
        if (e.side !== side && e.at > seenAt) out.push({ key: `${row.docId}:${e.at}:${e.action}`, at: e.at, docId: row.docId, kind: 'appointment_event', event: e, name });
      }
      const createdAt = row.fields.createdAt;
      if (side === 'station' && row.fields.status === 'new' && createdAt > seenAt && events.length === 0) {
        out.push({ key: `${row.docId}:new`, at: createdAt, docId: row.docId, kind: 'new_booking', name });
      }
    }
  }
  if (side === 'station') {
    for (const row of reviews) {
      const at = str(row.fields.updatedAt) || str(row.fields.createdAt);
      const name = str(requests.find((r) => r.id === row.id)?.fields.patientName);
      if (at > seenAt) out.push({ key: `${row.docId}:${at}`, at, docId: row.docId, kind: 'review', name });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** Appointments due from now to the end of tomorrow (Vietnam's days, whatever the device's zone): the reminder. */
export function upcomingAppointments(appointments: readonly AppointmentRow[], now: number): AppointmentRow[] {
  const dayAfterTomorrow = new Date(Date.parse(`${vietnamDate(now)}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
  const endOfTomorrow = Date.parse(fromVietnamLocal(`${dayAfterTomorrow}T00:00`));
  return appointments.filter((r) => {
    const at = Date.parse(str(r.fields.scheduledAt));
    return r.fields.status === 'waiting' && at > now && at < endOfTomorrow;
  });
}

export type Waiting = { row: RequestRow; waitedMs: number; overdue: boolean };

/** Requests sent to `unitId` and not yet scheduled or answered, the longest waiting first. */
export function waitingRequests(requests: readonly RequestRow[], reviews: readonly ReviewRow[], unitId: string | null | undefined, now: number): Waiting[] {
  return requests
    .filter((r) => r.fields.toUnitId === unitId && r.fields.sentAt && !['scheduled', 'answered', 'declined'].includes(str(reviewOf(reviews, r.id)?.fields.status)))
    .map((row) => {
      const waitedMs = now - Date.parse(str(row.fields.sentAt));
      return { row, waitedMs, overdue: waitedMs > requestReminderAfterMs };
    })
    .sort((a, b) => b.waitedMs - a.waitedMs);
}

/** "3 giờ 20 phút" parts of a duration. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}

/** "Đã chờ 3 giờ 20 phút": the two largest units that matter. */
export function waitedText(ms: number, t: (key: MessageKey, params: Record<string, number>) => string): string {
  const d = durationParts(ms);
  if (d.days > 0) return t('queue.waitedDays', d);
  if (d.hours > 0) return t('queue.waitedHours', d);
  return t('queue.waitedMinutes', d);
}
