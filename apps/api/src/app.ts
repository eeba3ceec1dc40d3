import { randomInt } from 'node:crypto';
import {
  createPool,
  createProgressRepository,
  createRewardGrantRepository,
  ensureDatabase,
  migrate,
  pingDatabase,
} from '@challenges/db';
import {
  type Clock,
  DEMO_CHALLENGES_FILE,
  fileDefinitionsSource,
  qaClock,
  systemClock,
} from '@challenges/runtime';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { AppContext } from './application/context.ts';
import { createAuthenticator } from './auth/player-auth.ts';
import type { Env } from './env.ts';
import { buildRestServer } from './rest/server.ts';
import { mockRewardProvider, rewardDelivery } from './rewards/reward-delivery.ts';

export interface RunningApi {
  app: FastifyInstance;
  ctx: AppContext;
  /** The bound REST port (useful when HTTP_PORT=0). */
  port: number;
  close(): Promise<void>;
}

function redisClient(url: string): Redis {
  // Request-path commands fail fast instead of queueing while Redis is away.
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
}

async function pingRedis(redis: Redis): Promise<void> {
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error('timeout')), 1000).unref(),
  );
  await Promise.race([redis.ping(), timeout]);
}

/** Waits briefly for Redis at start; the api still starts without it (health reports it). */
async function connected(redis: Redis, log: Logger): Promise<Redis> {
  if (redis.status === 'ready') return redis;
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
  await Promise.race([ready, timeout]);
  if ((redis.status as string) !== 'ready')
    log.warn('Redis is not reachable yet; continuing without it');
  return redis;
}

async function createClock(env: Env, log: Logger, redis: Redis): Promise<Clock> {
  if (!env.qaClockEnabled) return systemClock();
  // The subscriber is off the request path, so it may queue commands until Redis is back.
  const subscriber = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  subscriber.on('error', (error) => log.debug({ err: error }, 'redis subscriber error'));
  return qaClock({ redis, subscriber, prefix: env.QUEUE_PREFIX, log });
}

/** Builds and starts the api process: database, definitions, auth, clock, REST listener. */
export async function startApi(
  env: Env,
  log: Logger = pino({ level: env.LOG_LEVEL }),
): Promise<RunningApi> {
  await ensureDatabase({ databaseUrl: env.DATABASE_URL });
  await migrate({ databaseUrl: env.DATABASE_URL, log: (line: string) => log.info(line) });
  const definitionsFile = env.CHALLENGES_FILE ?? DEMO_CHALLENGES_FILE;
  const definitions = await fileDefinitionsSource(definitionsFile);
  log.info(
    { file: definitionsFile, challenges: definitions.current().challenges.length },
    'definitions loaded',
  );

  const pool = createPool({ databaseUrl: env.DATABASE_URL, max: env.DB_POOL_SIZE });
  const redis = redisClient(env.REDIS_URL);
  redis.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  await connected(redis, log);
  const clock = await createClock(env, log, redis);
  const rewardGrants = createRewardGrantRepository(pool);
  const ctx: AppContext = {
    definitions,
    progress: createProgressRepository(pool),
    rewardGrants,
    rewards: rewardDelivery({
      provider: mockRewardProvider(rewardGrants),
      grants: rewardGrants,
      log,
    }),
    clock,
    randomInt: (max) => randomInt(max),
  };

  const health = async () => {
    const checks: Record<string, string> = {};
    const database = await pingDatabase(pool);
    checks.database = database.ok ? 'ok' : `unavailable: ${database.error}`;
    await pingRedis(redis).then(
      () => (checks.redis = 'ok'),
      (error: Error) => (checks.redis = `unavailable: ${error.message}`),
    );
    return { healthy: Object.values(checks).every((c) => c === 'ok'), checks };
  };

  const app = await buildRestServer({
    ctx,
    auth: await createAuthenticator(env),
    health,
    log,
    basePath: env.BASE_PATH,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MIN,
    adminApiKey: env.ADMIN_API_KEY,
    qaClockEnabled: env.qaClockEnabled,
  });
  await app.listen({ host: env.HTTP_HOST, port: env.HTTP_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.HTTP_PORT;
  log.info({ port, basePath: env.BASE_PATH, authMode: env.AUTH_MODE }, 'REST API listening');

  return {
    app,
    ctx,
    port,
    close: async () => {
      await app.close();
      await clock.close();
      await definitions.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
