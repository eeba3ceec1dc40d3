import { EVENT_JOB_NAME, eventQueueName } from '@challenges/core';
import { capturingLogger } from '@challenges/runtime/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL, uniquePrefix } from './testing/harness.ts';
import { warnAboutUntaggedJobs } from './untagged-queues.ts';

const prefix = uniquePrefix('untagged');
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('jobs left in the queues of a release before the hash tags', () => {
  it('are reported at start, and jobs of the tagged queues are not', async () => {
    const current = new Queue(eventQueueName(1), { connection: redis, prefix });
    await current.add(EVENT_JOB_NAME, { batchId: 'b-new', partition: 1, events: [] });
    await current.close();
    const quiet = capturingLogger();
    await warnAboutUntaggedJobs({ redis, prefix, partitions: 4, log: quiet.log });
    expect(quiet.lines).toEqual([]);

    // What the previous release left: two waiting jobs and one active in p1's old queue.
    const old = `${prefix}:${EVENT_JOB_NAME}.p1`;
    await redis.lpush(`${old}:wait`, '7', '8');
    await redis.lpush(`${old}:active`, '6');
    const warned = capturingLogger();
    await warnAboutUntaggedJobs({ redis, prefix, partitions: 4, log: warned.log });
    expect(warned.lines).toMatchObject([{ level: 50, jobs: 3, prefix }]);
  });
});
