import type { RedisClient } from '@challenges/runtime';
import {
  bucketPercentile,
  type LiveExtras,
  startLivePublisher,
  startProfileListener,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.ts';

/**
 * Reads the worker's own prom-client counters once per second and turns their deltas into
 * rates: the apply path stays untouched, and the numbers match /metrics by construction.
 */
export function workerLiveExtras(metrics: WorkerMetrics): () => Promise<LiveExtras> {
  let lastApplied: number | undefined;
  let lastAt = performance.now();
  let lastBuckets = new Map<number, number>();
  return async () => {
    const now = performance.now();
    const applied = (await metrics.applied.get()).values[0]?.value ?? 0;
    const depths = (await metrics.queueDepth.get()).values;
    const depth = depths.reduce((sum, v) => sum + v.value, 0);
    const lags = metrics.liveLagByPartition;
    const partitions = depths
      .map((v) => Number(v.labels.partition))
      .sort((a, b) => a - b)
      .map((partition) => ({
        partition,
        depth: depths.find((v) => Number(v.labels.partition) === partition)?.value ?? null,
        lagMs: lags.get(partition) ?? null,
      }));
    lags.clear();
    // Cumulative `le` counts of the lag histogram; their deltas are the last second's lags.
    const buckets = new Map<number, number>();
    for (const v of (await metrics.lag.get()).values) {
      if (v.metricName?.endsWith('_bucket')) {
        const le = v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le);
        buckets.set(le, v.value);
      }
    }
    const bounds = [...buckets.keys()].sort((a, b) => a - b);
    let previous = 0;
    const counts = bounds.map((le) => {
      const cumulative = (buckets.get(le) ?? 0) - (lastBuckets.get(le) ?? 0);
      const count = cumulative - previous;
      previous = cumulative;
      return count;
    });
    const lagSeconds = bucketPercentile(counts, bounds, 0.99);
    const elapsed = Math.max(1, now - lastAt);
    const rate = lastApplied === undefined ? 0 : ((applied - lastApplied) * 1000) / elapsed;
    lastApplied = applied;
    lastAt = now;
    lastBuckets = buckets;
    return {
      eventsAppliedPerSec: Math.round(rate * 100) / 100,
      queueDepth: depth,
      lagMs: lagSeconds === null ? null : lagSeconds * 1000,
      partitions,
    };
  };
}

/** The worker's live snapshots and profile listener (docs/dashboard.md, docs/operations.md). */
export function startWorkerObservability(options: {
  redis: RedisClient;
  prefix: string;
  metrics: WorkerMetrics;
  log: Logger;
}): { processId: string; close(): void } {
  const { redis, prefix, log } = options;
  const publisher = startLivePublisher({
    redis,
    prefix,
    role: 'worker',
    log,
    extras: workerLiveExtras(options.metrics),
  });
  const listener = startProfileListener({ redis, prefix, processId: publisher.id, log });
  return {
    processId: publisher.id,
    close() {
      publisher.close();
      listener.close();
    },
  };
}
