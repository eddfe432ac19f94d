// Token buckets on an injected clock and the bound on concurrent password hashing.
import { describe, expect, it } from 'vitest';
import { Gate, GateFull, TokenBuckets } from './limits';

describe('TokenBuckets', () => {
  it('allows a burst, then one attempt per refill period, each key on its own', () => {
    let clock = 0;
    const buckets = new TokenBuckets({ capacity: 3, refillMs: 10_000 }, () => clock);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(10_000);
    expect(buckets.take('b')).toBe(0);
    clock += 4_000;
    expect(buckets.take('a')).toBe(6_000);
    clock += 6_000;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(10_000);
    clock += 1_000_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0, 10_000]);
  });

  it('keeps a bounded number of keys, forgetting full buckets first', () => {
    let clock = 0;
    const buckets = new TokenBuckets({ capacity: 1, refillMs: 1_000 }, () => clock, 2);
    buckets.take('spent');
    clock += 10_000;
    buckets.take('x');
    buckets.take('y');
    clock += 1;
    buckets.take('z');
    // 'spent' had refilled and was dropped; 'z' (just spent) is remembered.
    expect(buckets.take('z')).toBeGreaterThan(0);
  });
});

describe('Gate', () => {
  it('runs at most `concurrency` tasks at once, queues a bounded number, refuses beyond it', async () => {
    const gate = new Gate(2, 1);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        releases.push(() => resolve(n));
      });
    const runs = [gate.run(task(1)), gate.run(task(2)), gate.run(task(3))];
    await expect(gate.run(task(4))).rejects.toBeInstanceOf(GateFull);
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    releases[0]!();
    await expect.poll(() => started).toEqual([1, 2, 3]);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(runs)).toEqual([1, 2, 3]);
    expect(gate.busy).toEqual({ running: 0, queued: 0 });
  });

  it('frees its slot when a task fails', async () => {
    const gate = new Gate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('ok'))).toBe('ok');
  });
});

describe('TokenBuckets.check and spend', () => {
  it('counts only what is spent: checking takes nothing, and a spent bucket refuses until it refills', () => {
    let clock = 0;
    const buckets = new TokenBuckets({ capacity: 2, refillMs: 1_000 }, () => clock);
    expect([buckets.check('k'), buckets.check('k'), buckets.check('k')]).toEqual([0, 0, 0]);
    buckets.spend('k');
    buckets.spend('k');
    buckets.spend('k');
    expect(buckets.check('k')).toBe(1_000);
    clock += 1_000;
    expect(buckets.check('k')).toBe(0);
  });
});
