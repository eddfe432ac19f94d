// Notifications, reminders and the upper unit's queue, from records as the device indexes them.
import { describe, expect, it } from 'vitest';
import type { RecordRow } from '../sync/local-db';
import { consultationsOn, durationParts, noticesFor, requestState, upcomingAppointments, upcomingConsultations, waitedText, waitingRequests, withdrawable, withdrawnRequests } from './inbox';
import { listRow, type ListedKind, type RowOf } from './rows';
import { translate } from '../i18n/catalog';

/** A row as the device indexes it, read as the list of its kind reads it (rows.ts). */
function row<K extends ListedKind>(kind: K, id: string, fields: Record<string, unknown>, events?: unknown[]): RowOf<K> {
  const indexed: RecordRow = { docId: `${kind}:${id}`, kind, id, patientId: 'p1', fields, events, updatedAt: 0 };
  const typed = listRow(kind, indexed);
  if (!typed) throw new Error(`${kind} ${id} is not a valid row`);
  return typed;
}
/** A booking with every required field; `fields` says what the test is about. */
const appointment = (id: string, fields: Record<string, unknown>, events?: unknown[]) =>
  row('appointment', id, { id, patientId: 'p1', unitId: 'tyt-yty', purpose: 'station', patientName: 'Người bệnh', wishedAt: '2026-11-20T01:00:00.000Z', consent: true, status: 'new', createdAt: '2026-11-19T01:00:00.000Z', createdBy: 'p', ...fields }, events);
const hour = 3600 * 1000;

describe('the upper unit\'s queue (criterion 50)', () => {
  const now = Date.parse('2026-11-22T10:00:00.000Z');
  const requests = [
    row('request', 'r-old', { toUnitId: 'ttyt', sentAt: '2026-11-22T06:30:00.000Z', patientName: 'A' }),
    row('request', 'r-new', { toUnitId: 'ttyt', sentAt: '2026-11-22T09:30:00.000Z', patientName: 'B' }),
    row('request', 'r-draft', { toUnitId: 'ttyt', patientName: 'C' }),
    row('request', 'r-other', { toUnitId: 'bv-tinh', sentAt: '2026-11-22T01:00:00.000Z', patientName: 'D' }),
    row('request', 'r-done', { toUnitId: 'ttyt', sentAt: '2026-11-21T01:00:00.000Z', patientName: 'E' })
  ];
  const reviews = [row('review', 'r-done', { status: 'scheduled', scheduledAt: '2026-11-23T02:00:00.000Z' })];

  it('lists sent, unscheduled requests to this unit, the longest waiting first, and flags those over 2 hours', () => {
    const waiting = waitingRequests(requests, reviews, 'ttyt', now);
    expect(waiting.map((w) => [w.row.id, w.overdue])).toEqual([
      ['r-old', true],
      ['r-new', false]
    ]);
    expect(durationParts(waiting[0]!.waitedMs)).toEqual({ days: 0, hours: 3, minutes: 30 });
    const vi = (key: Parameters<typeof translate>[1], p: Record<string, number>) => translate('vi', key, p);
    expect([waiting[0]!.waitedMs, 5 * 60_000, 50 * hour].map((ms) => waitedText(ms, vi))).toEqual(['Đã chờ 3 giờ 30 phút', 'Đã chờ 5 phút', 'Đã chờ 2 ngày 2 giờ']);
  });

  it('keeps a request that was only received (reviewed, not scheduled) in the queue', () => {
    const received = [row('review', 'r-new', { status: 'received' })];
    expect(waitingRequests(requests, received, 'ttyt', now + hour).map((w) => w.row.id)).toContain('r-new');
  });

  it('does not count a withdrawn request as waiting, nor remind of it, whether or not it was received; it is listed apart', () => {
    const withdrawn = [
      ...requests,
      // Waited 8 hours, then withdrawn: overdue if it still counted.
      row('request', 'r-gone', { toUnitId: 'ttyt', sentAt: '2026-11-22T02:00:00.000Z', withdrawnAt: '2026-11-22T08:00:00.000Z', patientName: 'F' }),
      row('request', 'r-gone-received', { toUnitId: 'ttyt', sentAt: '2026-11-22T07:00:00.000Z', withdrawnAt: '2026-11-22T09:00:00.000Z', patientName: 'G' }),
      row('request', 'r-gone-elsewhere', { toUnitId: 'bv-tinh', sentAt: '2026-11-22T07:00:00.000Z', withdrawnAt: '2026-11-22T09:00:00.000Z', patientName: 'H' })
    ];
    const withReviews = [...reviews, row('review', 'r-gone-received', { status: 'received' })];
    const waiting = waitingRequests(withdrawn, withReviews, 'ttyt', now);
    expect(waiting.map((w) => w.row.id)).toEqual(['r-old', 'r-new']);
    expect(waiting.filter((w) => w.overdue).map((w) => w.row.id)).toEqual(['r-old']);
    expect(withdrawnRequests(withdrawn, 'ttyt').map((r) => r.id)).toEqual(['r-gone-received', 'r-gone']);
  });
});

