// First-admin setup of a real deployment: when the server starts with no account and no demo, a one-time code is
// generated, printed and kept in DATA_DIR/setup-code (mode 600); whoever can read it may create the first admin.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type SetupCode = {
  /** The code, until the first admin exists. */
  readonly code: string | undefined;
  /** The file that holds it. */
  readonly file: string | undefined;
  /** Forgets the code and deletes its file: setup is done. */
  finish(): void;
};

// No 0/O, 1/I/L: read from a console and typed on a phone.
const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** 15 characters in three groups (≈ 74 bits), e.g. `K7QM4-XPA9R-TD3WE`. */
export function newSetupCode(): string {
  const chars = Array.from({ length: 15 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 5, 10].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** Compares a typed code with the real one in constant time (case, spaces and dashes ignored). */
export function setupCodeMatches(typed: string, code: string): boolean {
  const norm = (s: string) => createHash('sha256').update(s.toUpperCase().replace(/[\s-]/g, '')).digest();
  return timingSafeEqual(norm(typed), norm(code));
}

/** A fresh code written to `dataDir/setup-code` (mode 600), replacing any left from an earlier start. */
export function createSetupCode(dataDir: string): SetupCode {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'setup-code');
  rmSync(file, { force: true });
  let code: string | undefined = newSetupCode();
  writeFileSync(file, code + '\n', { mode: 0o600, flag: 'wx' });
  return {
    get code() {
      return code;
    },
    file,
    finish() {
      code = undefined;
      rmSync(file, { force: true });
    }
  };
}

/** A code held only in memory (tests). */
export function memorySetupCode(value: string): SetupCode {
  let code: string | undefined = value;
  return {
    get code() {
      return code;
    },
    file: undefined,
    finish() {
      code = undefined;
    }
  };
}
