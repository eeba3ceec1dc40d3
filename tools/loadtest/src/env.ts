import { optionalText, parseEnvWith, redisClusterNodes, redisUrl } from '@challenges/runtime/env';
import { z } from 'zod';

const ZLoadTestEnv = z.object({
  /** Where load_test_runs lives; unset: no history row (the report files only). */
  DATABASE_URL: optionalText,
  REDIS_URL: redisUrl,
  /** The stack's Redis Cluster seeds (docs/operations.md): the live collector reads through them. */
  REDIS_CLUSTER_NODES: redisClusterNodes,
  ADMIN_API_KEY: optionalText,
  INGEST_API_KEY: optionalText,
});

export type LoadTestEnv = Readonly<z.output<typeof ZLoadTestEnv>>;

/** The variables the load-test CLI reads (flags win over them). */
export function parseLoadTestEnv(source: Record<string, string | undefined>): LoadTestEnv {
  return parseEnvWith(ZLoadTestEnv, source);
}
