import {
  LIVE_HISTORY_MS,
  LIVE_TTL_MS,
  type LiveEndpointPoint,
  type LivePoint,
  liveIndexKey,
  liveKey,
} from './live-metrics.ts';
import type { RedisClient } from './redis-client.ts';

export interface LiveProcess {
  /** `<role>:<hostname>:<pid>`; what profiling takes as processId. */
  id: string;
  role: string;
  hostname: string;
  pid: number;
  startedAt: number;
  lastSeen: number;
}

/** A point without its endpoint and partition rows: one flat object per second. */
export type LiveFlatPoint = Omit<LivePoint, 'endpoints' | 'startedAt' | 'partitions'>;

export interface LiveEndpointSeries {
  endpoint: string;
  /** One entry per point of the process (rps 0 and null percentiles where it had no call). */
  points: Array<Omit<LiveEndpointPoint, 'endpoint' | 'internal' | 'buckets'> & { t: number }>;
}

export interface LiveProcessSeries extends LiveProcess {
  points: LiveFlatPoint[];
  endpoints: LiveEndpointSeries[];
}

export function parseId(id: string): Pick<LiveProcess, 'id' | 'role' | 'hostname' | 'pid'> {
  const [role = '', hostname = '', pid = '0'] = id.split(':');
  return { id, role, hostname, pid: Number(pid) };
}

/**
 * Ids of processes that published since `sinceMs` ago, with when they last did; entries older
 * than the history are pruned.
 */
export async function liveIds(
  redis: RedisClient,
  prefix: string,
  sinceMs: number = LIVE_TTL_MS,
): Promise<Map<string, number>> {
  const now = Date.now();
  const results = await redis
    .pipeline()
    .zremrangebyscore(liveIndexKey(prefix), '-inf', `(${now - LIVE_HISTORY_MS}`)
    .zrangebyscore(liveIndexKey(prefix), now - sinceMs, '+inf', 'WITHSCORES')
    .exec();
  const flat = (results?.[1]?.[1] as string[] | undefined) ?? [];
  const ids = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) ids.set(String(flat[i]), Number(flat[i + 1]));
  return ids;
}

export async function liveProcesses(redis: RedisClient, prefix: string): Promise<LiveProcess[]> {
  const ids = await liveIds(redis, prefix);
  if (ids.size === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids.keys()) pipeline.lindex(liveKey(prefix, id), -1);
  const results = (await pipeline.exec()) ?? [];
  const processes: LiveProcess[] = [];
  [...ids].forEach(([id, lastSeen], i) => {
    const raw = results[i]?.[1];
    if (typeof raw !== 'string') return;
    const point = JSON.parse(raw) as LivePoint;
    processes.push({ ...parseId(id), startedAt: point.startedAt, lastSeen });
  });
  return processes.sort((a, b) => a.id.localeCompare(b.id));
}

function endpointSeries(points: LivePoint[]): LiveEndpointSeries[] {
  const names = new Set(points.flatMap((p) => p.endpoints.map((e) => e.endpoint)));
  return [...names].sort().map((endpoint) => ({
    endpoint,
    points: points.map((p) => {
      const row = p.endpoints.find((e) => e.endpoint === endpoint);
      return {
        t: p.t,
        rps: row?.rps ?? 0,
        p50Ms: row?.p50Ms ?? null,
        p95Ms: row?.p95Ms ?? null,
        p99Ms: row?.p99Ms ?? null,
      };
    }),
  }));
}

/** The last `windowSeconds` points of every live process, oldest first. */
export async function liveSeries(
  redis: RedisClient,
  prefix: string,
  windowSeconds: number,
): Promise<LiveProcessSeries[]> {
  const cutoff = Date.now() - windowSeconds * 1000;
  // Live processes only, as the load-test collector expects; stopped ones are live.history's.
  const ids = await liveIds(redis, prefix);
  if (ids.size === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids.keys()) pipeline.lrange(liveKey(prefix, id), -windowSeconds, -1);
  const results = (await pipeline.exec()) ?? [];
  const series: LiveProcessSeries[] = [];
  [...ids].forEach(([id, lastSeen], i) => {
    const raw = (results[i]?.[1] as string[] | undefined) ?? [];
    if (raw.length === 0) return;
    // A process that stopped keeps its list: its last points may be older than the window.
    const points = raw.map((line) => JSON.parse(line) as LivePoint).filter((p) => p.t >= cutoff);
    if (points.length === 0) return;
    series.push({
      ...parseId(id),
      startedAt: points[0]?.startedAt ?? lastSeen,
      lastSeen,
      points: points.map(({ endpoints: _e, startedAt: _s, partitions: _p, ...flat }) => flat),
      endpoints: endpointSeries(points),
    });
  });
  return series.sort((a, b) => a.id.localeCompare(b.id));
}
