// Limits on the login, registration and setup endpoints: token buckets per key (network address, account) on an
// injected clock, and a gate that lets only a few password hashes (32 MiB each) run at once with a bounded queue.

export type BucketRule = {
  /** Attempts allowed in a burst. */
  capacity: number;
  /** One attempt comes back every this many milliseconds. */
  refillMs: number;
};

type Bucket = { tokens: number; at: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number,
    /** Buckets kept at most; full ones are dropped first (they carry no information). */
    private readonly maxKeys = 50_000
  ) {}

  /** Takes one attempt for `key`: 0 when allowed, else how many milliseconds until the next one is. */
  take(key: string): number {
    const wait = this.check(key);
    if (!wait) this.spend(key);
    return wait;
  }

  /** 0 when `key` has an attempt left, else how many milliseconds until it has one; takes nothing. */
  check(key: string): number {
    const bucket = this.refilled(key, this.now());
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) * this.rule.refillMs);
  }

  /** Uses one attempt of `key` (a failed login), if it has one. */
  spend(key: string): void {
    const t = this.now();
    const bucket = this.refilled(key, t);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    this.buckets.set(key, bucket);
    this.prune(t);
  }

  private refilled(key: string, t: number): Bucket {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.rule.capacity, at: t };
    const tokens = Math.min(this.rule.capacity, b.tokens + Math.max(0, t - b.at) / this.rule.refillMs);
    return { tokens, at: t };
  }

  private prune(t: number) {
    if (this.buckets.size <= this.maxKeys) return;
    for (const key of [...this.buckets.keys()]) {
      if (this.refilled(key, t).tokens >= this.rule.capacity) this.buckets.delete(key);
    }
    // Still over (an attack from many addresses): forget the oldest.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

export class GateFull extends Error {
  constructor() {
    super('too many password checks waiting');
  }
}

/** Runs at most `concurrency` tasks at once; up to `maxQueued` more wait; beyond that `run` rejects with GateFull. */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number
  ) {}

  get busy() {
    return { running: this.running, queued: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) throw new GateFull();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
