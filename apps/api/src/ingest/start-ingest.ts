import {
  createRedis,
  type DefinitionsSource,
  EventJobWriter,
  type RedisClient,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import { anyIngestKey, type IngestKeyVerifier, staticIngestKeys } from '../auth/ingest-keys.ts';
import type { Env } from '../env.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import { EventBatcher } from './event-batcher.ts';
import { createEventIngest, type EventIngest } from './event-ingest.ts';
import { warnIfRedisNotDurable } from './redis-durability.ts';

export interface RunningIngest {
  ingest: EventIngest;
  /** Who may send events, on both edges: INGEST_API_KEYS, then keys created in the dashboard. */
  keys: IngestKeyVerifier;
  batcher: EventBatcher;
  /** Flushes pending batches (later events answer UNAVAILABLE), closes Redis. */
  close(): Promise<void>;
}

/** Gives Redis a moment at start; ingest still starts without it (calls answer UNAVAILABLE). */
async function readyOrTimeout(redis: RedisClient, ms: number, log: Logger): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((resolve) => redis.once('ready', () => resolve())),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
  if ((redis.status as string) !== 'ready')
    log.warn('Redis is not reachable yet; ingest answers UNAVAILABLE until it is');
}

function warnAboutGrpcAuth(env: Env, log: Logger): void {
  if (env.EVENTS_GRPC_AUTH === 'none') {
    log.warn(
      { host: env.EVENTS_GRPC_HOST, port: env.EVENTS_GRPC_PORT },
      'EVENTS_GRPC_AUTH=none: the event gRPC services accept events without an ingest key; ' +
        "anyone who reaches this port can move any player's progress (private networks only)",
    );
  } else if (env.ingestApiKeys.length === 0) {
    log.warn('INGEST_API_KEYS is not set: event ingest accepts only keys created in the dashboard');
  }
}

/** The event pipeline both ingest edges feed: key check, batcher, partition queues. */
export async function startIngest(deps: {
  env: Env;
  log: Logger;
  definitions: DefinitionsSource;
  metrics: ApiMetrics;
  /** Keys created in the dashboard (the cached database verifier). */
  dashboardKeys: IngestKeyVerifier;
}): Promise<RunningIngest> {
  const { env, log, metrics } = deps;
  // Env keys first: no database round trip for the usual case.
  const keys = anyIngestKey([staticIngestKeys(env.ingestApiKeys), deps.dashboardKeys]);
  warnAboutGrpcAuth(env, log);
  // Producer on a request path: no offline queue, so a Redis outage answers UNAVAILABLE at once
  // instead of acknowledging late or holding calls open.
  const redis = createRedis(env, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => log.debug({ err: error }, 'ingest redis connection error'));
  redis.once('ready', () => void warnIfRedisNotDurable(redis, log));
  await readyOrTimeout(redis, 2000, log);
  const batcher = new EventBatcher({
    writer: new EventJobWriter(redis, env.QUEUE_PREFIX, env.EVENT_PARTITIONS, {
      ackReplicas: env.REDIS_ACK_REPLICAS,
    }),
    lingerMs: env.INGEST_LINGER_MS,
    ready: () => redis.status === 'ready',
    metrics,
    onError: (error) => log.warn({ err: error }, 'queueing events failed'),
  });
  const ingest = createEventIngest({
    batcher,
    definitions: deps.definitions,
    namespace: env.NAMESPACE,
    metrics,
  });
  return {
    ingest,
    keys,
    batcher,
    close: async () => {
      await batcher.close();
      redis.disconnect();
    },
  };
}
