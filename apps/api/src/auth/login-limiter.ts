import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface LoginLimiter {
  /** true when the email has used up its failed attempts for the window. */
  blocked(email: string): Promise<boolean>;
  recordFailure(email: string): Promise<void>;
  reset(email: string): Promise<void>;
}

/**
 * Failed sign-ins per email, counted in Redis so every api replica shares the budget. When
 * Redis is away the limiter lets attempts through (and logs): the password check still holds,
 * and locking every live-ops user out during a Redis outage would be worse.
 */
export function redisLoginLimiter(options: {
  redis: Redis;
  prefix: string;
  log: Logger;
  maxFailures?: number;
  windowSeconds?: number;
}): LoginLimiter {
  const { redis, log } = options;
  const maxFailures = options.maxFailures ?? 10;
  const windowSeconds = options.windowSeconds ?? 15 * 60;
  const key = (email: string) => `${options.prefix}:login-failures:${email}`;
  const failOpen =
    <T>(fallback: T) =>
    (error: Error) => {
      log.warn({ err: error }, 'login limiter unavailable');
      return fallback;
    };
  return {
    async blocked(email) {
      const count = await redis.get(key(email)).catch(failOpen(null));
      return Number(count ?? 0) >= maxFailures;
    },
    async recordFailure(email) {
      // The window starts at the first failure and is not extended by later ones.
      await redis
        .multi()
        .incr(key(email))
        .expire(key(email), windowSeconds, 'NX')
        .exec()
        .catch(failOpen(null));
    },
    async reset(email) {
      await redis.del(key(email)).catch(failOpen(0));
    },
  };
}
