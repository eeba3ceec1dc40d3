import { createRedis } from '@challenges/runtime';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import type { Env } from '../env.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import type { PushDeps } from '../push/push-deps.ts';
import { startStreamHub } from '../push/stream-hub.ts';
import type { Stores } from './stores.ts';

/** The push streams of docs/push.md: the hub reads the shard streams on a connection of its own. */
export async function startPush(
  env: Env,
  log: Logger,
  ctx: AppContext,
  stores: Stores,
  metrics: ApiMetrics,
): Promise<PushDeps> {
  if (env.ROLE === 'ingest') return { hub: undefined };
  // Blocking reads wait for Redis rather than failing the stream: no request waits on them.
  const reader = createRedis(env, { maxRetriesPerRequest: null });
  reader.on('error', (error) => log.debug({ err: error }, 'push reader: redis error'));
  const hub = await startStreamHub({
    ctx,
    redis: stores.redis,
    reader,
    prefix: env.QUEUE_PREFIX,
    log,
    maxPerPlayer: env.STREAM_MAX_PER_PLAYER,
    slotTtlMs: env.STREAM_SLOT_TTL_MS,
    metrics: metrics.streams,
    heartbeatMs: env.STREAM_HEARTBEAT_MS,
  });
  return { hub, metrics: metrics.streams };
}
