import { CoreError } from '@challenges/core';
import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';
import { redisWithFallback } from './redis-fallback.ts';

/** One budget per player across REST, gRPC and tRPC, and across every api replica. */
export interface PlayerRateLimiter {
  /** Counts one request of the player; rejects with RATE_LIMITED once the minute's budget is spent. */
  check(userId: string): Promise<void>;
}

const WINDOW_MS = 60_000;
// A counter outlives its minute a little, so a replica whose clock runs behind still finds it.
const KEY_GRACE_MS = 5_000;

// KEYS: the player's counter for one minute. ARGV: its time to live (ms). One script, so a
// counter never exists without its expiry.
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Fixed calendar-minute windows counted in Redis (`<prefix>:rate:<minute>:<userId>`), so every
 * replica draws from one budget per player. While Redis is unreachable or stalled, requests are
 * counted in this process instead (N replicas then allow up to N × the limit) and the switch is
 * logged once each way.
 */
export function playerRateLimiter(options: {
  perMinute: number;
  redis: RedisClient;
  prefix: string;
  log: Logger;
  /** Wall clock (ms); a test seam. */
  now?: () => number;
}): PlayerRateLimiter {
  const { perMinute, redis, prefix, log } = options;
  const now = options.now ?? Date.now;
  const local = inProcessCounter();
  const counted = redisWithFallback(log, 'player rate limit');

  return {
    async check(userId) {
      if (perMinute === 0) return;
      const t = now();
      const windowStart = t - (t % WINDOW_MS);
      const key = `${prefix}:rate:${windowStart / WINDOW_MS}:${userId}`;
      const ttl = windowStart + WINDOW_MS + KEY_GRACE_MS - t;
      const used = await counted(
        async () => Number(await redis.eval(COUNT, 1, key, ttl)),
        () => local.increment(userId, windowStart),
      );
      if (used > perMinute) {
        throw new CoreError(
          'RATE_LIMITED',
          `rate limit of ${perMinute} requests per minute exceeded`,
        );
      }
    },
  };
}

/** The fallback: the current minute's counts, kept in a Map of this process. */
function inProcessCounter() {
  let window = 0;
  let counts = new Map<string, number>();
  return {
    increment(userId: string, windowStart: number): number {
      if (windowStart !== window) {
        window = windowStart;
        counts = new Map();
      }
      const used = (counts.get(userId) ?? 0) + 1;
      counts.set(userId, used);
      return used;
    },
  };
}
