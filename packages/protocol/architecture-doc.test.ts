// ARCHITECTURE.md specifies the sync protocol's close codes, error codes and limits: this keeps them equal to the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode, limits } from './constants';

const doc = readFileSync(new URL('../../ARCHITECTURE.md', import.meta.url), 'utf8');
const start = doc.indexOf('\n### Errors, limits and out-of-order messages\n');
const errors = doc.slice(start, doc.indexOf('\n### ', start + 10));

describe('ARCHITECTURE.md on errors and limits', () => {
  it('has a row for every close code and names every error code', () => {
    expect(start).toBeGreaterThan(0);
    const rows = new Set([...errors.matchAll(/^\| (\d{4}) \|/gm)].map((m) => Number(m[1])));
    for (const c of Object.values(CloseCode)) expect(rows.has(c.code), `close ${c.code}`).toBe(true);
    for (const code of Object.values(ErrorCode)) expect(new RegExp('`(error )?' + code + '`').test(errors), code).toBe(true);
  });

  it('gives the limits the code has', () => {
    expect(errors).toContain(`over 256 KiB (${limits.maxMessageBytes.toLocaleString('en-US')} bytes`);
    expect(errors).toContain(`over 128 KiB (${limits.maxUpdateBytes.toLocaleString('en-US')} bytes)`);
    expect(errors).toContain(`chunks under ${limits.maxChunkBytes.toLocaleString('en-US')} bytes`);
    expect(errors).toContain(`within \`SYNC_HELLO_TIMEOUT_MS\` (${limits.helloTimeoutMs / 1000} s)`);
  });
});
