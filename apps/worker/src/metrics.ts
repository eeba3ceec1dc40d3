import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The webhook outbox backlog is counted up to this (one bounded index range per scrape). */
export const WEBHOOK_BACKLOG_CAP = 10_000;

/**
 * The worker's Prometheus metrics (docs/operations.md); one registry per worker instance.
 * `webhookBacklog` counts pending webhook deliveries (up to WEBHOOK_BACKLOG_CAP) at each scrape.
 */
export function createWorkerMetrics(
  sources: { webhookBacklog?: (cap: number) => Promise<number> } = {},
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    /** Worst ingest-to-commit lag (ms) per partition since the live page last read it. */
    liveLagByPartition: new Map<number, number>(),
    applied: new Counter({
      name: 'challenge_events_applied_total',
      help: 'Events that changed at least one progress row',
      registers,
    }),
    deduplicated: new Counter({
      name: 'challenge_events_deduplicated_total',
      help: 'Events dropped because their id was seen within the dedup window',
      registers,
    }),
    skipped: new Counter({
      name: 'challenge_events_skipped_total',
      help: 'Events that changed nothing, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: 'challenge_event_batch_size',
      help: 'Events per applied transaction (the jobs it took together)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
      registers,
    }),
    jobsPerBatch: new Histogram({
      name: 'challenge_event_batch_jobs',
      help: 'Queue jobs applied in one transaction (the active job and the waiting ones it took)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    }),
    applyDuration: new Histogram({
      name: 'challenge_event_apply_duration_seconds',
      help: 'Time to apply one batch: validation, the database transaction, bookkeeping',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    lag: new Histogram({
      name: 'challenge_event_lag_seconds',
      help: 'From the ingest acknowledgement (receivedAt) to the commit of the event',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    retries: new Counter({
      name: 'challenge_event_batch_retries_total',
      help: 'Batch attempts that failed on a transient error (e.g. PostgreSQL unreachable)',
      registers,
    }),
    rewardGrants: new Counter({
      name: 'challenge_reward_grants_total',
      help: 'Reward delivery attempts by provider and outcome (granted, retry, failed)',
      labelNames: ['provider', 'outcome'] as const,
      registers,
    }),
    rewardDeliveryDuration: new Histogram({
      name: 'challenge_reward_delivery_duration_seconds',
      help: 'Time of one reward delivery attempt, provider call and bookkeeping',
      labelNames: ['provider'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    rewardGrantsPending: new Gauge({
      name: 'challenge_reward_grants_pending',
      help: 'Reward grants waiting for delivery (sampled)',
      registers,
    }),
    rewardGrantsFailed: new Gauge({
      name: 'challenge_reward_grants_failed',
      help: 'Reward grants in the dead letter list (sampled)',
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'challenge_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (delivered, retry, dead)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    webhookDeliveryDuration: new Histogram({
      name: 'challenge_webhook_delivery_duration_seconds',
      help: 'Time of one webhook delivery attempt, the POST and its bookkeeping',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookBacklog: new Gauge({
      name: 'challenge_webhook_outbox_pending',
      help: 'Pending webhook deliveries, counted up to 10000 at each scrape',
      registers,
      async collect() {
        // A failed count keeps the last value: a scrape must not fail with the database.
        const n = await sources.webhookBacklog?.(WEBHOOK_BACKLOG_CAP).catch(() => undefined);
        if (n !== undefined) this.set(n);
      },
    }),
    queueDepth: new Gauge({
      name: 'challenge_event_queue_depth',
      help: 'Jobs waiting, delayed or active per partition queue (sampled)',
      labelNames: ['partition'] as const,
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** A tiny listener for /metrics on the internal port; optional bearer token (docs/operations.md). */
export async function startMetricsServer(options: {
  registry: Registry;
  host: string;
  port: number;
  token?: string;
}): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401).end();
      return;
    }
    options.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : options.port };
}
