import { LiveHistogram } from './live-histogram.ts';
import { LIVE_WINDOW_POINTS, type LivePoint, liveKey } from './live-metrics.ts';
import { liveIds, parseId } from './live-reader.ts';
import type { RedisClient } from './redis-client.ts';

/** At most this many steps per chart: a one-hour window is drawn in 12-second steps. */
export const LIVE_MAX_STEPS = 300;
/** Points further apart than this have a gap between them (one missed publish is not one). */
const GAP_MS = 2500;

type Values = Array<number | null>;

export interface LiveHistoryProcess {
  id: string;
  role: string;
  pid: number;
  cpuPercent: Values;
  heapUsedBytes: Values;
  rssBytes: Values;
  eventLoopP99Ms: Values;
}

/**
 * The Live page's charts, aligned on `times` (the start of each step); null is a gap: no process
 * (or not this one) reported in the step, or, for latency, no request was made.
 */
export interface LiveHistory {
  from: number;
  to: number;
  stepSeconds: number;
  times: number[];
  /** Player and internal requests/s, events/s; summed over processes. */
  traffic: { player: Values; internal: Values; received: Values; applied: Values };
  /** The chosen route, or every player route when null; percentiles over all processes. */
  route: string | null;
  latency: { rps: Values; p50: Values; p95: Values; p99: Values };
  /** Every route seen in the window: player routes first, busiest first. */
  routes: Array<{ endpoint: string; internal: boolean; rps: number }>;
  processes: LiveHistoryProcess[];
  /** Depth is the latest sample, lag the worst of the step, across workers. */
  partitions: Array<{ partition: number; depth: Values; lagMs: Values }>;
}

