import { randomInt } from 'node:crypto';
import {
  createLoadTestRunRepository,
  createPlayerErasureRepository,
  createPool,
  createPrismaClient,
  createProgressRepository,
  createRewardDeliveryRepository,
  createRewardGrantListing,
  createRewardGrantRepository,
  ensureDatabase,
  migrate,
} from '@challenges/db';
import { type Clock, qaClock, rewardDeliveryFromSettings, systemClock } from '@challenges/runtime';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { AppContext } from './application/context.ts';
import { startDashboard } from './auth/dashboard.ts';
import { createAuthenticator } from './auth/player-auth.ts';
import type { Env } from './env.ts';
import { type RunningGrpcServer, startPlayerGrpcServer } from './grpc/server.ts';
import { createHealthCheck } from './health.ts';
import { type RunningIngest, startIngest } from './ingest/start-ingest.ts';
import { loadTestRunStore } from './loadtest/run-store.ts';
import { createLoadTestLauncher, defaultRunnerCommand, dialHost } from './loadtest/start-run.ts';
import { type ApiMetrics, createApiMetrics } from './metrics/metrics.ts';
import { startMetricsServer } from './metrics/metrics-server.ts';
import { startObservability } from './observability/observability.ts';
import { LOCAL_PSEUDONYM_SECRET, pseudonymiser } from './privacy/pseudonym.ts';
import { registerProfileRoutes } from './rest/admin-profile.routes.ts';
import { rateLimiter } from './rest/rate-limit.ts';
import { buildRestServer } from './rest/server.ts';
import { inlineRewardDelivery } from './rewards/reward-delivery.ts';
import { startDefinitionStore } from './start-definition-store.ts';
import { registerTrpc } from './trpc/register.ts';

export interface RunningApi {
  app: FastifyInstance;
  ctx: AppContext;
  /** The bound REST port (useful when HTTP_PORT=0). */
  port: number;
  /** The bound player gRPC port (roles api and all; useful when GRPC_PORT=0). */
  grpcPort?: number;
  /** The bound event gRPC port (roles ingest and all; useful when EVENTS_GRPC_PORT=0). */
  eventsGrpcPort?: number;
  /** The bound metrics port (useful when METRICS_PORT=0). */
  metricsPort: number;
  metrics: ApiMetrics;
  /** Event ingest (roles ingest and all). */
  ingest?: RunningIngest;
  close(): Promise<void>;
}

