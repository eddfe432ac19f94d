// The password rule: what a person choosing a password is told, the same on the server and in the app.
import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwords';

describe('passwordProblem', () => {
  it('accepts a password of 8 characters or more that is not guessable', () => {
    expect(passwordProblem('mat-khau-1')).toBeUndefined();
    expect(passwordProblem('Núi Y Tý 2025', ['tram.yty'])).toBeUndefined();
  });

  it('refuses a password under 8 characters, counting Vietnamese letters as one each', () => {
    expect(passwordProblem('abc1234')).toBe('too_short');
    expect(passwordProblem('Tr\u0103\u0300m1234')).toBeUndefined(); // decomposed "Trằm1234": 8 letters once composed
    expect(passwordProblem('ằằằ1')).toBe('too_short');
  });

  it('refuses a password of digits only, such as a date or a phone number', () => {
    expect(passwordProblem('20251122')).toBe('all_digits');
    expect(passwordProblem('0912345678')).toBe('all_digits');
  });

  it('refuses a password containing the username or the phone number, whatever the case or punctuation', () => {
    expect(passwordProblem('Tram.Yty-2025', ['tram.yty'])).toBe('same_as_account');
    expect(passwordProblem('sdt0987654321', ['0987654321'])).toBe('same_as_account');
    expect(passwordProblem('mat-khau-1', ['0987654321', undefined])).toBeUndefined();
  });

  it('refuses the most used passwords, also with capitals or spaces, and one or two repeated characters', () => {
    for (const p of ['password', 'Matkhau123', 'anh yeu em', 'Admin@123', 'aaaaaaaa', 'abababab']) expect(passwordProblem(p), p).toBe('too_common');
  });
});
