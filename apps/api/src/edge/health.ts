import { type DatabasePool, pingDatabase } from '@challenges/db';
import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';

/** What /healthz and the gRPC HealthCheck answer from: each dependency, `ok` or why not. */
export type HealthCheck = () => Promise<{ healthy: boolean; checks: Record<string, string> }>;

async function pingRedis(redis: RedisClient): Promise<void> {
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error('no answer within 1000 ms')), 1000).unref(),
  );
  await Promise.race([redis.ping(), timeout]);
}

/**
 * The dependencies /healthz and the gRPC HealthCheck report. Anyone may call them, so the
 * answer names only what is down; the reason (host names, driver messages) goes to the log.
 */
export function createHealthCheck(deps: {
  pool: DatabasePool;
  redis: RedisClient;
  log: Logger;
}): HealthCheck {
  return async () => {
    // Both at once: with both down, the answer takes one timeout, not two.
    const [database, redisError] = await Promise.all([
      pingDatabase(deps.pool),
      pingRedis(deps.redis).then(
        () => null,
        (error: Error) => error,
      ),
    ]);
    if (!database.ok) deps.log.warn({ reason: database.error }, 'health: database unavailable');
    if (redisError) deps.log.warn({ reason: redisError.message }, 'health: redis unavailable');
    const checks: Record<string, string> = {
      database: database.ok ? 'ok' : 'unavailable',
      redis: redisError ? 'unavailable' : 'ok',
    };
    return { healthy: Object.values(checks).every((c) => c === 'ok'), checks };
  };
}
