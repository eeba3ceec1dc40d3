import type { EventBatchJob } from '@challenges/core';
import { isCluster, type RedisClient } from '@challenges/runtime';
import type { Queue } from 'bullmq';
import type { JobSink } from './event-batcher.ts';

/** Below the batcher's 3 s ack backstop, so a missing replica answers UNAVAILABLE, not a timeout. */
const WAIT_TIMEOUT_MS = 1000;

/**
 * A partition queue whose adds count only once `replicas` replicas of the queue's master hold
 * them (WAIT). Redis replicates asynchronously: a master killed right after answering loses what
 * its replica had not received yet, and a failover would then forget an acknowledged event. A
 * refused add may still have been written; the client's retry is dropped by the worker's
 * event-id dedup (docs/events.md).
 *
 * In a cluster it waits for at most the replicas the cluster lists for the queue's slot: a master
 * whose replica just took over from it has none until the old one returns, and refusing (after a
 * WAIT timeout that would hold every partition's flush) cannot make that shard safer.
 */
export function replicatedSink(queue: Queue, redis: RedisClient, replicas: number): JobSink {
  if (replicas === 0) return queue;
  let slot: number | undefined;
  const wanted = async (): Promise<number> => {
    if (!isCluster(redis)) return replicas;
    slot ??= Number(await redis.cluster('KEYSLOT', queue.toKey('id')));
    // ioredis keeps CLUSTER SLOTS: the master first, then the replicas that are not failed.
    return Math.min(replicas, Math.max(0, (redis.slots[slot]?.length ?? 1) - 1));
  };
  return {
    async add(name: string, data: EventBatchJob, opts: { jobId: string }) {
      const job = await queue.add(name, data, opts);
      const count = await wanted();
      if (count === 0) return job;
      // WAIT has no key: the keyed command routes the pipeline to the queue's master in a
      // cluster (same hash tag as the job just added).
      const replies = await redis
        .pipeline()
        .exists(queue.toKey('id'))
        .wait(count, WAIT_TIMEOUT_MS)
        .exec();
      const [error, acknowledged] = replies?.[1] ?? [new Error('no reply to WAIT'), 0];
      if (error) throw error;
      if (Number(acknowledged) < count) {
        throw new Error(`only ${acknowledged} of ${count} Redis replicas confirmed the batch`);
      }
      return job;
    },
  };
}
