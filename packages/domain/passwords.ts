// The password rule shared by the server (which enforces it) and the app (which explains it before sending):
// long enough, not only digits, not the account's own name or phone number, not one of the most used passwords.

export const PasswordProblem = {
  tooShort: 'too_short',
  allDigits: 'all_digits',
  sameAsAccount: 'same_as_account',
  tooCommon: 'too_common'
} as const;
export type PasswordProblem = (typeof PasswordProblem)[keyof typeof PasswordProblem];

export const passwordMinLength = 8;

/**
 * The most used passwords of at least 8 characters that are not all digits (leaked-password lists, Vietnamese
 * ones included), compared without case or spaces.
 */
const commonPasswords: ReadonlySet<string> = new Set([
  'password', 'password1', 'password12', 'password123', 'passw0rd', 'p4ssw0rd', 'qwertyui', 'qwerty12', 'qwerty123',
  'qwertyuiop', 'qwerty1234', '1qaz2wsx', 'zaq12wsx', 'zxcvbnm1', 'asdfghjk', 'asdf1234', 'abcd1234', 'abc12345',
  'abc123456', 'a1234567', 'a12345678', 'aa123456', 'aa12345678', '1q2w3e4r', '1q2w3e4r5t', 'iloveyou', 'iloveyou1',
  'admin123', 'admin1234', 'administrator', 'welcome1', 'welcome123', 'letmein1', 'sunshine', 'princess', 'football',
  'baseball', 'superman', 'trustno1', 'matkhau', 'matkhau1', 'matkhau12', 'matkhau123', 'anhyeuem', 'anhyeuem1',
  'anhyeuem123', 'emyeuanh', 'yeuem123', 'yeuanh123', 'vietnam1', 'vietnam123', 'vietnam2025', 'hanoi123',
  'saigon123', 'motmotmot', 'khongbiet', 'tramyte1', 'tramyte123', 'yte12345', 'benhnhan', 'benhnhan1', 'bacsi123',
  'admin@123', 'p@ssw0rd', 'p@ssword', 'pass@123', 'abc@1234', 'abc@123456', 'matkhau@123'
]);

const squash = (text: string) => text.normalize('NFC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');

/**
 * What is wrong with a new password, or undefined when it is acceptable. `account` names what the account is
 * known by (username, phone number): a password containing one of them is refused.
 */
export function passwordProblem(password: string, account: readonly (string | undefined)[] = []): PasswordProblem | undefined {
  if ([...password.normalize('NFC')].length < passwordMinLength) return PasswordProblem.tooShort;
  if (/^\d+$/.test(password)) return PasswordProblem.allDigits;
  const squashed = squash(password);
  for (const name of account) {
    const n = name ? squash(name) : '';
    if (n.length >= 4 && squashed.includes(n)) return PasswordProblem.sameAsAccount;
  }
  const plain = password.normalize('NFC').toLowerCase().replace(/\s/g, '');
  if (commonPasswords.has(plain) || new Set(plain).size <= 2) return PasswordProblem.tooCommon;
  return undefined;
}
