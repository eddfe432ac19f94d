// A token bucket: `ratePerSecond` sustained, `burst` at once.

export function createTokenBucket(ratePerSecond: number, burst: number, now: () => number) {
  let tokens = burst;
  let last = now();
  return {
    take(cost = 1): boolean {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * ratePerSecond);
      last = t;
      if (tokens < cost) return false;
      tokens -= cost;
      return true;
    }
  };
}
