import { createLoadTestRunRepository, createTestPlayerRepository } from '@challenges/db';
import { closeSteps } from '@challenges/runtime';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { AppContext } from './application/context.ts';
import { startScheduledPublishPoller } from './application/definitions/scheduled-publish.ts';
import { startDashboard } from './auth/dashboard.ts';
import { createAuthenticator } from './auth/player-auth.ts';
import { createHealthCheck } from './edge/health.ts';
import { playerRateLimiter } from './edge/rate-limit.ts';
import { type Env, inheritedEnv } from './env.ts';
import { type RunningIngest, startIngest } from './ingest/start-ingest.ts';
import { createLoadTestLauncher, defaultRunnerCommand, dialHost } from './loadtest/start-run.ts';
import { type ApiMetrics, createApiMetrics } from './metrics/metrics.ts';
import { startObservability } from './observability/observability.ts';
import type { PushDeps } from './push/push-deps.ts';
import {
  type EdgeDeps,
  listenEventGrpc,
  listenHttp,
  listenMetrics,
  listenPlayerGrpc,
} from './start/listeners.ts';
import { startPush } from './start/push.ts';
import { appContext, openStores, type Stores } from './start/stores.ts';

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
  /** Push streams (docs/push.md). */
  push: PushDeps;
  close(): Promise<void>;
  /** The close step under way, for the shutdown deadline's log. */
  closing(): string | undefined;
}

/** The listeners' ports, known once each is bound; the load-test runner reads them per run. */
interface BoundPorts {
  http: number;
  eventsGrpc?: number;
  metrics: number;
}

/** The dashboard's load-test runner targets this very process, at the ports bound later. */
function loadTestLauncher(env: Env, log: Logger, stores: Stores, ports: BoundPorts) {
  const runs = createLoadTestRunRepository(stores.prisma);
  const launcher = createLoadTestLauncher({
    enabled: env.loadtestDashboard,
    store: runs,
    testPlayers: createTestPlayerRepository(stores.pool),
    command: defaultRunnerCommand(env.LOADTEST_RUNNER),
    inheritedEnv: inheritedEnv(),
    log,
    target: () => ({
      httpBase: `http://127.0.0.1:${ports.http}`,
      basePath: env.BASE_PATH,
      grpc: `${dialHost(env.EVENTS_GRPC_HOST)}:${ports.eventsGrpc ?? env.EVENTS_GRPC_PORT}`,
      eventsNeedKey: env.EVENTS_GRPC_AUTH === 'key',
      namespace: env.NAMESPACE,
      queuePrefix: env.QUEUE_PREFIX,
      apiMetrics: env.METRICS_TOKEN ? undefined : `http://127.0.0.1:${ports.metrics}/metrics`,
      workerMetrics: env.loadtestWorkerMetrics,
      secrets: {
        DATABASE_URL: env.DATABASE_URL,
        REDIS_URL: env.REDIS_URL,
        ADMIN_API_KEY: env.ADMIN_API_KEY,
        // Keys created in the dashboard exist only as hashes: the runner needs a configured one.
        INGEST_API_KEY: env.ingestApiKeys[0],
      },
    }),
  });
  return { runs, launcher };
}

/** Builds and starts the api process: stores, use-case context, the edges, their listeners. */
export async function startApi(
  env: Env,
  log: Logger = pino({ level: env.LOG_LEVEL }),
  /** Test seams: the rate limiter's wall clock (ms). */
  seams: { rateLimitNow?: () => number } = {},
): Promise<RunningApi> {
  const stores = await openStores(env, log);
  const { pool, prisma, redis } = stores;
  const metrics = createApiMetrics();
  const ctx = await appContext(env, log, stores, metrics);
  const stopScheduledPublishes = startScheduledPublishPoller(ctx, { log });
  const health = createHealthCheck({ pool, redis, log });
  const auth = await createAuthenticator(env);
  const limiter = playerRateLimiter({
    perMinute: env.RATE_LIMIT_PER_MIN,
    redis,
    prefix: env.QUEUE_PREFIX,
    log,
    now: seams.rateLimitNow,
  });
  const observability = startObservability({
    redis,
    prefix: env.QUEUE_PREFIX,
    pool,
    log,
    role: env.ROLE,
    recorder: metrics.live,
  });
  const dashboard = await startDashboard({ env, log, prisma, redis });
  const ingest = env.ingestEnabled
    ? await startIngest({
        env,
        log,
        definitions: ctx.definitions,
        metrics,
        dashboardKeys: dashboard.apiKeyVerifier,
      })
    : undefined;
  const eventGrpc = await listenEventGrpc(env, log, ingest, metrics);
  const ports: BoundPorts = { http: 0, eventsGrpc: eventGrpc?.port, metrics: 0 };
  const loadtest = loadTestLauncher(env, log, stores, ports);
  const push = await startPush(env, log, ctx, stores, metrics);
  const edges: EdgeDeps = {
    env,
    log,
    ctx,
    auth,
    limiter,
    health,
    metrics,
    dashboard,
    observability: observability.deps,
    ingest,
    loadtest,
    push,
  };
  const http = await listenHttp(edges);
  ports.http = http.port;
  const metricsServer = await listenMetrics(env, log, metrics);
  ports.metrics = metricsServer.port;
  const playerGrpc = await listenPlayerGrpc(edges);

  const steps = closeSteps();
  const close = async () => {
    const { step } = steps;
    stopScheduledPublishes();
    // Open streams end first (an SSE response would hold the HTTP listener's close).
    await step('push streams', () => push.hub?.close());
    await step('load-test launcher', () => loadtest.launcher.close());
    await step('player gRPC', () => playerGrpc?.close());
    await step('HTTP listener', () => http.app.close());
    // After the HTTP listener: its in-flight ingest requests still get their batches flushed.
    // Event gRPC calls in flight are flushed by the ingest's drain while that server stops.
    await step('event gRPC and ingest flush', () =>
      Promise.all([eventGrpc?.close(), ingest?.close()]),
    );
    await step('metrics listener', () => metricsServer.close());
    observability.close();
    await step('clock', () => ctx.clock.close());
    await step('definitions', () => ctx.definitions.close());
    ctx.webhooks.subscriptions.close();
    redis.disconnect();
    await step('PostgreSQL', async () => {
      await prisma.$disconnect();
      await pool.end();
    });
  };
  return {
    app: http.app,
    ctx,
    port: http.port,
    grpcPort: playerGrpc?.port,
    eventsGrpcPort: eventGrpc?.port,
    metricsPort: metricsServer.port,
    metrics,
    ingest,
    push,
    close,
    closing: steps.running,
  };
}
