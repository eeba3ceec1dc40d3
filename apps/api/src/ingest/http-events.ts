import { CoreError, type GameEvent } from '@challenges/core';
import { ZHttpBatch } from '../edge/inputs.ts';

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
