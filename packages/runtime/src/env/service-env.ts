import { z } from 'zod';
import { checkRewardEnv, rewardEnvShape } from '../rewards/reward-env.ts';
import {
  databaseUrl,
  logFormat,
  logLevel,
  optionalText,
  positiveInt,
  redisClusterNodes,
  redisUrl,
} from './env-fields.ts';
import { checkMetricsExposure, metricsHost, refuseInProduction } from './production-rules.ts';

/**
 * The variables api and worker both read, with one default each: spread into each service's
 * env schema, then add `serviceDerived` in its transform and `checkServiceEnv` in its
 * superRefine.
 */
export const serviceEnvShape = {
  NODE_ENV: z.string().default('development'),
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  /** docs/operations.md (Redis Cluster): every Redis client becomes an ioredis Cluster. */
  REDIS_CLUSTER_NODES: redisClusterNodes,
  // No braces: keys put their own Redis Cluster hash tag after it (docs/events.md).
  QUEUE_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^{}]+$/, 'must not contain { or }')
    .default('challenges'),
  CHALLENGES_FILE: optionalText,
  NAMESPACE: z.string().default('test'),
  /** How often definitions are re-checked when a publish signal was lost (tests slow it down). */
  DEFINITIONS_POLL_MS: z.coerce.number().int().min(10).default(1000),
  // Must be the same for api and worker: it decides which queue a player's events go to.
  EVENT_PARTITIONS: positiveInt(8, 1024),
  /** Default: every interface (the api: HTTP_HOST); loopback in production without METRICS_TOKEN. */
  METRICS_HOST: optionalText,
  METRICS_TOKEN: optionalText,
  QA_CLOCK: optionalText,
  LOG_LEVEL: logLevel,
  LOG_FORMAT: logFormat,
  DB_POOL_SIZE: positiveInt(10, 200),
  /** PostgreSQL cancels a statement running longer (0 = never). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * `disabled` behind a pooler in transaction mode that does not track prepared statements
   * (PgBouncer < 1.21): every statement is sent unnamed.
   */
  DB_NAMED_STATEMENTS: z.enum(['enabled', 'disabled']).default('enabled'),
  /** A direct connection for migrations and session advisory locks; DATABASE_URL when unset. */
  MIGRATION_DATABASE_URL: optionalText,
  /** SIGTERM/SIGINT: how long the graceful close may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  /**
   * The scheduling priority (nice, -20 … 19) the process gives itself at start; unset: the one it
   * was started with. On a shared box the launchers lower the processes with the most slack
   * (docs/operations.md, "Processes on one box").
   */
  PROCESS_NICE: z.coerce.number().int().min(-20).max(19).optional(),
  // Reward delivery (docs/rewards.md).
  ...rewardEnvShape,
};

type ServiceEnvInput = z.output<z.ZodObject<typeof serviceEnvShape>>;

/** What a service derives from the shared variables; `metricsFallback` is METRICS_HOST's default. */
export function serviceDerived(e: ServiceEnvInput, metricsFallback: string) {
  const production = e.NODE_ENV === 'production';
  return {
    production,
    qaClockEnabled: e.QA_CLOCK === 'enabled',
    namedStatements: e.DB_NAMED_STATEMENTS === 'enabled',
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL,
    METRICS_HOST: metricsHost({
      host: e.METRICS_HOST,
      token: e.METRICS_TOKEN,
      production,
      fallback: metricsFallback,
    }),
  };
}

type ServiceEnv = Omit<ServiceEnvInput, 'METRICS_HOST'> & ReturnType<typeof serviceDerived>;

/** The rules on the shared variables (rewards, the QA clock, /metrics exposure). */
export function checkServiceEnv(e: ServiceEnv, ctx: z.RefinementCtx): void {
  checkRewardEnv(e, ctx);
  refuseInProduction(
    ctx,
    e,
    'QA_CLOCK=enabled',
    e.qaClockEnabled,
    'anyone with the admin key could move time',
  );
  checkMetricsExposure(ctx, e);
}
