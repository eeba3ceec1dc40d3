import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { LiveHistogram } from './live-histogram.ts';
import { isInternalEndpoint } from './live-routes.ts';
import type { RedisClient } from './redis-client.ts';

/** One endpoint's last second: requests and latency percentiles (bucket upper bounds, ms). */
export interface LiveEndpointPoint {
  endpoint: string;
  /** Dashboard, profiling, health, API description: never in the player figures. */
  internal: boolean;
  rps: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Non-empty latency buckets as [index into LIVE_BUCKETS_MS, count], for merging. */
  buckets: Array<[number, number]>;
}

/** One event partition as a worker saw it in the last second. */
export interface LivePartitionPoint {
  partition: number;
  depth: number | null;
  /** Highest ingest-to-commit lag of the events applied in the second; null when none. */
  lagMs: number | null;
}

/** What a process publishes every second (docs/dashboard.md, Live page). */
export interface LivePoint {
  /** Epoch ms at the end of the second. */
  t: number;
  startedAt: number;
  /** Player routes only; `internalRequestsPerSec` counts the rest. */
  requestsPerSec: number;
  internalRequestsPerSec: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  eventsReceivedPerSec: number;
  eventsAppliedPerSec: number;
  queueDepth: number | null;
  lagMs: number | null;
  cpuPercent: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  rssBytes: number;
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  endpoints: LiveEndpointPoint[];
  partitions: LivePartitionPoint[];
}

/** Worker-side values read once per second from the worker's own counters. */
export interface LiveExtras {
  eventsAppliedPerSec?: number;
  queueDepth?: number | null;
  lagMs?: number | null;
  partitions?: LivePartitionPoint[];
}

export interface LiveRecorder {
  /** Endpoint names carry their edge: `REST GET /challenge/v1/challenges`, `tRPC live.history`. */
  observe(endpoint: string, seconds: number): void;
  eventsReceived(n?: number): void;
  eventsApplied(n?: number): void;
}

/** Beyond this many endpoints in one second, the rest share one row (a bound on point size). */
const MAX_ENDPOINTS = 200;

export interface LiveWindow {
  endpoints: Map<string, LiveHistogram>;
  eventsReceived: number;
  eventsApplied: number;
}

export function createLiveRecorder(): LiveRecorder & { take(): LiveWindow } {
  let current: LiveWindow = { endpoints: new Map(), eventsReceived: 0, eventsApplied: 0 };
  return {
    observe(endpoint, seconds) {
      let histogram = current.endpoints.get(endpoint);
      if (!histogram) {
        const name = current.endpoints.size < MAX_ENDPOINTS ? endpoint : 'other';
        histogram = current.endpoints.get(name) ?? new LiveHistogram();
        current.endpoints.set(name, histogram);
      }
      histogram.record(seconds * 1000);
    },
    eventsReceived(n = 1) {
      current.eventsReceived += n;
    },
    eventsApplied(n = 1) {
      current.eventsApplied += n;
    },
    take() {
      const taken = current;
      current = { endpoints: new Map(), eventsReceived: 0, eventsApplied: 0 };
      return taken;
    },
  };
}

/** An hour of one-second points per process, kept after it stops so the history stays whole. */
export const LIVE_WINDOW_POINTS = 3600;
export const LIVE_HISTORY_MS = LIVE_WINDOW_POINTS * 1000;
/** A process that has not published for this long is no longer live (but keeps its history). */
export const LIVE_TTL_MS = 10_000;

// `{live}` is a Redis Cluster hash tag: a process's list and the index are written in one
// pipeline and read in another, which a cluster allows only within one slot.
export const liveKey = (prefix: string, id: string) => `${prefix}:{live}:${id}`;
export const liveIndexKey = (prefix: string) => `${prefix}:{live}:index`;

export function liveProcessId(role: string, pid: number = process.pid): string {
  return `${role}:${hostname()}:${pid}`;
}

