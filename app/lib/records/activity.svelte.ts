// What the signed-in person should know now, as rune state: the appointments, consultation requests and reviews
// on this device (re-read whenever documents change), and what `inbox.ts` derives from them — notifications not
// yet seen, reminders, the upper unit's queue.
import { session } from '../auth/session.svelte';
import type { ReviewRow } from './rows';
import { RecordList } from './live.svelte';
import { consultationsOn, noticesFor, reviewOf, upcomingAppointments, upcomingConsultations, waitingRequests, withdrawnRequests, type Consultation, type Side } from './inbox';

export { requestReminderAfterMs, type Notice } from './inbox';

const seenKey = () => `telehealth.seen.${session.user?.id ?? ''}`;

class Activity {
  appointments = new RecordList('appointment');
  requests = new RecordList('request');
  reviews = new RecordList('review');
  prescriptions = new RecordList('prescription');
  minutes = new RecordList('minutes');
  /** Notifications up to this instant have been seen (per account, on this device). */
  seenAt = $state('');
  now = $state(Date.now());

  side = $derived<Side | undefined>(
    session.user?.role === 'patient' ? 'patient' : session.user?.role === 'station_worker' ? 'station' : session.user?.role === 'doctor' ? 'doctor' : undefined
  );

  async refresh() {
    await Promise.all([this.appointments.refresh(), this.requests.refresh(), this.reviews.refresh(), this.prescriptions.refresh(), this.minutes.refresh()]);
    this.now = Date.now();
  }

  loadSeen() {
    this.seenAt = localStorage.getItem(seenKey()) ?? '';
  }

  markSeen() {
    this.seenAt = new Date().toISOString();
    localStorage.setItem(seenKey(), this.seenAt);
  }

  notices = $derived(this.side ? noticesFor(this.side, this.appointments.rows, this.requests.rows, this.reviews.rows, this.seenAt) : []);
  upcoming = $derived(upcomingAppointments(this.appointments.rows, this.now));
  waitingRequests = $derived(waitingRequests(this.requests.rows, this.reviews.rows, session.user?.unitId, this.now));
  overdueRequests = $derived(this.waitingRequests.filter((w) => w.overdue));
  /** Requests to this unit that their station withdrew: listed apart, never waiting, never reminded of. */
  withdrawnRequests = $derived(withdrawnRequests(this.requests.rows, session.user?.unitId));

  /** Scheduled consultations of the signed-in person's unit, today or tomorrow, still to come: reminders before each. */
  upcomingConsultations = $derived(upcomingConsultations(session.user?.unitId, this.requests.rows, this.reviews.rows, this.minutes.rows, this.now));

  /** The consultations of the person's unit on a Vietnam day (the calendar's day view). */
  consultationsOn(day: string): Consultation[] {
    return consultationsOn(day, session.user?.unitId, this.requests.rows, this.reviews.rows, this.minutes.rows);
  }

  reviewOf(requestId: string): ReviewRow | undefined {
    return reviewOf(this.reviews.rows, requestId);
  }
}

export const activity = new Activity();
