import { CoreError } from '@challenges/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestKeyVerifier } from '../auth/ingest-keys.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import type { EventIngest } from './event-ingest.ts';
import { parseHttpBatch } from './http-events.ts';

export interface EventRoutesDeps {
  ingest: EventIngest;
  keys: IngestKeyVerifier;
  metrics: ApiMetrics;
}

/** 1000 events of a few hundred bytes each; the player API keeps its 64 KB limit. */
export const EVENTS_BODY_LIMIT = 1024 * 1024;

/**
 * Server-to-server ingest (docs/events.md): 202 only once every queued event is durable in Redis;
 * a batch with one bad event is refused whole, before anything is queued.
 */
export function registerEventRoutes(app: FastifyInstance, deps: EventRoutesDeps): void {
  // onRequest runs before the body is read: an unknown caller costs no 1 MB read and parse.
  const authenticate = async (req: FastifyRequest) => {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '' || !(await deps.keys.verify(key))) {
      deps.metrics.ingestError('unauthenticated');
      throw new CoreError('UNAUTHENTICATED', 'a valid x-api-key header is required');
    }
  };
  const options = { bodyLimit: EVENTS_BODY_LIMIT, onRequest: authenticate };
  app.post('/v1/events', options, async (req, reply) => {
    let items: ReturnType<typeof parseHttpBatch>;
    try {
      items = parseHttpBatch(req.body, Date.now());
    } catch (error) {
      deps.metrics.ingestError('invalid');
      throw error;
    }
    const counts = await deps.ingest.ingestBatch(items);
    return reply.status(202).send(counts);
  });
}
