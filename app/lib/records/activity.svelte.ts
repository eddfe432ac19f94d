// What the signed-in person should know now, from the records on this device: appointments, consultation
// requests and reviews (re-read whenever documents change), the notifications they have not seen, and
// reminders (an appointment soon; a request waiting too long at the upper unit, criterion 50).
import type { AppointmentEvent } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import type { RecordRow } from '../sync/local-db';
import { RecordList } from './live.svelte';
import { str } from './fields';

/** An upper unit is reminded of a request that has waited this long without a schedule. */
export const requestReminderAfterMs = 2 * 3600 * 1000;
/** A patient and the station are reminded of an appointment from the day before it (until its time). */
function endOfTomorrow(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 2).getTime();
}

export type Notice = { key: string; at: string; docId: string; kind: 'appointment_event' | 'new_booking' | 'review'; event?: AppointmentEvent; name: string };

const seenKey = () => `telehealth.seen.${session.user?.id ?? ''}`;

class Activity {
  appointments = new RecordList('appointment');
  requests = new RecordList('request');
  reviews = new RecordList('review');
  /** Notifications up to this instant have been seen (per account, on this device). */
  seenAt = $state('');
  now = $state(Date.now());

  side = $derived<'patient' | 'station' | 'doctor' | undefined>(
    session.user?.role === 'patient' ? 'patient' : session.user?.role === 'station_worker' ? 'station' : session.user?.role === 'doctor' ? 'doctor' : undefined
  );

  async refresh() {
    await Promise.all([this.appointments.refresh(), this.requests.refresh(), this.reviews.refresh()]);
    this.now = Date.now();
  }

  loadSeen() {
    this.seenAt = localStorage.getItem(seenKey()) ?? '';
  }

  markSeen() {
    this.seenAt = new Date().toISOString();
    localStorage.setItem(seenKey(), this.seenAt);
  }

  /** Changes made by the other side since the person last looked, newest first. */
  notices = $derived.by<Notice[]>(() => {
    const side = this.side;
    if (!side) return [];
    const out: Notice[] = [];
    for (const row of this.appointments.rows) {
      const name = str(row.fields.patientName);
      for (const e of (row.events ?? []) as AppointmentEvent[]) {
        if (side !== 'doctor' && e.side !== side && e.at > this.seenAt) out.push({ key: `${row.docId}:${e.at}:${e.action}`, at: e.at, docId: row.docId, kind: 'appointment_event', event: e, name });
      }
      const createdAt = str(row.fields.createdAt);
      if (side === 'station' && row.fields.status === 'new' && createdAt > this.seenAt && !(row.events ?? []).length) {
        out.push({ key: `${row.docId}:new`, at: createdAt, docId: row.docId, kind: 'new_booking', name });
      }
    }
    if (side === 'station') {
      for (const row of this.reviews.rows) {
        const at = str(row.fields.updatedAt) || str(row.fields.createdAt);
        if (at > this.seenAt) out.push({ key: `${row.docId}:${at}`, at, docId: row.docId, kind: 'review', name: this.patientNameOfRequest(row.id) });
      }
    }
    return out.sort((a, b) => b.at.localeCompare(a.at));
  });

  patientNameOfRequest(requestId: string): string {
    return str(this.requests.rows.find((r) => r.id === requestId)?.fields.patientName);
  }

  reviewOf(requestId: string): RecordRow | undefined {
    return this.reviews.rows.find((r) => r.id === requestId);
  }

  /** Appointments due today or tomorrow, for the reminder. */
  upcoming = $derived(
    this.appointments.rows.filter((r) => {
      const at = Date.parse(str(r.fields.scheduledAt));
      return r.fields.status === 'waiting' && at > this.now && at < endOfTomorrow(this.now);
    })
  );

  /** Requests sent to this upper unit without a schedule yet, oldest first, with how long each waited. */
  waitingRequests = $derived(
    this.requests.rows
      .filter((r) => r.fields.toUnitId === session.user?.unitId && !['scheduled', 'answered', 'declined'].includes(str(this.reviewOf(r.id)?.fields.status)))
      .map((r) => ({ row: r, waitedMs: this.now - Date.parse(str(r.fields.sentAt) || str(r.fields.createdAt)) }))
      .sort((a, b) => b.waitedMs - a.waitedMs)
  );

  overdueRequests = $derived(this.waitingRequests.filter((w) => w.waitedMs > requestReminderAfterMs));
}

export const activity = new Activity();

/** "3 giờ 20 phút" style durations. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}
