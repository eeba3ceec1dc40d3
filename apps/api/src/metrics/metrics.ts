import { createLiveRecorder } from '@challenges/runtime';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { createStreamMetrics, type StreamMetrics } from '../push/stream-metrics.ts';

export type EventSourceLabel = 'grpc' | 'http';
export type EventTypeLabel = 'login' | 'stat';
export type SkipReason = 'namespace' | 'unknown_stat' | 'no_login_goals';
export type IngestErrorKind = 'invalid' | 'unauthenticated' | 'redis_unavailable' | 'timeout';

/**
 * The api process's metrics. One registry per started api (not prom-client's global one), so
 * tests can run several apis in one process. Labelled children are bound once up front: on the
 * ingest hot path an update is an addition, not a label-hash lookup.
 */
export interface ApiMetrics {
  registry: Registry;
  received(source: EventSourceLabel, type: EventTypeLabel, n?: number): void;
  skipped(reason: SkipReason, n?: number): void;
  ingestError(kind: IngestErrorKind, n?: number): void;
  flushBatchSize: Histogram;
  flushDuration: Histogram;
  httpDuration: Histogram<'route' | 'method' | 'status'>;
  grpcDuration: Histogram<'method' | 'code'>;
  trpcDuration: Histogram<'procedure' | 'code'>;
  /** Inline reward delivery attempts (docs/rewards.md) by provider and outcome (granted, retry, failed). */
  rewardGrants: Counter<'provider' | 'outcome'>;
  rewardDeliveryDuration: Histogram<'provider'>;
  /** The push streams (docs/push.md). */
  streams: StreamMetrics;
  /** Per-second counters for the live snapshots (docs/dashboard.md), fed next to the histograms. */
  live: ReturnType<typeof createLiveRecorder>;
}

/** 1 ms to 10 s: a request slower than 10 s has timed out somewhere anyway. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const received = new Counter({
    name: 'challenge_events_received_total',
    help: 'Events received by ingest, by source (grpc, http) and type (login, stat).',
    labelNames: ['source', 'type'] as const,
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'challenge_events_skipped_total',
    help: 'Events acknowledged but not queued: another namespace, or no goal tracks them.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'challenge_ingest_errors_total',
    help: 'Ingest failures by kind (invalid, unauthenticated, redis_unavailable, timeout).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const flushBatchSize = new Histogram({
    name: 'challenge_ingest_flush_batch_size',
    help: 'Events per queued job (one job per partition per flush).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const flushDuration = new Histogram({
    name: 'challenge_ingest_flush_duration_seconds',
    help: 'Time from a flush start until Redis confirmed all its jobs (the ack latency floor).',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'challenge_http_request_duration_seconds',
    help: 'REST request duration by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });

  const grpcDuration = new Histogram({
    name: 'challenge_grpc_request_duration_seconds',
    help: 'Player gRPC call duration by method and status code name.',
    labelNames: ['method', 'code'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const trpcDuration = new Histogram({
    name: 'challenge_trpc_request_duration_seconds',
    help: 'tRPC (dashboard) call duration by procedure path and tRPC code (OK or the error code).',
    labelNames: ['procedure', 'code'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const rewardGrants = new Counter({
    name: 'challenge_reward_grants_total',
    help: 'Reward delivery attempts by provider and outcome (granted, retry, failed)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const rewardDeliveryDuration = new Histogram({
    name: 'challenge_reward_delivery_duration_seconds',
    help: 'Time of one reward delivery attempt, provider call and bookkeeping',
    labelNames: ['provider'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const live = createLiveRecorder();

  const bound = <L extends string>(counter: Counter<L>, label: L, values: readonly string[]) =>
    new Map(values.map((v) => [v, counter.labels({ [label]: v } as Record<L, string>)]));
  const receivedChildren = new Map(
    (['grpc', 'http'] as const).flatMap((source) =>
      (['login', 'stat'] as const).map((type) => [
        `${source}:${type}`,
        received.labels(source, type),
      ]),
    ),
  );
  const skippedChildren = bound(skipped, 'reason', ['namespace', 'unknown_stat', 'no_login_goals']);
  const errorChildren = bound(errors, 'kind', [
    'invalid',
    'unauthenticated',
    'redis_unavailable',
    'timeout',
  ]);
  // Zero-valued series exist from the start, so dashboards and rate() see them before the first event.
  for (const c of [
    ...receivedChildren.values(),
    ...skippedChildren.values(),
    ...errorChildren.values(),
  ])
    c.inc(0);

  return {
    registry,
    received: (source, type, n = 1) => {
      receivedChildren.get(`${source}:${type}`)?.inc(n);
      live.eventsReceived(n);
    },
    skipped: (reason, n = 1) => skippedChildren.get(reason)?.inc(n),
    ingestError: (kind, n = 1) => errorChildren.get(kind)?.inc(n),
    flushBatchSize,
    flushDuration,
    httpDuration,
    grpcDuration,
    trpcDuration,
    rewardGrants,
    rewardDeliveryDuration,
    streams: createStreamMetrics(registry),
    live,
  };
}
