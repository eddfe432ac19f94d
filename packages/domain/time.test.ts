import { describe, expect, it } from 'vitest';
import { addMonths, fromVietnamLocal, toVietnamLocal, vietnamDate } from './time';

describe("Vietnam's time zone", () => {
  it('puts 06:00 in Vietnam on its own day, whatever the device zone (23:00 UTC the day before)', () => {
    expect(vietnamDate('2026-11-22T23:00:00.000Z')).toBe('2026-11-23');
    expect(toVietnamLocal('2026-11-22T23:00:00.000Z')).toBe('2026-11-23T06:00');
    expect(vietnamDate('2026-11-22T16:59:59.000Z')).toBe('2026-11-22');
    expect(vietnamDate('2026-11-22')).toBe('2026-11-22');
  });
  it('reads a typed wall-clock time as Vietnam time, back to the same instant', () => {
    expect(fromVietnamLocal('2026-11-23T06:00')).toBe('2026-11-22T23:00:00.000Z');
    expect(fromVietnamLocal(toVietnamLocal('2026-07-01T01:30:00.000Z'))).toBe('2026-07-01T01:30:00.000Z');
    expect(fromVietnamLocal('not a time')).toBe('');
  });
  it('adds calendar months, keeping the last day of a shorter month', () => {
    expect(addMonths('2026-01-10', 6)).toBe('2026-07-10');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});
