import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { LiveHistogram } from './live-histogram.ts';
import type { RedisClient } from './redis-client.ts';

/** One endpoint's last second: requests and latency percentiles (bucket upper bounds, ms). */
export interface LiveEndpointPoint {
  endpoint: string;
  rps: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** What a process publishes every second (docs/dashboard.md, Live page). */
export interface LivePoint {
  /** Epoch ms at the end of the second. */
  t: number;
  startedAt: number;
  requestsPerSec: number;
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
}

/** Worker-side values read once per second from the worker's own counters. */
export interface LiveExtras {
  eventsAppliedPerSec?: number;
  queueDepth?: number | null;
  lagMs?: number | null;
}

export interface LiveRecorder {
  /** Endpoint names carry their edge: `REST GET /challenge/v1/challenges`, `tRPC live.series`. */
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

export const LIVE_WINDOW_POINTS = 300;
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
  const all = new LiveHistogram();
  const endpoints: LiveEndpointPoint[] = [];
  for (const [endpoint, h] of window.endpoints) {
    all.add(h);
    endpoints.push({
      endpoint,
      rps: perSec(h.count),
      p50Ms: h.percentile(0.5),
      p95Ms: h.percentile(0.95),
      p99Ms: h.percentile(0.99),
    });
  }
  const memory = process.memoryUsage();
  return {
    t: Date.now(),
    startedAt: options.startedAt,
    requestsPerSec: perSec(all.count),
    p50Ms: all.percentile(0.5),
    p95Ms: all.percentile(0.95),
    p99Ms: all.percentile(0.99),
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
  };
}

export interface LivePublisher {
  id: string;
  recorder: LiveRecorder;
  close(): void;
}

/**
 * Publishes this process's point every `intervalMs` into a capped Redis list (the last 300
 * seconds) plus an index of live processes — one pipelined round trip per second. A process
 * that dies disappears with its key's TTL.
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
      .pexpire(key, LIVE_TTL_MS)
      .zadd(liveIndexKey(prefix), point.t, id)
      // The index goes with the last process, so test and retired prefixes leave nothing behind.
      .pexpire(liveIndexKey(prefix), LIVE_TTL_MS)
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