const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (n: number | null, digits = 2) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;
const sumOrNull = (values: Values) =>
  values.every((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
const maxOrNull = (values: Values) =>
  values.every((v) => v === null)
    ? null
    : Math.max(...values.filter((v): v is number => v !== null));

/**
 * A process's points by step. A step between two points no further apart than GAP_MS borrows
 * the earlier one: publishes drift around second boundaries, and that is no outage.
 */
function binPoints(points: LivePoint[], from: number, stepMs: number, steps: number) {
  const bins: LivePoint[][] = Array.from({ length: steps }, () => []);
  for (const p of points) bins[Math.floor((p.t - from) / stepMs)]?.push(p);
  let previous: LivePoint | undefined;
  for (let i = 0; i < steps; i += 1) {
    const bin = bins[i] as LivePoint[];
    if (bin.length > 0) {
      previous = bin[bin.length - 1];
      continue;
    }
    const next = bins.slice(i + 1).find((b) => b.length > 0)?.[0];
    if (previous && next && next.t - previous.t <= GAP_MS) bin.push(previous);
  }
  return bins;
}

async function readPoints(redis: RedisClient, prefix: string, from: number, to: number) {
  const ids = await liveIds(redis, prefix, Date.now() - from);
  const needed = Math.min(LIVE_WINDOW_POINTS, Math.ceil((Date.now() - from) / 1000) + 5);
  const pipeline = redis.pipeline();
  for (const id of ids.keys()) pipeline.lrange(liveKey(prefix, id), -needed, -1);
  const results = (await pipeline.exec()) ?? [];
  return [...ids.keys()]
    .map((id, i) => ({
      ...parseId(id),
      points: ((results[i]?.[1] as string[] | undefined) ?? [])
        .map((line) => JSON.parse(line) as LivePoint)
        .filter((p) => p.t >= from && p.t < to),
    }))
    .filter((p) => p.points.length > 0)
    .sort((a, b) => a.id.localeCompare(b.id));
}

type Binned = { id: string; role: string; pid: number; bins: LivePoint[][] };

function latencyOf(processes: Binned[], steps: number, route: string | null) {
  const latency = { rps: [] as Values, p50: [] as Values, p95: [] as Values, p99: [] as Values };
  const picked = (e: LivePoint['endpoints'][number]) =>
    route === null ? !e.internal : e.endpoint === route;
  for (let i = 0; i < steps; i += 1) {
    const histogram = new LiveHistogram();
    let reported = false;
    let rps = 0;
    for (const { bins } of processes) {
      const bin = bins[i] as LivePoint[];
      if (bin.length === 0) continue;
      reported = true;
      const rows = bin.flatMap((p) => p.endpoints.filter(picked));
      for (const row of rows) histogram.addPairs(row.buckets ?? []);
      rps += rows.reduce((a, r) => a + r.rps, 0) / bin.length;
    }
    latency.rps.push(reported ? round(rps) : null);
    latency.p50.push(histogram.percentile(0.5));
    latency.p95.push(histogram.percentile(0.95));
    latency.p99.push(histogram.percentile(0.99));
  }
  return latency;
}

function routesOf(processes: Binned[], windowSeconds: number) {
  const routes = new Map<string, { endpoint: string; internal: boolean; calls: number }>();
  for (const { bins } of processes) {
    for (const p of new Set(bins.flat())) {
      for (const e of p.endpoints) {
        const r = routes.get(e.endpoint) ?? {
          endpoint: e.endpoint,
          internal: e.internal,
          calls: 0,
        };
        r.calls += e.rps;
        routes.set(e.endpoint, r);
      }
    }
  }
  return [...routes.values()]
    .map(({ calls, ...r }) => ({ ...r, rps: round(calls / windowSeconds) ?? 0 }))
    .sort((a, b) => Number(a.internal) - Number(b.internal) || b.rps - a.rps);
}

function partitionsOf(processes: Binned[], steps: number) {
  const byPartition = new Map<number, { depth: Values[]; lagMs: Values[] }>();
  const slot = (partition: number) => {
    let p = byPartition.get(partition);
    if (!p) {
      const empty = () => Array.from({ length: steps }, (): Values => []);
      p = { depth: empty(), lagMs: empty() };
      byPartition.set(partition, p);
    }
    return p;
  };
  for (const { bins } of processes) {
    bins.forEach((bin, i) => {
      for (const point of bin) {
        for (const row of point.partitions ?? []) slot(row.partition).lagMs[i]?.push(row.lagMs);
      }
      for (const row of bin.at(-1)?.partitions ?? []) {
        slot(row.partition).depth[i]?.push(row.depth);
      }
    });
  }
  return [...byPartition]
    .sort((a, b) => a[0] - b[0])
    .map(([partition, p]) => ({
      partition,
      depth: p.depth.map(maxOrNull),
      lagMs: p.lagMs.map(maxOrNull),
    }));
}

/** The Live page's view of the last `windowSeconds` before `endAt` (now by default). */
export async function liveHistory(
  redis: RedisClient,
  prefix: string,
  input: { windowSeconds: number; endAt?: number; route?: string | null },
): Promise<LiveHistory> {
  const stepSeconds = Math.max(1, Math.ceil(input.windowSeconds / LIVE_MAX_STEPS));
  const stepMs = stepSeconds * 1000;
  const to = Math.floor((input.endAt ?? Date.now()) / stepMs) * stepMs + stepMs;
  const steps = Math.ceil(input.windowSeconds / stepSeconds);
  const from = to - steps * stepMs;
  const times = Array.from({ length: steps }, (_, i) => from + i * stepMs);
  const processes: Binned[] = (await readPoints(redis, prefix, from, to)).map((p) => ({
    ...p,
    bins: binPoints(p.points, from, stepMs, steps),
  }));
  const each = (pick: (p: LivePoint) => number | null, combine: (xs: Values) => number | null) =>
    times.map((_, i) =>
      combine(
        processes.map(({ bins }) => {
          const values = (bins[i] as LivePoint[]).map(pick).filter((v): v is number => v !== null);
          return round(avg(values));
        }),
      ),
    );
  const route = input.route ?? null;
  return {
    from,
    to,
    stepSeconds,
    times,
    traffic: {
      player: each((p) => p.requestsPerSec, sumOrNull),
      internal: each((p) => p.internalRequestsPerSec ?? 0, sumOrNull),
      received: each((p) => p.eventsReceivedPerSec, sumOrNull),
      applied: each((p) => p.eventsAppliedPerSec, sumOrNull),
    },
    route,
    latency: latencyOf(processes, steps, route),
    routes: routesOf(processes, input.windowSeconds),
    processes: processes.map(({ id, role, pid, bins }) => {
      const series = (pick: (p: LivePoint) => number) =>
        bins.map((bin) => round(avg(bin.map(pick))));
      return {
        id,
        role,
        pid,
        cpuPercent: series((p) => p.cpuPercent),
        heapUsedBytes: series((p) => p.heapUsedBytes),
        rssBytes: series((p) => p.rssBytes),
        eventLoopP99Ms: series((p) => p.eventLoopP99Ms),
      };
    }),
    partitions: partitionsOf(processes, steps),
  };
}
