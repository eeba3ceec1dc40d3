import type { RewardDeliveryRepository } from '@challenges/db';
import type { RewardDelivery } from '@challenges/runtime';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.ts';

const BATCH = 20;
const CONCURRENCY = 10;
const GAUGE_INTERVAL_MS = 5000;

/**
 * Retries due pending reward grants (docs/rewards.md). Each scan claims a batch with
 * `FOR UPDATE SKIP LOCKED` and a lease, so replicas never deliver the same grant at once and a
 * replica that dies mid-batch only delays its grants until the lease runs out. A full batch is
 * followed by another scan at once, so a backlog drains at provider speed, not scan speed.
 */
export function startRewardRetries(options: {
  deliveries: RewardDeliveryRepository;
  delivery: RewardDelivery;
  intervalMs: number;
  attemptTimeoutMs: number;
  /** How long a never-tried grant waits for the api's inline attempt before the worker takes it. */
  inlineGraceMs: number;
  metrics: WorkerMetrics;
  log: Logger;
}): { stop(): Promise<void> } {
  const { deliveries, delivery, log, metrics } = options;
  // Long enough for the slowest batch: ceil(BATCH / CONCURRENCY) rounds of one timeout each.
  const leaseMs = options.attemptTimeoutMs * Math.ceil(BATCH / CONCURRENCY) + 5000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const attemptAll = async (grants: Awaited<ReturnType<typeof deliveries.claimDue>>) => {
    let next = 0;
    const lane = async () => {
      while (next < grants.length) {
        const grant = grants[next++]!;
        await delivery
          .attempt(grant, { timeoutMs: options.attemptTimeoutMs, actor: 'worker' })
          .catch((error: unknown) =>
            log.warn({ err: error, key: grant.idempotencyKey }, 'reward attempt not recorded'),
          );
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, grants.length) }, lane));
  };

  const scan = async () => {
    for (;;) {
      const now = new Date();
      const grants = await deliveries.claimDue({
        now,
        limit: BATCH,
        leaseUntil: new Date(now.getTime() + leaseMs),
        inlineGraceMs: options.inlineGraceMs,
      });
      if (grants.length > 0) await attemptAll(grants);
      if (grants.length < BATCH || stopped) return;
    }
  };

  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    running = scan()
      .catch((error: unknown) => log.warn({ err: error }, 'reward retry scan failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.intervalMs);
      });
  };
  loop();

  const sample = () =>
    deliveries.countOpen().then(
      (counts) => {
        metrics.rewardGrantsPending.set(counts.pending);
        metrics.rewardGrantsFailed.set(counts.failed);
      },
      (error: unknown) => log.debug({ err: error }, 'reward gauge sample failed'),
    );
  void sample();
  const gauges = setInterval(sample, GAUGE_INTERVAL_MS);
  gauges.unref();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(gauges);
      await running;
    },
  };
}
