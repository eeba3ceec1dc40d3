import { CoreError } from '@challenges/core';
import type { LoadTestRunRepository } from '@challenges/db';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import type { DashboardDeps } from '../auth/dashboard.ts';
import type { PlayerAuthenticator } from '../auth/player-auth.ts';
import type { PlayerRateLimiter } from '../edge/rate-limit.ts';
import type { LoadTestLauncher } from '../loadtest/start-run.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import type { ObservabilityDeps } from '../observability/observability.ts';
import { trpcErrorOf } from './init.ts';

/** Built once per process; every request's context points at it. */
export interface TrpcDeps {
  app: AppContext;
  players: PlayerAuthenticator;
  /** The limiter REST and gRPC use too, so a player has one budget over REST, gRPC and tRPC. */
  playerLimiter?: PlayerRateLimiter;
  dashboard: DashboardDeps;
  log: Logger;
  /** Live snapshots, profiling, goal statistics (docs/dashboard.md, docs/operations.md). */
  observability: ObservabilityDeps;
  /** The load-test history and the runner the dashboard starts (docs/performance.md). */
  loadtest: { runs: LoadTestRunRepository; launcher: LoadTestLauncher };
  /** Per-procedure latency (prom-client and live snapshots). */
  metrics?: Pick<ApiMetrics, 'trpcDuration' | 'live'>;
}

export interface TrpcContext {
  deps: TrpcDeps;
  req: CreateFastifyContextOptions['req'];
  res: CreateFastifyContextOptions['res'];
}

/**
 * A batch carries any number of calls in one request; for `auth.*` that would be any number of
 * password guesses per round trip, so a batch naming one is refused whole before any runs.
 */
function refuseBatchedAuth(info: CreateFastifyContextOptions['info']): void {
  if (!info.isBatchCall || !info.calls.some((call) => call.path.startsWith('auth.'))) return;
  throw trpcErrorOf(
    new CoreError('INVALID_ARGUMENT', 'auth.* calls cannot be batched; send each alone'),
  );
}

export function contextFactory(deps: TrpcDeps) {
  return ({ req, res, info }: CreateFastifyContextOptions): TrpcContext => {
    refuseBatchedAuth(info);
    return { deps, req, res };
  };
}
