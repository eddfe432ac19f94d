// The storage warning threshold.
import { describe, expect, it } from 'vitest';
import { storageRunningShort } from './storage-budget';

const MB = 1024 * 1024;

describe('storage running short', () => {
  it('warns when less than 50 MB is left on a small quota', () => {
    expect(storageRunningShort(260 * MB, 300 * MB)).toBe(true);
    expect(storageRunningShort(200 * MB, 300 * MB)).toBe(false);
  });

  it('warns when less than a tenth of a large quota is left', () => {
    expect(storageRunningShort(9_100 * MB, 10_000 * MB)).toBe(true);
    expect(storageRunningShort(8_000 * MB, 10_000 * MB)).toBe(false);
  });

  it('stays quiet when the browser does not say', () => {
    expect(storageRunningShort(undefined, undefined)).toBe(false);
  });
});
