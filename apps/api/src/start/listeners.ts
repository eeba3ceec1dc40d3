import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import type { DashboardDeps } from '../auth/dashboard.ts';
import { anyIngestKey, staticIngestKeys } from '../auth/ingest-keys.ts';
import type { PlayerAuthenticator } from '../auth/player-auth.ts';
import type { HealthCheck } from '../edge/health.ts';
import type { PlayerRateLimiter } from '../edge/rate-limit.ts';
import type { Env } from '../env.ts';
import { type RunningGrpcServer, startPlayerGrpcServer } from '../grpc/server.ts';
import { type EventGrpcServer, startEventGrpcServer } from '../ingest/event-grpc-server.ts';
import { registerEventRoutes } from '../ingest/events.routes.ts';
import type { RunningIngest } from '../ingest/start-ingest.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import { type MetricsServer, startMetricsServer } from '../metrics/metrics-server.ts';
import type { ObservabilityDeps } from '../observability/observability.ts';
import type { PushDeps } from '../push/push-deps.ts';
import { registerProfileRoutes } from '../rest/admin-profile.routes.ts';
import { registerPlayerAttributesRoutes } from '../rest/player-attributes.routes.ts';
import { buildRestServer } from '../rest/server.ts';
import type { TrpcDeps } from '../trpc/context.ts';
import { registerTrpc } from '../trpc/register.ts';

// The api's listeners, each built from the same dependencies: the composition root (app.ts)
// decides which ones a role starts. Only this folder and app.ts import more than one edge.

/** Everything the edges are built from. */
export interface EdgeDeps {
  env: Env;
  log: Logger;
  ctx: AppContext;
  auth: PlayerAuthenticator;
  /** One limiter for REST, gRPC and tRPC: a player's budget is the same whichever they call. */
  limiter: PlayerRateLimiter;
  health: HealthCheck;
  metrics: ApiMetrics;
  dashboard: DashboardDeps;
  observability: ObservabilityDeps;
  ingest: RunningIngest | undefined;
  loadtest: TrpcDeps['loadtest'];
  /** Push streams (docs/push.md). */
  push?: PushDeps;
}

/** One HTTP listener for player REST, event ingest, tRPC and admin profiling. */
export async function listenHttp(deps: EdgeDeps): Promise<{ app: FastifyInstance; port: number }> {
  const { env, log, ctx, metrics, dashboard, ingest } = deps;
  const app = await buildRestServer({
    metrics,
    ctx,
    auth: deps.auth,
    limiter: deps.limiter,
    health: deps.health,
    log,
    basePath: env.BASE_PATH,
    adminApiKey: env.ADMIN_API_KEY,
    qaClockEnabled: env.qaClockEnabled,
    push: deps.push,
  });
  if (ingest) {
    const events = { ingest: ingest.ingest, keys: ingest.keys, metrics };
    await app.register(async (scope) => registerEventRoutes(scope, events), {
      prefix: env.BASE_PATH,
    });
  }
  // tRPC belongs to the api role (docs/contributing.md); an ingest-only process serves no dashboard.
  if (env.ROLE !== 'ingest') {
    // Player attributes for audiences: the game backend's ingest keys (docs/api.md).
    const keys = anyIngestKey([staticIngestKeys(env.ingestApiKeys), dashboard.apiKeyVerifier]);
    await app.register(async (scope) => registerPlayerAttributesRoutes(scope, { ctx, keys }), {
      prefix: env.BASE_PATH,
    });
    await registerTrpc(app, {
      app: ctx,
      players: deps.auth,
      playerLimiter: deps.limiter,
      dashboard,
      log,
      observability: deps.observability,
      metrics,
      loadtest: deps.loadtest,
    });
  }
  // Admin profiling over REST (docs/operations.md): the admin key, or an admin's dashboard session.
  const profile = { observability: deps.observability, dashboard, adminApiKey: env.ADMIN_API_KEY };
  await app.register(async (scope) => registerProfileRoutes(scope, profile), {
    prefix: env.BASE_PATH,
  });
  await app.listen({ host: env.HTTP_HOST, port: env.HTTP_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.HTTP_PORT;
  log.info({ port, basePath: env.BASE_PATH, authMode: env.AUTH_MODE }, 'REST API listening');
  return { app, port };
}

export async function listenMetrics(
  env: Env,
  log: Logger,
  metrics: ApiMetrics,
): Promise<MetricsServer> {
  const server = await startMetricsServer({
    registry: metrics.registry,
    host: env.METRICS_HOST,
    port: env.METRICS_PORT,
    token: env.METRICS_TOKEN,
  });
  log.info(
    { host: env.METRICS_HOST, port: server.port, token: env.METRICS_TOKEN !== undefined },
    'metrics listening',
  );
  return server;
}

/** The player gRPC facade, in the roles that serve players. */
export async function listenPlayerGrpc(deps: EdgeDeps): Promise<RunningGrpcServer | undefined> {
  const { env, metrics } = deps;
  if (env.ROLE !== 'api' && env.ROLE !== 'all') return undefined;
  return startPlayerGrpcServer({
    host: env.HTTP_HOST,
    port: env.GRPC_PORT,
    reflection: env.grpcReflection,
    ctx: deps.ctx,
    auth: deps.auth,
    limiter: deps.limiter,
    health: deps.health,
    log: deps.log,
    push: deps.push,
    observe: (method, code, seconds) => {
      metrics.grpcDuration.observe({ method, code }, seconds);
      metrics.live.observe(`gRPC ${method}`, seconds);
    },
  });
}

/** The AccelByte event services, in the roles that ingest. */
export async function listenEventGrpc(
  env: Env,
  log: Logger,
  ingest: RunningIngest | undefined,
  metrics: ApiMetrics,
): Promise<EventGrpcServer | undefined> {
  if (!ingest) return undefined;
  return startEventGrpcServer({
    ingest: ingest.ingest,
    metrics,
    log,
    host: env.EVENTS_GRPC_HOST,
    port: env.EVENTS_GRPC_PORT,
    keys: env.EVENTS_GRPC_AUTH === 'key' ? ingest.keys : undefined,
  });
}
