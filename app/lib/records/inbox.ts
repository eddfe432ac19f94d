// What a person should be told, computed from the records on the device (pure functions, tested on their
// own): notifications of what the other side changed, reminders of appointments, and the upper unit's queue of
// requests with how long each has waited (criterion 50).
import { ReviewStatus, fromVietnamLocal, recordVersion, vietnamDate, type AppointmentEvent } from '@telehealth/domain';
import type { AppointmentRow, MinutesRow, RequestRow, ReviewRow } from './rows';
import type { MessageKey } from '../i18n/catalog';
import { str } from './fields';

/** An upper unit is reminded of a request that has waited this long without a schedule. */
export const requestReminderAfterMs = 2 * 3600 * 1000;

export type Side = 'patient' | 'station' | 'doctor';
export type Notice = { key: string; at: string; docId: string; kind: 'appointment_event' | 'new_booking' | 'review'; event?: AppointmentEvent; name: string };

/** The upper unit's review of a request (same id), if this device has it. */
export const reviewOf = (reviews: readonly ReviewRow[], requestId: string) => reviews.find((r) => r.id === requestId);

/**
 * Where a request stands, as a list shows it: a draft until sent; withdrawn once the station withdrew it (final,
 * whatever the review says); else the upper unit's review status, or waiting while it has none.
 */
export type RequestState = 'draft' | 'waiting' | 'withdrawn' | ReviewStatus;

type RequestLike = { sentAt?: unknown; withdrawnAt?: unknown };
type ReviewLike = { status?: unknown; scheduledAt?: unknown };

export function requestState(request: RequestLike, review: ReviewLike | undefined): RequestState {
  if (!request.sentAt) return 'draft';
  if (request.withdrawnAt) return 'withdrawn';
  const status = review?.status;
  return typeof status === 'string' && (Object.values(ReviewStatus) as string[]).includes(status) ? (status as ReviewStatus) : 'waiting';
}

/**
 * Whether the station may still withdraw its request (`requestRules`: only a sent request, and only once): the
 * domain allows it for any sent request, the screen offers it while the upper unit has not dealt with it — no
 * review yet, received, or scheduled for a time still to come (the consultation not held). An answered or declined
 * request, or one whose consultation time has passed, is closed: there is nothing left to withdraw.
 */
export function withdrawable(request: RequestLike, review: ReviewLike | undefined, now: number): boolean {
  const state = requestState(request, review);
  if (state === 'waiting' || state === 'received') return true;
  if (state !== 'scheduled') return false;
  const at = typeof review?.scheduledAt === 'string' ? Date.parse(review.scheduledAt) : NaN;
  return !Number.isFinite(at) || at > now;
}

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
      const request = requests.find((r) => r.id === row.id);
      // The station withdrew that request: what the upper unit does with it since is no news to the station.
      if (request?.fields.withdrawnAt) continue;
      const name = str(request?.fields.patientName);
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

/**
 * Requests sent to `unitId` and not yet scheduled or answered, the longest waiting first. A withdrawn request waits
 * no more (it is not counted, reminded of or reviewed): see `withdrawnRequests`.
 */
export function waitingRequests(requests: readonly RequestRow[], reviews: readonly ReviewRow[], unitId: string | null | undefined, now: number): Waiting[] {
  return requests
    .filter((r) => r.fields.toUnitId === unitId && ['waiting', 'received'].includes(requestState(r.fields, reviewOf(reviews, r.id)?.fields)))
    .map((row) => {
      const waitedMs = now - Date.parse(str(row.fields.sentAt));
      return { row, waitedMs, overdue: waitedMs > requestReminderAfterMs };
    })
    .sort((a, b) => b.waitedMs - a.waitedMs);
}

/** Requests sent to `unitId` that their station withdrew, the latest withdrawal first. */
export function withdrawnRequests(requests: readonly RequestRow[], unitId: string | null | undefined): RequestRow[] {
  return requests
    .filter((r) => r.fields.toUnitId === unitId && requestState(r.fields, undefined) === 'withdrawn')
    .sort((a, b) => str(b.fields.withdrawnAt).localeCompare(str(a.fields.withdrawnAt)));
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

/** Where a consultation stands on the calendar: proposed by the station, scheduled by the upper unit, held (its minutes completed), its minutes signed. */
export type ConsultationState = 'proposed' | 'scheduled' | 'held' | 'signed';
export type Consultation = { request: RequestRow; at: string; state: ConsultationState; otherUnitId: string };

/**
 * The consultations of `unitId` (as the requesting station or the upper unit) on Vietnam day `day`, in time order: a
 * sent request not withdrawn, declined or answered without one, at the time the upper unit scheduled, else the time
 * the station proposed. The minutes say whether it was held (completed) and signed (their latest version).
 */
export function consultationsOn(day: string, unitId: string | null | undefined, requests: readonly RequestRow[], reviews: readonly ReviewRow[], minutes: readonly MinutesRow[]): Consultation[] {
  if (!unitId) return [];
  const out: Consultation[] = [];
  for (const request of requests) {
    const f = request.fields;
    if (f.fromUnitId !== unitId && f.toUnitId !== unitId) continue;
    const review = reviewOf(reviews, request.id)?.fields;
    const state = requestState(f, review);
    if (state === 'draft' || state === 'withdrawn' || state === 'declined') continue;
    const at = state === 'scheduled' || (state === 'answered' && review?.scheduledAt) ? str(review?.scheduledAt) : str(f.proposedAt);
    if (!at || vietnamDate(at) !== day) continue;
    const versions = minutes.filter((m) => m.fields.requestId === request.id).sort((a, b) => recordVersion(b.id) - recordVersion(a.id));
    const latest = versions[0];
    const held: ConsultationState = latest?.signatures.length ? 'signed' : latest?.fields.completedAt ? 'held' : state === 'scheduled' || state === 'answered' ? 'scheduled' : 'proposed';
    out.push({ request, at, state: held, otherUnitId: str(f.fromUnitId === unitId ? f.toUnitId : f.fromUnitId) });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}


/** Scheduled consultations of `unitId` still to come today or tomorrow (Vietnam's days): the reminders before each. */
export function upcomingConsultations(unitId: string | null | undefined, requests: readonly RequestRow[], reviews: readonly ReviewRow[], minutes: readonly MinutesRow[], now: number): Consultation[] {
  const today = vietnamDate(now);
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [...consultationsOn(today, unitId, requests, reviews, minutes), ...consultationsOn(tomorrow, unitId, requests, reviews, minutes)].filter((c) => c.state === 'scheduled' && Date.parse(c.at) > now);
}