function redisClient(url: string): Redis {
  // Request-path commands fail fast instead of queueing while Redis is away.
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
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
  /** Test seams: the rate limiter's wall clock (ms). */
  seams: { rateLimitNow?: () => number } = {},
): Promise<RunningApi> {
  await ensureDatabase({ databaseUrl: env.DATABASE_URL });
  await migrate({ databaseUrl: env.DATABASE_URL, log: (line: string) => log.info(line) });

  const pool = createPool({
    databaseUrl: env.DATABASE_URL,
    max: env.DB_POOL_SIZE,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    onError: (error) => log.warn({ err: error }, 'idle database connection failed'),
  });
  const prisma = createPrismaClient(pool);
  const redis = redisClient(env.REDIS_URL);
  redis.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  await connected(redis, log);
  // Definitions come from the store (SPEC §2.3); CHALLENGES_FILE only seeds an empty one.
  const definitionStore = await startDefinitionStore({ env, log, prisma, redis }).catch(
    async (error: unknown) => {
      redis.disconnect();
      await pool.end();
      throw error;
    },
  );
  const definitions = definitionStore.source;
  const clock = await createClock(env, log, redis);
  const rewardGrants = createRewardGrantRepository(pool);
  const rewardDeliveries = createRewardDeliveryRepository(pool);
  if (env.PSEUDONYM_SECRET === undefined) {
    log.warn('PSEUDONYM_SECRET is not set: deleted players get pseudonyms from a public default');
  }
  const ctx: AppContext = {
    definitions,
    definitionStore,
    progress: createProgressRepository(pool),
    playerErasure: createPlayerErasureRepository(pool),
    pseudonymise: pseudonymiser(env.PSEUDONYM_SECRET ?? LOCAL_PSEUDONYM_SECRET),
    rewardGrants,
    rewardDeliveries,
    rewardGrantListing: createRewardGrantListing(prisma),
    rewards: inlineRewardDelivery({
      delivery: rewardDeliveryFromSettings({
        settings: env,
        receipts: rewardGrants.mockReceipt,
        deliveries: rewardDeliveries,
        log,
        // Called only on claims, after `metrics` below exists.
        onAttempt: ({ provider, outcome, seconds }) => {
          metrics.rewardGrants.inc({ provider, outcome });
          metrics.rewardDeliveryDuration.observe({ provider }, seconds);
        },
      }),
      timeoutMs: env.REWARD_INLINE_TIMEOUT_MS,
      log,
    }),
    clock,
    randomInt: (max) => randomInt(max),
  };

  const health = createHealthCheck({ pool, redis, log });

  const auth = await createAuthenticator(env);
  // One limiter for REST and gRPC: a player's budget is the same whichever edge they call.
  const limiter = rateLimiter({ perMinute: env.RATE_LIMIT_PER_MIN, now: seams.rateLimitNow });
  const metrics = createApiMetrics();
  const observability = startObservability({
    redis,
    prefix: env.QUEUE_PREFIX,
    pool,
    log,
    recorder: metrics.live,
  });
  const dashboard = await startDashboard({ env, log, prisma, redis });
  const ingest = env.ingestEnabled
    ? await startIngest({ env, log, definitions, metrics, dashboardKeys: dashboard.apiKeyVerifier })
    : undefined;
  const app = await buildRestServer({
    metrics,
    events: ingest && { ingest: ingest.ingest, keys: ingest.keys, metrics },
    ctx,
    auth,
    limiter,
    health,
    log,
    basePath: env.BASE_PATH,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MIN,
    adminApiKey: env.ADMIN_API_KEY,
    qaClockEnabled: env.qaClockEnabled,
  });
  const loadTestRuns = createLoadTestRunRepository(prisma);
  // The runner targets this very process; its ports are bound below, before any run can start.
  const loadtestLauncher = createLoadTestLauncher({
    enabled: env.loadtestDashboard,
    store: loadTestRunStore(loadTestRuns, pool),
    command: defaultRunnerCommand(env.LOADTEST_RUNNER),
    log,
    target: () => ({
      httpBase: `http://127.0.0.1:${port}`,
      basePath: env.BASE_PATH,
      grpc: `${dialHost(env.EVENTS_GRPC_HOST)}:${ingest?.grpcPort ?? env.EVENTS_GRPC_PORT}`,
      eventsNeedKey: env.EVENTS_GRPC_AUTH === 'key',
      namespace: env.NAMESPACE,
      queuePrefix: env.QUEUE_PREFIX,
      apiMetrics: env.METRICS_TOKEN ? undefined : `http://127.0.0.1:${metricsServer.port}/metrics`,
      secrets: {
        DATABASE_URL: env.DATABASE_URL,
        REDIS_URL: env.REDIS_URL,
        ADMIN_API_KEY: env.ADMIN_API_KEY,
        // Keys created in the dashboard exist only as hashes: the runner needs a configured one.
        INGEST_API_KEY: env.ingestApiKeys[0],
      },
    }),
  });
  // tRPC belongs to the api role (SPEC §1); an ingest-only process serves no dashboard.
  if (env.ROLE !== 'ingest') {
    await registerTrpc(app, {
      app: ctx,
      players: auth,
      playerLimiter: limiter,
      dashboard,
      log,
      observability: observability.deps,
      metrics,
      loadtest: { runs: loadTestRuns, launcher: loadtestLauncher },
    });
  }
  // Admin profiling over REST (SPEC §10): the admin key, or an admin's dashboard session.
  await app.register(
    async (scope) =>
      registerProfileRoutes(scope, {
        observability: observability.deps,
        dashboard,
        adminApiKey: env.ADMIN_API_KEY,
      }),
    { prefix: env.BASE_PATH },
  );
  await app.listen({ host: env.HTTP_HOST, port: env.HTTP_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.HTTP_PORT;
  log.info({ port, basePath: env.BASE_PATH, authMode: env.AUTH_MODE }, 'REST API listening');

  const metricsServer = await startMetricsServer({
    registry: metrics.registry,
    host: env.METRICS_HOST,
    port: env.METRICS_PORT,
    token: env.METRICS_TOKEN,
  });
  log.info(
    { host: env.METRICS_HOST, port: metricsServer.port, token: env.METRICS_TOKEN !== undefined },
    'metrics listening',
  );

  let playerGrpc: RunningGrpcServer | undefined;
  if (env.ROLE === 'api' || env.ROLE === 'all') {
    playerGrpc = await startPlayerGrpcServer({
      host: env.HTTP_HOST,
      port: env.GRPC_PORT,
      reflection: env.grpcReflection,
      ctx,
      auth,
      limiter,
      health,
      log,
      observe: (method, code, seconds) => {
        metrics.grpcDuration.observe({ method, code }, seconds);
        metrics.live.observe(`gRPC ${method}`, seconds);
      },
    });
  }

  return {
    app,
    ctx,
    port,
    grpcPort: playerGrpc?.port,
    eventsGrpcPort: ingest?.grpcPort,
    metricsPort: metricsServer.port,
    metrics,
    ingest,
    close: async () => {
      await loadtestLauncher.close();
      await playerGrpc?.close();
      await app.close();
      // After the HTTP listener: its in-flight ingest requests still get their batches flushed.
      await ingest?.close();
      await metricsServer.close();
      observability.close();
      await clock.close();
      await definitions.close();
      redis.disconnect();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
