import { randomUUID } from 'node:crypto';
import { LIVE_HISTORY_MS } from './live-metrics.ts';
import type { RedisClient } from './redis-client.ts';

export type LiveMarkerKind = 'publish' | 'loadtest' | 'profile';

/** Something an operator did that explains a change in the charts; `until` for spans. */
export interface LiveMarker {
  t: number;
  until: number | null;
  kind: LiveMarkerKind;
  label: string;
}

// Same hash tag as the live lists: one slot in a Redis Cluster.
const markersKey = (prefix: string) => `${prefix}:{live}:markers`;

/** The longest span a marker may have (a profile); older starts may still overlap a window. */
const MAX_SPAN_MS = 60_000;

/** Records a marker for every api replica's charts; kept as long as the live history. */
export async function addLiveMarker(
  redis: RedisClient,
  prefix: string,
  marker: LiveMarker,
): Promise<void> {
  const key = markersKey(prefix);
  await redis
    .pipeline()
    .zadd(key, marker.t, JSON.stringify({ ...marker, id: randomUUID() }))
    .zremrangebyscore(key, '-inf', `(${Date.now() - LIVE_HISTORY_MS}`)
    .pexpire(key, LIVE_HISTORY_MS)
    .exec();
}

/** Markers that start or end within [from, to], oldest first. */
export async function liveMarkers(
  redis: RedisClient,
  prefix: string,
  from: number,
  to: number,
): Promise<LiveMarker[]> {
  const raw = await redis.zrangebyscore(markersKey(prefix), from - MAX_SPAN_MS, to);
  return raw
    .map((line) => {
      const { t, until, kind, label } = JSON.parse(line) as LiveMarker;
      return { t, until, kind, label };
    })
    .filter((m) => (m.until ?? m.t) >= from);
}
