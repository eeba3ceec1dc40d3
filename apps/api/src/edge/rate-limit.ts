import { CoreError } from '@challenges/core';

/**
 * Per-player fixed one-minute windows, kept in process: a check is a Map lookup on the hot
 * path instead of a Redis round trip. With N replicas behind a balancer a player gets up to
 * N × the limit, which is the trade-off documented in docs/operations.md.
 */
export function rateLimiter(options: { perMinute: number; now?: () => number }) {
  const { perMinute } = options;
  const now = options.now ?? Date.now;
  let windowStart = 0;
  let counts = new Map<string, number>();
  return {
    check(userId: string): void {
      if (perMinute === 0) return;
      const t = now();
      if (t - windowStart >= 60_000) {
        windowStart = t - (t % 60_000);
        counts = new Map();
      }
      const used = (counts.get(userId) ?? 0) + 1;
      counts.set(userId, used);
      if (used > perMinute) {
        throw new CoreError(
          'RATE_LIMITED',
          `rate limit of ${perMinute} requests per minute exceeded`,
        );
      }
    },
  };
}