describe('where a request stands, and whether the station may still withdraw it', () => {
  const now = Date.parse('2026-11-22T10:00:00.000Z');
  const sent = { sentAt: '2026-11-22T06:30:00.000Z' };
  const withdrawn = { ...sent, withdrawnAt: '2026-11-22T07:00:00.000Z' };

  it('is a draft until sent, withdrawn once withdrawn whatever the review says, else the review’s status or waiting', () => {
    expect(requestState({}, undefined)).toBe('draft');
    expect(requestState(sent, undefined)).toBe('waiting');
    expect(requestState(sent, { status: 'scheduled' })).toBe('scheduled');
    expect(requestState(sent, { status: 'teleported' })).toBe('waiting');
    expect(requestState(withdrawn, { status: 'scheduled' })).toBe('withdrawn');
    // Only a sent request is withdrawn (requestRules): a stray withdrawal on a draft leaves it a draft.
    expect(requestState({ withdrawnAt: withdrawn.withdrawnAt }, undefined)).toBe('draft');
  });

  it('may be withdrawn while the upper unit has not dealt with it: unreviewed, received, or scheduled for a time to come', () => {
    const future = { status: 'scheduled', scheduledAt: '2026-11-23T02:00:00.000Z' };
    const past = { status: 'scheduled', scheduledAt: '2026-11-22T09:00:00.000Z' };
    expect([undefined, { status: 'received' }, future].map((review) => withdrawable(sent, review, now))).toEqual([true, true, true]);
    expect([past, { status: 'answered' }, { status: 'declined' }].map((review) => withdrawable(sent, review, now))).toEqual([false, false, false]);
    // Not a draft, and only once.
    expect(withdrawable({}, undefined, now)).toBe(false);
    expect(withdrawable(withdrawn, undefined, now)).toBe(false);
  });
});

describe('notifications', () => {
  const booking = appointment('a1', { patientName: 'Giàng Thị Pà', status: 'waiting', createdAt: '2026-11-22T01:00:00.000Z' }, [
    { at: '2026-11-22T02:00:00.000Z', by: 's', side: 'station', action: 'accept', status: 'waiting', detail: '2026-11-23T01:30:00.000Z' },
    { at: '2026-11-22T03:00:00.000Z', by: 'p', side: 'patient', action: 'cancel', status: 'cancelled', detail: 'bận' }
  ]);

  it('tells each side what the other side did since they last looked, not their own actions', () => {
    expect(noticesFor('patient', [booking], [], [], '').map((n) => n.event?.action)).toEqual(['accept']);
    expect(noticesFor('station', [booking], [], [], '').map((n) => n.event?.action)).toEqual(['cancel']);
    expect(noticesFor('patient', [booking], [], [], '2026-11-22T02:30:00.000Z')).toEqual([]);
  });

  it('tells the station of a new booking and of the upper unit\'s answer, naming the patient', () => {
    const fresh = appointment('a2', { patientName: 'Lò Văn Sính', status: 'new', createdAt: '2026-11-22T04:00:00.000Z' }, []);
    const request = row('request', 'r1', { patientName: 'Vàng Thị Sua' });
    const review = row('review', 'r1', { status: 'scheduled', updatedAt: '2026-11-22T05:00:00.000Z' });
    expect(noticesFor('station', [fresh], [request], [review], '2026-11-22T00:00:00.000Z').map((n) => [n.kind, n.name])).toEqual([
      ['review', 'Vàng Thị Sua'],
      ['new_booking', 'Lò Văn Sính']
    ]);
  });

  it('does not tell the station of the upper unit’s answer to a request it withdrew', () => {
    const request = row('request', 'r1', { patientName: 'Vàng Thị Sua', sentAt: '2026-11-22T01:00:00.000Z', withdrawnAt: '2026-11-22T04:00:00.000Z' });
    const review = row('review', 'r1', { status: 'scheduled', updatedAt: '2026-11-22T05:00:00.000Z' });
    expect(noticesFor('station', [], [request], [review], '2026-11-22T00:00:00.000Z')).toEqual([]);
  });
});

