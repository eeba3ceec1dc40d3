import {
  checkSecretLengths,
  checkServiceEnv,
  parseEnvWith,
  port,
  positiveInt,
  serviceDerived,
  serviceEnvShape,
} from '@challenges/runtime/env';
import { z } from 'zod';

/** Settings of the BullMQ worker the partition consumer replaced: refused, not silently ignored. */
const RETIRED = ['WORKER_LOCK_MS', 'WORKER_STALLED_INTERVAL_MS'] as const;
const retired = z
  .undefined({
    error: 'is no longer read: partitions are leased now; set WORKER_LEASE_MS (docs/events.md)',
  })
  .optional();

const ZEnv = z
  .object({
    ...serviceEnvShape,
    ...Object.fromEntries(RETIRED.map((name) => [name, retired])),
    WORKER_METRICS_PORT: port(8081),
    /**
     * A partition's lease, renewed every third of it: a worker that dies leaves its partitions
     * to live ones after at most this plus a third.
     */
    WORKER_LEASE_MS: positiveInt(6_000, 600_000),
    /**
     * Jobs of a partition one round takes at most, and the linger: a round (one transaction for
     * every partition the worker holds) starts at most this often, at once after a round that
     * found a backlog; an idle worker waits for a job's marker, then lingers. Adds up to the
     * linger to event → visible (docs/performance.md).
     */
    WORKER_BATCH_MAX_JOBS: z.coerce.number().int().min(1).max(1000).default(64),
    WORKER_BATCH_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(50),
    /** How often old dedup rows and applied batch ids are deleted. */
    HOUSEKEEPING_INTERVAL_MS: positiveInt(300_000, 86_400_000),
    /** How often the worker looks for due pending grants, and how long one attempt may take. */
    REWARD_SCAN_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    REWARD_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(5000),
  })
  .transform((e) => ({ ...e, ...serviceDerived(e, '0.0.0.0') }))
  .superRefine((e, ctx) => {
    checkServiceEnv(e, ctx);
    checkSecretLengths(ctx, e.production, { METRICS_TOKEN: e.METRICS_TOKEN });
  });

export type Env = Readonly<z.output<typeof ZEnv>>;

/** Every variable the worker reads (docker-compose.yml is checked against this list). */
export const ENV_VARIABLES: readonly string[] = Object.keys(ZEnv.in.shape).filter(
  (name) => !(RETIRED as readonly string[]).includes(name),
);

/** Parses a process environment; the only place of the worker that reads `process.env`. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnvWith(ZEnv, source);
}
