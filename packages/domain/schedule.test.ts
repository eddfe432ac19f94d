import { describe, expect, it } from 'vitest';
import { reviewScheduleProblem, scheduleProblem } from './schedule';

const now = '2026-11-23T03:00:00.000Z'; // 10:00 in Vietnam

describe('scheduling a consultation', () => {
  it('refuses a time already past, against the clock it is given', () => {
    expect(scheduleProblem('2026-11-22T03:00:00.000Z', now)).toBe('in_past');
    expect(scheduleProblem('2026-11-23T02:58:00.000Z', now)).toBe('in_past');
    expect(scheduleProblem('2026-11-24T01:30:00.000Z', now)).toBeUndefined();
    // The same time is fine for a clock a day earlier: nothing is read from the machine's own clock.
    expect(scheduleProblem('2026-11-22T03:00:00.000Z', Date.parse(now) - 2 * 86_400_000)).toBeUndefined();
  });

  it('accepts the current minute (inputs are to the minute) and refuses what is not a time', () => {
    expect(scheduleProblem('2026-11-23T03:00:00.000Z', Date.parse(now) + 30_000)).toBeUndefined();
    expect(scheduleProblem('ngày mai', now)).toBe('bad_date');
  });

  it('checks a review: scheduled only for a future time, nothing to check without a time', () => {
    expect(reviewScheduleProblem({ status: 'scheduled', scheduledAt: '2026-11-20T02:00:00.000Z' }, now)).toBe('in_past');
    expect(reviewScheduleProblem({ status: 'scheduled', scheduledAt: '2026-11-25T02:00:00.000Z' }, now)).toBeUndefined();
    expect(reviewScheduleProblem({ status: 'scheduled' }, now)).toBe('bad_date');
    expect(reviewScheduleProblem({ status: 'answered' }, now)).toBeUndefined();
  });
});
