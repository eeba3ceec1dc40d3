import { CoreError, type GameEvent } from '@challenges/core';
import { z } from 'zod';
import { ZId } from '../edge/inputs.ts';

export const MAX_EVENTS_PER_REQUEST = 1000;

/** Game servers written for snake_case payloads work too; camelCase wins when both are sent. */
function camelKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  return {
    ...v,
    userId: v.userId ?? v.user_id,
    statCode: v.statCode ?? v.stat_code,
  };
}

const ZHttpEvent = z.preprocess(
  camelKeys,
  z
    .object({
      id: ZId,
      type: z.enum(['login', 'stat']),
      userId: ZId,
      statCode: ZId.optional(),
      value: z.number().finite().optional(),
      inc: z.number().finite().optional(),
      timestamp: z.iso.datetime({ offset: true }).optional(),
      /** Optional: events of another namespace than NAMESPACE are acknowledged and skipped. */
      namespace: z.string().max(256).optional(),
    })
    .superRefine((e, ctx) => {
      if (e.type !== 'stat') return;
      if (e.statCode === undefined) {
        ctx.addIssue({ code: 'custom', path: ['statCode'], message: 'required for stat events' });
      }
      if (e.value === undefined && e.inc === undefined) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'value or inc is required' });
      }
    }),
);

const ZHttpBatch = z.object({
  events: z
    .array(ZHttpEvent)
    .min(1, 'must hold at least one event')
    .max(MAX_EVENTS_PER_REQUEST, `must hold at most ${MAX_EVENTS_PER_REQUEST} events`),
});

export interface HttpIngestEvent {
  event: GameEvent;
  namespace: string | undefined;
}

/** Validates a whole batch before anything is queued: one bad event refuses them all. */
export function parseHttpBatch(body: unknown, receivedAt: number): HttpIngestEvent[] {
  const result = ZHttpBatch.safeParse(body ?? {});
  if (!result.success) {
    const problems = result.error.issues.slice(0, 10).map(
      (i) =>
        `${
          i.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '') || 'body'
        }: ${i.message}`,
    );
    throw new CoreError('INVALID_ARGUMENT', `invalid events: ${problems.join('; ')}`, problems);
  }
  return result.data.events.map((e) => ({
    namespace: e.namespace,
    event:
      e.type === 'login'
        ? { type: 'login', id: e.id, userId: e.userId, timestamp: e.timestamp, receivedAt }
        : {
            type: 'stat',
            id: e.id,
            userId: e.userId,
            statCode: e.statCode as string,
            value: e.value,
            inc: e.inc,
            timestamp: e.timestamp,
            receivedAt,
          },
  }));
}
