import { z } from 'zod';
import { ZGameEvent } from './event.schema.ts';

/**
 * The one job contract between ingest (the producer, apps/api) and the worker (the consumer):
 * which queue a batch goes to, under which job name, with which payload and job options.
 */
export const EVENT_JOB_NAME = 'events.apply.v1';

/** One queued job: events of one partition, in arrival order. */
export const ZEventBatchJob = z.object({
  /** Unique per job; the worker records it with the batch's effect for exactly-once. */
  batchId: z.string().min(1).max(64),
  partition: z.number().int().nonnegative(),
  events: z.array(ZGameEvent).min(1).max(5000),
});

export type EventBatchJob = z.infer<typeof ZEventBatchJob>;

/**
 * Queue name of a partition: one queue per partition keeps a player's events in order. The
 * braces are a Redis Cluster hash tag: BullMQ's keys of the queue (`<prefix>:<name>:<type>`,
 * job hashes `<prefix>:<name>:<id>`) all hash to one slot, which BullMQ's scripts require, while
 * the partitions spread over the cluster's masters. A single Redis ignores the tag.
 */
export function eventQueueName(partition: number): string {
  return `{${EVENT_JOB_NAME}.p${partition}}`;
}

/**
 * Default options of every event job (BullMQ's `defaultJobOptions`). The worker retries a
 * transient database error inside the job, so that the partition's later batches keep waiting
 * behind it; these attempts only cover other errors a job throws. Completed jobs stay an hour,
 * failed ones a week as the dead-letter view.
 */
export const EVENT_JOB_OPTIONS = {
  attempts: 20,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 86_400, count: 100_000 },
} as const;

/**
 * The partition of a user: FNV-1a over the id's UTF-16 code units. Stable across processes and
 * releases (it decides which queue orders a player's events), so it must never change.
 */
export function partitionOf(userId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
