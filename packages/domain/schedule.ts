// Times fixed for later — the consultation an upper unit schedules, the follow-up written in a form — may not be in
// the past. Pure: `now` is given by the caller (the device's clock on the screen, the server's clock there).
import { ReviewStatus } from './records';

export type ScheduleProblem = 'bad_date' | 'in_past';

/** A time picked to the minute (a `datetime-local` input) is still "now" during the minute it names. */
export const scheduleGraceMs = 60_000;

/** Why the instant `at` (ISO 8601) cannot be scheduled at `now`; undefined when it can. */
export function scheduleProblem(at: string, now: string | number | Date): ScheduleProblem | undefined {
  const when = Date.parse(at);
  const current = typeof now === 'number' ? now : typeof now === 'string' ? Date.parse(now) : now.getTime();
  if (!Number.isFinite(when) || !Number.isFinite(current)) return 'bad_date';
  return when < current - scheduleGraceMs ? 'in_past' : undefined;
}

/**
 * A review's schedule: a consultation is scheduled (status "scheduled", or a time being set) only for a time not yet
 * past at `now`. Undefined when the review is acceptable; a review without a time has nothing to check.
 */
export function reviewScheduleProblem(review: { status?: string; scheduledAt?: string }, now: string | number | Date): ScheduleProblem | undefined {
  if (!review.scheduledAt) return review.status === ReviewStatus.scheduled ? 'bad_date' : undefined;
  return scheduleProblem(review.scheduledAt, now);
}