/** Turns a window of counters plus process gauges into a point; `elapsedMs` scales rates. */
function buildPoint(options: {
  window: LiveWindow;
  elapsedMs: number;
  startedAt: number;
  cpuPercent: number;
  eventLoop: { p50Ms: number; p99Ms: number };
  extras: LiveExtras;
}): LivePoint {
  const { window, elapsedMs, extras } = options;
  const perSec = (n: number) => Math.round((n * 1000 * 100) / Math.max(1, elapsedMs)) / 100;
  const player = new LiveHistogram();
  let internalCount = 0;
  const endpoints: LiveEndpointPoint[] = [];
  for (const [endpoint, h] of window.endpoints) {
    const internal = isInternalEndpoint(endpoint);
    if (internal) internalCount += h.count;
    else player.add(h);
    endpoints.push({
      endpoint,
      internal,
      rps: perSec(h.count),
      p50Ms: h.percentile(0.5),
      p95Ms: h.percentile(0.95),
      p99Ms: h.percentile(0.99),
      buckets: h.nonEmpty(),
    });
  }
  const memory = process.memoryUsage();
  return {
    t: Date.now(),
    startedAt: options.startedAt,
    requestsPerSec: perSec(player.count),
    internalRequestsPerSec: perSec(internalCount),
    p50Ms: player.percentile(0.5),
    p95Ms: player.percentile(0.95),
    p99Ms: player.percentile(0.99),
    eventsReceivedPerSec: perSec(window.eventsReceived),
    eventsAppliedPerSec: extras.eventsAppliedPerSec ?? perSec(window.eventsApplied),
    queueDepth: extras.queueDepth ?? null,
    lagMs: extras.lagMs ?? null,
    cpuPercent: options.cpuPercent,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    rssBytes: memory.rss,
    eventLoopP50Ms: options.eventLoop.p50Ms,
    eventLoopP99Ms: options.eventLoop.p99Ms,
    endpoints,
    partitions: extras.partitions ?? [],
  };
}

export interface LivePublisher {
  id: string;
  recorder: LiveRecorder;
  close(): void;
}

/**
 * Publishes this process's point every `intervalMs` into a capped Redis list (the last hour)
 * plus an index of processes — one pipelined round trip per second. A process that dies drops
 * out of the live list after LIVE_TTL_MS and its history after an hour.
 */
export function startLivePublisher(options: {
  redis: RedisClient;
  prefix: string;
  role: string;
  log: Logger;
  recorder?: ReturnType<typeof createLiveRecorder>;
  extras?: () => LiveExtras | Promise<LiveExtras>;
  intervalMs?: number;
}): LivePublisher {
  const { redis, prefix, log } = options;
  const recorder = options.recorder ?? createLiveRecorder();
  const id = liveProcessId(options.role);
  const key = liveKey(prefix, id);
  const startedAt = Date.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  let busy = false;

  const tick = async () => {
    const now = performance.now();
    const elapsedMs = now - lastAt;
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    lastAt = now;
    const eventLoop = {
      p50Ms: loopDelay.percentile(50) / 1e6,
      p99Ms: loopDelay.percentile(99) / 1e6,
    };
    loopDelay.reset();
    const window = recorder.take();
    const extras = (await options.extras?.()) ?? {};
    const cpuPercent = Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10;
    const point = buildPoint({ window, elapsedMs, startedAt, cpuPercent, eventLoop, extras });
    await redis
      .pipeline()
      .rpush(key, JSON.stringify(point))
      .ltrim(key, -LIVE_WINDOW_POINTS, -1)
      .pexpire(key, LIVE_HISTORY_MS)
      .zadd(liveIndexKey(prefix), point.t, id)
      // The index goes with the last history, so test and retired prefixes leave nothing behind.
      .pexpire(liveIndexKey(prefix), LIVE_HISTORY_MS)
      .exec();
  };
  const timer = setInterval(() => {
    // A slow Redis must not pile up ticks; a skipped second shows as a gap in the charts.
    if (busy) return;
    busy = true;
    tick()
      .catch((error: unknown) => log.debug({ err: error }, 'live snapshot not published'))
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs ?? 1000);
  timer.unref();

  return {
    id,
    recorder,
    close() {
      clearInterval(timer);
      loopDelay.disable();
    },
  };
}
