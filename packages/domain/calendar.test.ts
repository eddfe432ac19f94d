// The upper unit's consultation calendar: slots cut from the weekly hours in Vietnam's time, none on a closed day or
// in the past, taken ones left out; a calendar is read field by field and refused with every fault named.
import { describe, expect, it } from 'vitest';
import { daySlots, emptyCalendar, freeSlots, isCalendarSlot, parseCalendar, slotLabel, weekdayOf } from './calendar';

const calendar = { slotMinutes: 30, weekly: [{ weekday: 4, start: '14:00', end: '16:00' }, { weekday: 2, start: '08:00', end: '09:00' }], closed: ['2026-12-08'], note: 'Gọi trước 15 phút.' };

describe('consultation calendar', () => {
  it('cuts the weekly hours into slots in Vietnam time, and knows its weekdays', () => {
    expect(weekdayOf('2026-12-03')).toBe(4); // a Thursday
    expect(weekdayOf('2026-12-06')).toBe(7); // a Sunday
    const slots = daySlots(calendar, '2026-12-03');
    expect(slots).toEqual(['2026-12-03T07:00:00.000Z', '2026-12-03T07:30:00.000Z', '2026-12-03T08:00:00.000Z', '2026-12-03T08:30:00.000Z']);
    expect(slots.map(slotLabel)).toEqual(['14:00', '14:30', '15:00', '15:30']);
    expect(daySlots(calendar, '2026-12-08')).toEqual([]); // a Tuesday, closed
    expect(daySlots(calendar, '2026-12-01')).toHaveLength(2); // the Tuesday before
    expect(isCalendarSlot(calendar, '2026-12-03T07:30:00.000Z')).toBe(true);
    expect(isCalendarSlot(calendar, '2026-12-03T07:45:00.000Z')).toBe(false);
  });

  it('offers the free slots ahead, day by day, without the past and the taken ones', () => {
    const now = Date.parse('2026-12-03T07:10:00.000Z'); // Thursday 14:10 in Vietnam
    const free = freeSlots(calendar, now, 8, ['2026-12-03T08:00:00.000Z']);
    expect(free[0]).toEqual({ day: '2026-12-03', slots: ['2026-12-03T07:30:00.000Z', '2026-12-03T08:30:00.000Z'] });
    // Next week's Tuesday is closed; its Thursday is within 8 days.
    expect(free.map((d) => d.day)).toEqual(['2026-12-03', '2026-12-10']);
    expect(freeSlots(emptyCalendar(), now, 14)).toEqual([]);
  });

  it('reads a calendar closed and bounded, naming every fault', () => {
    const ok = parseCalendar(calendar);
    expect(ok.ok && ok.calendar.weekly.map((h) => h.weekday)).toEqual([2, 4]);
    const bad = parseCalendar({ slotMinutes: 5, weekly: [{ weekday: 8, start: '25:00', end: '09:00' }, { weekday: 1, start: '10:00', end: '09:00' }, { weekday: 2, start: '08:00', end: '10:00' }, { weekday: 2, start: '09:00', end: '11:00' }], closed: ['2026-02-30'], note: 'a\nb', extra: 1 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toEqual([
      'unknown keys: extra',
      'slotMinutes: a whole number from 10 to 240',
      'weekly[0].weekday: 1 (Monday) to 7 (Sunday)',
      'weekly[0]: start and end as HH:MM',
      'weekly[1]: end after start',
      'weekly: hours of weekday 2 overlap',
      'closed: at most 100 days as YYYY-MM-DD',
      'note: one paragraph of at most 500 characters'
    ]);
    expect(parseCalendar(null)).toEqual({ ok: false, problems: ['calendar: an object'] });
    expect(parseCalendar({ ...calendar, weekly: Array.from({ length: 22 }, () => ({ weekday: 1, start: '08:00', end: '09:00' })) }).ok).toBe(false);
  });
});
