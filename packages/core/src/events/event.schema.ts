import { z } from 'zod';

/**
 * An event as ingest (api) queues it and the worker applies it (the job around it:
 * event-job.ts). Ingest validates and normalises what platforms send (gRPC or HTTP) into these;
 * the worker validates again on the way in and fails a job that can never succeed.
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
