import { z } from 'zod';

/**
 * The event contract between ingest (api) and the worker: what a queued job carries. Ingest
 * validates and normalises what platforms send (gRPC or HTTP) into these; the worker validates
 * again on the way in and fails a job that can never succeed.
 */
export const ZGameEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('login'),
    /** Producer's event id: redelivery of the same id within 24 h has no effect. */
    id: z.string().min(1).max(128),
    userId: z.string().min(1).max(128),
    /** Producer's timestamp (RFC 3339), lag metrics only; never decides a period. */
    timestamp: z.string().max(64).optional(),
    /** When ingest acknowledged it (epoch ms), for the ack → applied lag. */
    receivedAt: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('stat'),
    id: z.string().min(1).max(128),
    userId: z.string().min(1).max(128),
    statCode: z.string().min(1).max(128),
    /** The stat's latest value (absolute and relative goals). */
    value: z.number().finite().optional(),
    /** The increment this update carried (increment goals; relative baselines). */
    inc: z.number().finite().optional(),
    timestamp: z.string().max(64).optional(),
    receivedAt: z.number().int().nonnegative(),
  }),
]);

export type GameEvent = z.infer<typeof ZGameEvent>;

/** One queued job: events of one partition, in arrival order. */
export const ZEventBatchJob = z.object({
  /** Unique per job; the worker records it with the batch's effect for exactly-once. */
  batchId: z.string().min(1).max(64),
  partition: z.number().int().nonnegative(),
  events: z.array(ZGameEvent).min(1).max(5000),
});

export type EventBatchJob = z.infer<typeof ZEventBatchJob>;

/** Queue name of a partition; the `{…}` hash tag keeps each queue's keys in one Redis Cluster slot. */
export function eventQueueName(partition: number): string {
  return `events.apply.v1.p${partition}`;
}

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
