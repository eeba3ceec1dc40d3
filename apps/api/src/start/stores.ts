import { randomInt } from 'node:crypto';
import {
  createLedgerProgressRepository,
  createPlayerAttributesRepository,
  createPlayerErasureRepository,
  createPlayerHistoryRepository,
  createPrismaClient,
  createRewardDeliveryRepository,
  createRewardGrantListing,
  createRewardGrantRepository,
  createWebhookRepository,
  type DatabasePool,
  openDatabase,
  type PrismaClient,
  redactUrl,
  subscribedWebhookTypes,
} from '@challenges/db';
import {
  type Clock,
  createPushPublisher,
  createRedis,
  type PushPublisher,
  parseWebhookAllowList,
  pushListenersGate,
  qaClock,
  type RedisClient,
  rewardDeliveryFromSettings,
  startWebhookSubscriptions,
  systemClock,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import { cachedPlayerAttributes } from '../application/cached-player-attributes.ts';
import type { AppContext } from '../application/context.ts';
import type { DefinitionStore } from '../application/definitions/index.ts';
import type { Env } from '../env.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import { LOCAL_PSEUDONYM_SECRET, pseudonymiser } from '../privacy/pseudonym.ts';
import { inlineRewardDelivery } from '../rewards/reward-delivery.ts';
import { startDefinitionStore } from '../start-definition-store.ts';

export type Pool = DatabasePool;

/** What every later step reads from: the database, Redis and the definitions store. */
export interface Stores {
  pool: Pool;
  /** Dashboard-side CRUD, on the same pool (packages/db says why). */
  prisma: PrismaClient;
  redis: RedisClient;
  definitionStore: DefinitionStore;
}

function redisClient(env: Env): RedisClient {
  // Request-path commands fail fast instead of queueing while Redis is away.
  return createRedis(env, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
}

/** Waits briefly for Redis at start; the api still starts without it (health reports it). */
async function connected(redis: RedisClient, env: Env, log: Logger): Promise<RedisClient> {
  if (redis.status === 'ready') return redis;
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
  await Promise.race([ready, timeout]);
  const where =
    env.REDIS_CLUSTER_NODES.length > 0
      ? `the Redis Cluster at ${env.REDIS_CLUSTER_NODES.join(',')} (REDIS_CLUSTER_NODES)`
      : `${redactUrl(env.REDIS_URL)} (REDIS_URL)`;
  if ((redis.status as string) !== 'ready')
    log.warn(
      `Redis is not reachable at ${where}: serving without it (/healthz answers 503, event ` +
        'ingest UNAVAILABLE) until it is. Start Redis there, or set REDIS_URL.',
    );
  return redis;
}

async function createClock(env: Env, log: Logger, redis: RedisClient): Promise<Clock> {
  if (!env.qaClockEnabled) return systemClock();
  // The subscriber is off the request path, so it may queue commands until Redis is back.
  const subscriber = createRedis(env, { maxRetriesPerRequest: null });
  subscriber.on('error', (error) => log.debug({ err: error }, 'redis subscriber error'));
  return qaClock({ redis, subscriber, prefix: env.QUEUE_PREFIX, log });
}

/** A migrated database, Redis, and the definitions (docs/definitions.md). */
export async function openStores(env: Env, log: Logger): Promise<Stores> {
  const pool = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    max: env.DB_POOL_SIZE,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    namedStatements: env.namedStatements,
    migrationDatabaseUrl: env.migrationDatabaseUrl,
    onError: (error) => log.warn({ err: error }, 'idle database connection failed'),
    log: (line) => log.info(line),
  });
  const prisma = createPrismaClient(pool);
  const redis = redisClient(env);
  redis.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  await connected(redis, env, log);
  // Definitions come from the store; CHALLENGES_FILE only seeds an empty one.
  const definitionStore = await startDefinitionStore({ env, log, prisma, redis }).catch(
    async (error: unknown) => {
      redis.disconnect();
      await prisma.$disconnect();
      await pool.end();
      throw error;
    },
  );
  return { pool, prisma, redis, definitionStore };
}

/**
 * The use cases' announcer (docs/push.md): behind the same publish gate as the worker's (no
 * stream on any replica for a replay window: nothing is published), and a failed publish is
 * logged instead of rejecting.
 */
