import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';

/**
 * docs/events.md: an ack is as durable as Redis is configured. Warn (never fail: managed Redis often
 * refuses CONFIG) when a restart could lose acknowledged events or memory pressure evict them.
 */
export async function warnIfRedisNotDurable(redis: RedisClient, log: Logger): Promise<void> {
  try {
    const [appendonly, policy] = await Promise.all([
      redis.config('GET', 'appendonly') as Promise<string[]>,
      redis.config('GET', 'maxmemory-policy') as Promise<string[]>,
    ]);
    const problems: string[] = [];
    if (appendonly[1] !== 'yes') {
      problems.push(
        `appendonly is '${appendonly[1]}' (want 'yes' with appendfsync everysec or always)`,
      );
    }
    if (policy[1] !== 'noeviction') {
      problems.push(`maxmemory-policy is '${policy[1]}' (want 'noeviction')`);
    }
    if (problems.length > 0) {
      log.warn(
        { problems },
        'Redis is not configured durably: acknowledged events may be lost on a Redis restart or under memory pressure',
      );
    }
  } catch (error) {
    log.warn({ err: error }, 'could not read the Redis configuration to check its durability');
  }
}
