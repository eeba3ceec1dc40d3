import type { GameEvent } from '@challenges/core';
import type { DefinitionsSource } from '@challenges/runtime';
import type { ApiMetrics, EventSourceLabel } from '../metrics/metrics.ts';
import type { EventBatcher } from './event-batcher.ts';
import type { HttpIngestEvent } from './http-events.ts';
import { skipReason } from './normalize-event.ts';

export interface EventIngest {
  /** One event (gRPC): resolves when it is queued or deliberately skipped. */
  ingest(event: GameEvent, namespace: string, source: EventSourceLabel): Promise<void>;
  /** A validated HTTP batch: resolves with the counts once every queued event is durable. */
  ingestBatch(items: readonly HttpIngestEvent[]): Promise<{ accepted: number; skipped: number }>;
}

/**
 * The use case both ingest edges call. Definitions are read per call (`current()`), so a
 * published change decides the very next event.
 */
export function createEventIngest(deps: {
  batcher: EventBatcher;
  definitions: DefinitionsSource;
  namespace: string;
  metrics: ApiMetrics;
}): EventIngest {
  const { batcher, metrics, namespace } = deps;
  return {
    ingest(event, eventNamespace, source) {
      metrics.received(source, event.type);
      const reason = skipReason(event, eventNamespace, namespace, deps.definitions.current());
      if (reason) {
        metrics.skipped(reason);
        return Promise.resolve();
      }
      return batcher.submit(event);
    },

    async ingestBatch(items) {
      const definitions = deps.definitions.current();
      const queued: GameEvent[] = [];
      let skipped = 0;
      for (const { event, namespace: eventNamespace } of items) {
        metrics.received('http', event.type);
        const reason = skipReason(event, eventNamespace, namespace, definitions);
        if (reason) {
          metrics.skipped(reason);
          skipped++;
        } else {
          queued.push(event);
        }
      }
      if (queued.length > 0) await batcher.submitAll(queued);
      return { accepted: items.length - skipped, skipped };
    },
  };
}
