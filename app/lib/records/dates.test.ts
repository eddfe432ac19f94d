// Every date and time is Vietnam's (Asia/Ho_Chi_Minh, UTC+7), whatever the device's zone; numbers take the
// language's decimal mark. Fixed instants: 2026-11-22T23:00Z is 06:00 on 23 November in Vietnam.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, fromLocalInput, toLocalInput, todayInVietnam } from './dates';
import { dateLine, hm, measured } from './pdf';

const sixInTheMorning = '2026-11-22T23:00:00.000Z';

// A device set to another zone (a phone bought abroad, a PC left on UTC) must show the same.
const deviceZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(() => {
  if (deviceZone === undefined) delete process.env.TZ;
  else process.env.TZ = deviceZone;
});

describe('dates on the screens', () => {
  it('shows a request made at 06:00 Vietnam time on its own day, not the day before', () => {
    expect(formatDateTime(sixInTheMorning)).toBe('23/11/2026 06:00');
    expect(formatDate(sixInTheMorning)).toBe('23/11/2026');
    expect(todayInVietnam(Date.parse(sixInTheMorning))).toBe('2026-11-23');
    expect(formatDate('1992-03-14')).toBe('14/03/1992');
  });
  it('reads and fills a time input in Vietnam time', () => {
    expect(toLocalInput(sixInTheMorning)).toBe('2026-11-23T06:00');
    expect(fromLocalInput('2026-11-23T06:00')).toBe(sixInTheMorning);
    expect(toLocalInput(undefined)).toBe('');
  });
  it('writes 37,5 in Vietnamese and 37.5 in English', () => {
    expect(formatNumber(37.5, 'vi')).toBe('37,5');
    expect(formatNumber(37.5, 'en')).toBe('37.5');
    expect(formatNumber(1200, 'vi')).toBe('1200');
  });
});

describe('dates and numbers on the 4A PDF', () => {
  it('dates and times the form in Vietnam time with a decimal comma', () => {
    expect(dateLine(sixInTheMorning)).toBe('Ngày 23 tháng 11 năm 2026');
    expect(hm(sixInTheMorning)).toBe('06 giờ 00 phút');
    expect(measured(39.4)).toBe('39,4');
    expect(measured(undefined)).toBe('____');
  });
});
