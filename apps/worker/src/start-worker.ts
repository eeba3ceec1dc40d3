import {
  createDefinitionRepository,
  createEventRepository,
  createLedgerRepository,
  createPool,
  createPrismaClient,
  createRewardDeliveryRepository,
  createRewardGrantRepository,
  createWebhookDeliveryRepository,
  type DatabasePool,
  openDatabase,
  subscribedWebhookTypes,
} from '@challenges/db';
import {
  type Clock,
  closeSteps,
  createPushPublisher,
  createRedis,
  createWebhookSender,
  DEMO_CHALLENGES_FILE,
  databaseDefinitionsSource,
  importDefinitionsAtFirstStart,
  type LiveDefinitionsSource,
  parseWebhookAllowList,
  pushListenersGate,
  qaClock,
  type RedisClient,
  rewardDeliveryFromSettings,
  startWebhookDispatch,
  startWebhookSubscriptions,
  systemClock,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import type { Env } from './env.ts';
import { startHousekeeping } from './housekeeping.ts';
import { startWorkerObservability } from './live.ts';
import { createWorkerMetrics, startMetricsServer, type WorkerMetrics } from './metrics.ts';
import { type PartitionConsumer, startPartitionConsumer } from './partition-consumer.ts';
import { createApplyEventsProcessor } from './processors/apply-events.ts';
import { startRewardRetries } from './reward-retries.ts';
import { warnAboutUntaggedJobs } from './untagged-queues.ts';

/**
 * The safety net behind the change notifications: how stale the worker's view of webhook
 * subscriptions may be when a notification was lost (docs/webhooks.md).
 */
const WEBHOOK_SUBSCRIPTIONS_TTL_MS = 30_000;

export interface RunningWorker {
  metrics: WorkerMetrics;
  metricsPort: number;
  partitions: PartitionConsumer;
  clock: Clock;
  /** Drains: running batches finish (or go back to their queue), then everything closes. */
  close(): Promise<void>;
  /** The close step under way, for the shutdown deadline's log. */
  closing(): string | undefined;
}

// Off the request path, so commands may wait for Redis to come back (BullMQ requires it).
function workerRedis(env: Env, log: Logger): RedisClient {
  const redis = createRedis(env, { maxRetriesPerRequest: null });
  redis.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  return redis;
}

async function createClock(env: Env, log: Logger, redis: RedisClient): Promise<Clock> {
  if (!env.qaClockEnabled) return systemClock();
  return qaClock({
    redis,
    subscriber: workerRedis(env, log),
    prefix: env.QUEUE_PREFIX,
    log,
    pollMs: env.DEFINITIONS_POLL_MS,
  });
}

/**
 * The live published definitions (docs/definitions.md), switched within 2 s of a publish. Like the api, a
 * worker that finds the store empty imports CHALLENGES_FILE (or the demo file) as version 1.
 */
async function createDefinitions(
  env: Env,
  log: Logger,
  pool: DatabasePool,
): Promise<LiveDefinitionsSource> {
  const store = createDefinitionRepository(createPrismaClient(pool));
  await importDefinitionsAtFirstStart({
    store,
    file: env.CHALLENGES_FILE ?? DEMO_CHALLENGES_FILE,
    explicit: env.CHALLENGES_FILE !== undefined,
    log,
  });
  const source = await databaseDefinitionsSource({
    store,
    subscriber: workerRedis(env, log),
    prefix: env.QUEUE_PREFIX,
    log,
    pollMs: env.DEFINITIONS_POLL_MS,
  });
  log.info(
    { version: source.version(), challenges: source.current().challenges.length },
    'definitions loaded',
  );
  return source;
}

/** Builds and starts the worker process: database, definitions, clock, partition consumers. */
export async function startWorker(env: Env, log: Logger): Promise<RunningWorker> {
  const pool = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    max: env.DB_POOL_SIZE,
    applicationName: 'challenges-worker',
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    namedStatements: env.namedStatements,
    migrationDatabaseUrl: env.migrationDatabaseUrl,
    onError: (error) => log.warn({ err: error }, 'idle database connection failed'),
    log: (line) => log.info(line),
  });
  const definitions = await createDefinitions(env, log, pool);
  const redis = workerRedis(env, log);
  const clock = await createClock(env, log, redis);
  const webhookDeliveries = createWebhookDeliveryRepository(pool);
  const metrics = createWorkerMetrics({
    webhookBacklog: (cap) => webhookDeliveries.countPending(cap),
  });
  // Housekeeping holds a session advisory lock across statements: through a transaction-mode
  // pooler each statement may land on another server connection, so it goes direct.
  const sessionPool =
    env.migrationDatabaseUrl === env.DATABASE_URL
      ? pool
      : createPool({
          databaseUrl: env.migrationDatabaseUrl,
          max: 1,
          applicationName: 'challenges-worker-housekeeping',
          statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
          onError: (error) => log.warn({ err: error }, 'idle database connection failed'),
        });
  const events = createEventRepository(sessionPool);
  const closing = new AbortController();
  const push = createPushPublisher({ redis, prefix: env.QUEUE_PREFIX });
  // No stream open on any api replica for a replay window: nobody to tell (docs/push.md).
  const listeners = pushListenersGate({ redis, prefix: env.QUEUE_PREFIX });

  const metricsServer = await startMetricsServer({
    registry: metrics.registry,
    host: env.METRICS_HOST,
    port: env.WORKER_METRICS_PORT,
    token: env.METRICS_TOKEN,
  });
  await warnAboutUntaggedJobs({
    redis,
    prefix: env.QUEUE_PREFIX,
    partitions: env.EVENT_PARTITIONS,
    log,
  });
  const webhookTypes = await startWebhookSubscriptions({
    load: () => subscribedWebhookTypes(pool),
    ttlMs: WEBHOOK_SUBSCRIPTIONS_TTL_MS,
    onError: (error) => log.warn({ err: error }, 'webhook subscriptions not loaded'),
    onChange: (types) => log.info({ types: [...types] }, 'webhook subscriptions changed'),
    notify: { redis, subscriber: workerRedis(env, log), prefix: env.QUEUE_PREFIX },
  });
  const partitions = await startPartitionConsumer({
    redis,
    prefix: env.QUEUE_PREFIX,
    partitions: env.EVENT_PARTITIONS,
    leaseMs: env.WORKER_LEASE_MS,
    maxJobs: env.WORKER_BATCH_MAX_JOBS,
    lingerMs: env.WORKER_BATCH_LINGER_MS,
    apply: createApplyEventsProcessor({
      ledger: createLedgerRepository(pool),
      definitions,
      clock,
      metrics,
      log,
      closing: closing.signal,
      onApplied: (userIds) => {
        listeners
          .open()
          .then((open) => (open ? push.changed(userIds) : undefined))
          .catch((error: unknown) => {
            log.warn({ err: error }, 'push: publishing changed players failed');
          });
      },
      webhookTypes: () => webhookTypes.types(),
    }),
    closing: closing.signal,
    metrics,
    log,
  });
  const housekeeping = startHousekeeping({ events, intervalMs: env.HOUSEKEEPING_INTERVAL_MS, log });
  const observability = startWorkerObservability({ redis, prefix: env.QUEUE_PREFIX, metrics, log });
  const rewardRetries = startRewardRetries({
    deliveries: createRewardDeliveryRepository(pool),
    delivery: rewardDeliveryFromSettings({
      settings: env,
      receipts: createRewardGrantRepository(pool).mockReceipt,
      deliveries: createRewardDeliveryRepository(pool),
      log,
      onAttempt: ({ provider, outcome, seconds }) => {
        metrics.rewardGrants.inc({ provider, outcome });
        metrics.rewardDeliveryDuration.observe({ provider }, seconds);
      },
    }),
    intervalMs: env.REWARD_SCAN_INTERVAL_MS,
    attemptTimeoutMs: env.REWARD_ATTEMPT_TIMEOUT_MS,
    // The api's inline attempt gets its timeout plus slack before the worker may take the grant.
    inlineGraceMs: env.REWARD_INLINE_TIMEOUT_MS + 5000,
    metrics,
    log,
  });
  const webhookSender = createWebhookSender(parseWebhookAllowList(env.WEBHOOK_ALLOW_PRIVATE));
  const webhookDispatch = startWebhookDispatch({
    deliveries: webhookDeliveries,
    sender: webhookSender,
    log,
    maxAttempts: env.REWARD_MAX_ATTEMPTS,
    backoffBaseMs: env.REWARD_BACKOFF_BASE_MS,
    backoffCapMs: env.REWARD_BACKOFF_CAP_MS,
    attemptTimeoutMs: env.REWARD_ATTEMPT_TIMEOUT_MS,
    intervalMs: env.REWARD_SCAN_INTERVAL_MS,
    onAttempt: (outcome, seconds) => {
      metrics.webhookDeliveries.inc({ outcome });
      metrics.webhookDeliveryDuration.observe(seconds);
    },
  });
  log.info(
    {
      partitions: env.EVENT_PARTITIONS,
      prefix: env.QUEUE_PREFIX,
      metricsPort: metricsServer.port,
      qaClock: env.qaClockEnabled,
      rewardProvider: env.REWARD_PROVIDER,
    },
    'worker consuming event partitions',
  );

  const steps = closeSteps();
  return {
    metrics,
    metricsPort: metricsServer.port,
    partitions,
    clock,
    async close() {
      closing.abort();
      observability.close();
      const { step } = steps;
      await step('event partitions (running batches)', () => partitions.close());
      await step('housekeeping', () => housekeeping.stop());
      await step('reward retries', () => rewardRetries.stop());
      await step('webhook dispatch', () => webhookDispatch.stop());
      await step('webhook sender', () => webhookSender.close());
      await step(
        'metrics listener',
        () => new Promise<void>((resolve) => metricsServer.server.close(() => resolve())),
      );
      await step('clock', () => clock.close());
      await step('definitions', () => definitions.close());
      webhookTypes.close();
      redis.disconnect();
      await step('PostgreSQL pools', async () => {
        if (sessionPool !== pool) await sessionPool.end();
        await pool.end();
      });
    },
    closing: steps.running,
  };
}
