// Password hashing: scrypt round trip, salted, Vietnamese passwords in any Unicode form.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

const cost = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('mật khẩu đúng', cost);
    expect(hash.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('mật khẩu đúng', hash)).toBe(true);
    expect(await verifyPassword('mat khau dung', hash)).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('a', cost)).not.toBe(await hashPassword('a', cost));
  });

  it('accepts a password typed in decomposed Unicode (as some Vietnamese keyboards send it)', async () => {
    const hash = await hashPassword('Việt'.normalize('NFC'), cost);
    expect(await verifyPassword('Việt'.normalize('NFD'), hash)).toBe(true);
  });

  it('refuses a malformed stored hash', async () => {
    expect(await verifyPassword('a', 'bcrypt$whatever')).toBe(false);
  });
});