function pushPublisher(env: Env, log: Logger, redis: RedisClient): PushPublisher {
  const publisher = createPushPublisher({ redis, prefix: env.QUEUE_PREFIX });
  const listeners = pushListenersGate({ redis, prefix: env.QUEUE_PREFIX });
  return {
    changed: async (userIds) => {
      try {
        if (await listeners.open()) await publisher.changed(userIds);
      } catch (error) {
        log.warn({ err: error }, 'push: publishing a player change failed');
      }
    },
  };
}

/**
 * The safety net behind the change notifications: how stale another process's webhook change may
 * look to this one when a notification was lost (docs/webhooks.md).
 */
const WEBHOOK_SUBSCRIPTIONS_TTL_MS = 30_000;

/**
 * The change notifications' subscriber connection, for the roles that serve players. An
 * ingest-only process takes events; claims reach it only by accident (its player routes stay
 * on), so it does without the connection and sees a webhook change within the TTL.
 */
function webhookNotify(env: Env, log: Logger, redis: RedisClient) {
  if (env.ROLE === 'ingest') return undefined;
  // Off the request path, so it may queue commands until Redis is back.
  const subscriber = createRedis(env, { maxRetriesPerRequest: null });
  subscriber.on('error', (error) => log.debug({ err: error }, 'redis subscriber error'));
  return { redis, subscriber, prefix: env.QUEUE_PREFIX };
}

/** What the use cases run against — repositories, clock, reward delivery. */
export async function appContext(
  env: Env,
  log: Logger,
  { pool, prisma, redis, definitionStore }: Stores,
  metrics: ApiMetrics,
): Promise<AppContext> {
  const rewardGrants = createRewardGrantRepository(pool);
  const rewardDeliveries = createRewardDeliveryRepository(pool);
  if (env.PSEUDONYM_SECRET === undefined) {
    log.warn('PSEUDONYM_SECRET is not set: deleted players get pseudonyms from a public default');
  }
  const delivery = rewardDeliveryFromSettings({
    settings: env,
    receipts: rewardGrants.mockReceipt,
    deliveries: rewardDeliveries,
    log,
    onAttempt: ({ provider, outcome, seconds }) => {
      metrics.rewardGrants.inc({ provider, outcome });
      metrics.rewardDeliveryDuration.observe({ provider }, seconds);
    },
  });
  // Loaded before the first claim: an empty cache would skip the claims of a subscribed type.
  const webhookSubscriptions = await startWebhookSubscriptions({
    load: () => subscribedWebhookTypes(pool),
    ttlMs: WEBHOOK_SUBSCRIPTIONS_TTL_MS,
    onError: (error) => log.warn({ err: error }, 'webhook subscriptions not loaded'),
    onChange: (types) => log.info({ types: [...types] }, 'webhook subscriptions changed'),
    notify: webhookNotify(env, log, redis),
  });
  return {
    definitions: definitionStore.source,
    definitionStore,
    // Stat-ledger model (docs/event-model.md): rows derive their progress with the live rules.
    progress: createLedgerProgressRepository(pool, {
      definitions: definitionStore.source,
    }),
    // Read on every player call while an audience is live: cached briefly per process.
    playerAttributes: cachedPlayerAttributes(createPlayerAttributesRepository(pool)),
    playerErasure: createPlayerErasureRepository(pool),
    playerHistory: createPlayerHistoryRepository(pool),
    pseudonymise: pseudonymiser(env.PSEUDONYM_SECRET ?? LOCAL_PSEUDONYM_SECRET),
    rewardGrants,
    rewardDeliveries,
    rewardGrantListing: createRewardGrantListing(prisma),
    rewards: inlineRewardDelivery({ delivery, timeoutMs: env.REWARD_INLINE_TIMEOUT_MS, log }),
    webhooks: {
      repository: createWebhookRepository(pool),
      subscriptions: webhookSubscriptions,
      policy: parseWebhookAllowList(env.WEBHOOK_ALLOW_PRIVATE),
    },
    push: pushPublisher(env, log, redis),
    clock: await createClock(env, log, redis),
    randomInt: (max) => randomInt(max),
  };
}
