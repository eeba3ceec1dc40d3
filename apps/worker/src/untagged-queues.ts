import { EVENT_JOB_NAME } from '@challenges/core';
import { isCluster, type RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';

/**
 * Jobs left in the partition queues of a release before the hash tags (`events.apply.v1.p<n>`,
 * now `{events.apply.v1.p<n>}`). Nothing consumes them any more, and consuming both would break
 * per-player order, so an upgrade drains first (docs/operations.md, Redis Cluster); this says
 * loudly when one did not. A cluster never held the old names (its scripts need the tags).
 */
export async function countUntaggedJobs(options: {
  redis: RedisClient;
  prefix: string;
  partitions: number;
}): Promise<number> {
  const { redis, prefix } = options;
  if (isCluster(redis)) return 0;
  const pipeline = redis.pipeline();
  for (let p = 0; p < options.partitions; p++) {
    const queue = `${prefix}:${EVENT_JOB_NAME}.p${p}`;
    pipeline.llen(`${queue}:wait`).llen(`${queue}:active`).zcard(`${queue}:delayed`);
    pipeline.zcard(`${queue}:prioritized`).llen(`${queue}:paused`);
  }
  const replies = (await pipeline.exec()) ?? [];
  return replies.reduce((sum, [error, n]) => (error ? sum : sum + Number(n)), 0);
}

export async function warnAboutUntaggedJobs(
  options: Parameters<typeof countUntaggedJobs>[0] & { log: Logger },
): Promise<void> {
  const jobs = await countUntaggedJobs(options).catch(() => 0);
  if (jobs > 0) {
    options.log.error(
      { jobs, prefix: options.prefix },
      'event jobs of an older release wait in untagged queues (events.apply.v1.p<n>) and are not applied: ' +
        'run the previous worker until they drain, then upgrade (docs/operations.md, Redis Cluster)',
    );
  }
}