describe('reminders', () => {
  it('reminds of a confirmed appointment due today or tomorrow in Vietnam, not later and not past, whatever the device zone', () => {
    // Vietnam's wall clock (UTC+7): 22 November 09:00 is 02:00 UTC; 23 November 20:00 is 13:00 UTC.
    const at = (d: number, h: number) => new Date(Date.UTC(2026, 10, d, h - 7, 0)).toISOString();
    const now = Date.parse(at(22, 9));
    const rows = [
      appointment('today', { status: 'waiting', scheduledAt: at(22, 14) }),
      appointment('tomorrow', { status: 'waiting', scheduledAt: at(23, 20) }),
      appointment('later', { status: 'waiting', scheduledAt: at(24, 8) }),
      // 24 November 06:00 in Vietnam, still 23 November (23:00) in UTC: not tomorrow.
      appointment('early', { status: 'waiting', scheduledAt: at(24, 6) }),
      appointment('past', { status: 'waiting', scheduledAt: at(22, 7) }),
      appointment('unconfirmed', { status: 'new', wishedAt: at(22, 15) })
    ];
    expect(upcomingAppointments(rows, now).map((r) => r.id)).toEqual(['today', 'tomorrow']);
  });
});

describe('the day\'s consultations and their reminders (criterion 60)', () => {
  // Thursday 3 December 2026, 09:00 in Vietnam.
  const now = Date.parse('2026-12-03T02:00:00.000Z');
  const sent = '2026-12-01T01:00:00.000Z';
  const requests = [
    row('request', 'r-proposed', { fromUnitId: 'tyt', toUnitId: 'ttyt', sentAt: sent, proposedAt: '2026-12-03T07:00:00.000Z' }),
    row('request', 'r-scheduled', { fromUnitId: 'tyt', toUnitId: 'ttyt', sentAt: sent, proposedAt: '2026-12-02T07:00:00.000Z' }),
    row('request', 'r-held', { fromUnitId: 'tyt', toUnitId: 'ttyt', sentAt: sent }),
    row('request', 'r-signed', { fromUnitId: 'tyt2', toUnitId: 'ttyt', sentAt: sent }),
    row('request', 'r-withdrawn', { fromUnitId: 'tyt', toUnitId: 'ttyt', sentAt: sent, withdrawnAt: sent, proposedAt: '2026-12-03T08:00:00.000Z' }),
    row('request', 'r-draft', { fromUnitId: 'tyt', toUnitId: 'ttyt', proposedAt: '2026-12-03T08:00:00.000Z' }),
    row('request', 'r-tomorrow', { fromUnitId: 'tyt', toUnitId: 'ttyt', sentAt: sent })
  ];
  const reviews = [
    row('review', 'r-scheduled', { status: 'scheduled', scheduledAt: '2026-12-03T03:00:00.000Z' }),
    row('review', 'r-held', { status: 'scheduled', scheduledAt: '2026-12-03T01:00:00.000Z' }),
    row('review', 'r-signed', { status: 'scheduled', scheduledAt: '2026-12-03T01:30:00.000Z' }),
    row('review', 'r-tomorrow', { status: 'scheduled', scheduledAt: '2026-12-04T02:00:00.000Z' })
  ];
  const signature = { version: 1, length: 100, sha256: 'a'.repeat(64), userId: 'u1', role: 'chair', signerName: 'Lý Thị Mai', certSerial: '01', certIssuer: 'CN=CA', signedAt: '2026-12-03T02:00:00.000Z' };
  const minutes = [
    row('minutes', 'r-held', { id: 'r-held', requestId: 'r-held', completedAt: '2026-12-03T01:50:00.000Z' }),
    row('minutes', 'r-signed', { id: 'r-signed', requestId: 'r-signed', completedAt: '2026-12-03T01:50:00.000Z' }, [signature]),
    // A correction of the signed one, not signed yet: the latest version speaks.
    row('minutes', 'r-signed.v2', { id: 'r-signed.v2', requestId: 'r-signed' })
  ];

  it('lists both sides\' consultations of the day in time order, at the scheduled time, else the proposed one, with their state', () => {
    const day = consultationsOn('2026-12-03', 'ttyt', requests, reviews, minutes);
    expect(day.map((c) => [c.request.id, c.state, c.otherUnitId])).toEqual([
      ['r-held', 'held', 'tyt'],
      ['r-signed', 'scheduled', 'tyt2'],
      ['r-scheduled', 'scheduled', 'tyt'],
      ['r-proposed', 'proposed', 'tyt']
    ]);
    const signedOnly = consultationsOn('2026-12-03', 'ttyt', requests, reviews, minutes.slice(0, 2));
    expect(signedOnly.find((c) => c.request.id === 'r-signed')?.state).toBe('signed');
    expect(consultationsOn('2026-12-03', 'tyt', requests, reviews, minutes).map((c) => c.otherUnitId)).toEqual(['ttyt', 'ttyt', 'ttyt']);
    expect(consultationsOn('2026-12-03', 'bv-tinh', requests, reviews, minutes)).toEqual([]);
  });

  it('reminds of the scheduled ones still to come today and tomorrow', () => {
    expect(upcomingConsultations('tyt', requests, reviews, minutes, now).map((c) => c.request.id)).toEqual(['r-scheduled', 'r-tomorrow']);
  });
});
