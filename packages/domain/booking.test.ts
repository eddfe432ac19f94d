import { describe, expect, it } from 'vitest';
import { bookingProblems } from './appointments';
import { appointmentSchema } from './records';
import { validatePatch } from './schema';

describe('what a booking’s purpose requires', () => {
  it('a home visit needs the address to go to', () => {
    expect(bookingProblems({ purpose: 'home' })).toEqual([{ field: 'homeAddress', code: 'required' }]);
    expect(bookingProblems({ purpose: 'home', homeAddress: '  ' })).toEqual([{ field: 'homeAddress', code: 'required' }]);
    expect(bookingProblems({ purpose: 'home', homeAddress: 'Thôn Sín Chải, xã Y Tý' })).toEqual([]);
    expect(validatePatch(appointmentSchema, { homeAddress: 'Thôn Sín Chải, xã Y Tý' })).toEqual([]);
  });

  it('a booking on behalf of someone names the booker; a visit at the station needs neither', () => {
    expect(bookingProblems({ purpose: 'on_behalf' })).toEqual([{ field: 'bookerName', code: 'required' }]);
    expect(bookingProblems({ purpose: 'on_behalf', bookerName: 'Hầu Thị Dua' })).toEqual([]);
    expect(bookingProblems({ purpose: 'station' })).toEqual([]);
  });
});
