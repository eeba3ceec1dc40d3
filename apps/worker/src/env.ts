import { checkRewardEnv, rewardEnvShape } from '@challenges/runtime/reward-env';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

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
    METRICS_HOST: z.string().default('0.0.0.0'),
    METRICS_TOKEN: optionalText,
    QA_CLOCK: optionalText,
    CHALLENGES_FILE: optionalText,
    NAMESPACE: z.string().default('test'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DB_POOL_SIZE: positiveInt(10, 200),
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
  .transform((e) => ({
    ...e,
    production: e.NODE_ENV === 'production',
    qaClockEnabled: e.QA_CLOCK === 'enabled',
  }))
  .superRefine((e, ctx) => {
    checkRewardEnv(e, ctx);
    if (e.production && e.qaClockEnabled) {
      ctx.addIssue({
        code: 'custom',
        message: 'QA_CLOCK=enabled is refused when NODE_ENV=production',
      });
    }
  });

export type Env = Readonly<z.output<typeof ZEnv>>;

/** Parses a process environment; the only place of the worker that reads `process.env`. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}
