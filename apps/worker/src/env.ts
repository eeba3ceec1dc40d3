import {
  checkMetricsExposure,
  checkSecretLengths,
  logLevel,
  metricsHost,
  optionalText,
  parseEnvWith,
  port,
  positiveInt,
  refuseInProduction,
} from '@challenges/runtime/env';
import { checkRewardEnv, rewardEnvShape } from '@challenges/runtime/reward-env';
import { z } from 'zod';

const ZEnv = z
  .object({
    NODE_ENV: z.string().default('development'),
    DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/challenges'),
    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z.string().min(1).default('challenges'),
    /** How often definitions are re-checked when a publish signal was lost (tests slow it down). */
    DEFINITIONS_POLL_MS: z.coerce.number().int().min(10).default(1000),
    // Must equal the api's value: it decides which queue a player's events go to.
    EVENT_PARTITIONS: positiveInt(8, 1024),
    WORKER_METRICS_PORT: port(8081),
    /** Default 0.0.0.0; loopback in production without METRICS_TOKEN. */
    METRICS_HOST: optionalText,
    METRICS_TOKEN: optionalText,
    QA_CLOCK: optionalText,
    CHALLENGES_FILE: optionalText,
    NAMESPACE: z.string().default('test'),
    LOG_LEVEL: logLevel,
    DB_POOL_SIZE: positiveInt(10, 200),
    /** PostgreSQL cancels a statement running longer (0 = never). */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    /** SIGTERM/SIGINT: how long the drain may take before the process exits anyway. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
    /**
     * A job's lock is renewed every half of this; a worker that dies loses its jobs to a live
     * one after at most lock + stalled interval (measured ≈ 6–12 s with the defaults).
     */
    WORKER_LOCK_MS: positiveInt(6_000, 600_000),
    WORKER_STALLED_INTERVAL_MS: positiveInt(3_000, 600_000),
    /** How often old dedup rows and applied batch ids are deleted. */
    HOUSEKEEPING_INTERVAL_MS: positiveInt(300_000, 86_400_000),
    // Reward delivery (SPEC §7, README "Rewards").
    ...rewardEnvShape,
    /** How often the worker looks for due pending grants, and how long one attempt may take. */
    REWARD_SCAN_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    REWARD_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(5000),
  })
  .transform((e) => {
    const production = e.NODE_ENV === 'production';
    return {
      ...e,
      production,
      qaClockEnabled: e.QA_CLOCK === 'enabled',
      METRICS_HOST: metricsHost({
        host: e.METRICS_HOST,
        token: e.METRICS_TOKEN,
        production,
        fallback: '0.0.0.0',
      }),
    };
  })
  .superRefine((e, ctx) => {
    checkRewardEnv(e, ctx);
    refuseInProduction(
      ctx,
      e,
      'QA_CLOCK=enabled',
      e.qaClockEnabled,
      'anyone with the admin key could move time',
    );
    checkMetricsExposure(ctx, e);
    checkSecretLengths(ctx, e.production, { METRICS_TOKEN: e.METRICS_TOKEN });
  });

export type Env = Readonly<z.output<typeof ZEnv>>;

/** Parses a process environment; the only place of the worker that reads `process.env`. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnvWith(ZEnv, source);
}
