import { parseStreamId } from '@challenges/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CloseReason, StreamEvent, StreamSink } from './stream-hub.ts';

export type StreamTransport = 'sse' | 'grpc';
/** limit: the hub's open-stream cap per player; rate_limited: the player's request rate limit. */
export type StreamRefusal = 'limit' | 'rate_limited' | 'auth';

/** The push streams' Prometheus metrics (docs/push.md, docs/operations.md). */
export interface StreamMetrics {
  opened(transport: StreamTransport): void;
  closed(transport: StreamTransport): void;
  /** The sink, counting what it sends and the push delay of each change. */
  metered(sink: StreamSink): StreamSink;
  rederived(seconds: number): void;
  refused(reason: StreamRefusal): void;
  /** An SSE client cut off for reading slower than its changes came. */
  cutOff(): void;
}

const DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createStreamMetrics(registry: Registry, now = Date.now): StreamMetrics {
  const registers = [registry];
  const open = new Gauge({
    name: 'challenge_streams_open',
    help: 'Open push streams on this replica, by transport (sse, grpc).',
    labelNames: ['transport'] as const,
    registers,
  });
  const events = new Counter({
    name: 'challenge_stream_events_total',
    help: 'Events written to push streams, by type (snapshot, change, close).',
    labelNames: ['type'] as const,
    registers,
  });
  const delay = new Histogram({
    name: 'challenge_stream_push_delay_seconds',
    help: "From a change's stream entry id (the publish after the commit) to its event written.",
    buckets: DELAY_BUCKETS,
    registers,
  });
  const rederive = new Histogram({
    name: 'challenge_stream_rederive_duration_seconds',
    help: 'Re-deriving a batch of changed players (one query for the batch) for their open streams.',
    buckets: DURATION_BUCKETS,
    registers,
  });
  const refusals = new Counter({
    name: 'challenge_streams_refused_total',
    help: 'Stream opens refused, by reason (limit: open-stream cap; rate_limited: request rate limit; auth).',
    labelNames: ['reason'] as const,
    registers,
  });
  const cutOffs = new Counter({
    name: 'challenge_stream_slow_client_cutoffs_total',
    help: 'SSE clients cut off for reading slower than their changes came (1 MB buffered).',
    registers,
  });
  // Bound children, zero from the start so dashboards and rate() see every series.
  const openBy = { sse: open.labels('sse'), grpc: open.labels('grpc') };
  const eventsBy = {
    snapshot: events.labels('snapshot'),
    change: events.labels('change'),
    close: events.labels('close'),
  };
  const refusedBy = {
    limit: refusals.labels('limit'),
    rate_limited: refusals.labels('rate_limited'),
    auth: refusals.labels('auth'),
  };
  for (const c of [...Object.values(eventsBy), ...Object.values(refusedBy), cutOffs]) c.inc(0);
  openBy.sse.set(0);
  openBy.grpc.set(0);

  return {
    opened: (transport) => openBy[transport].inc(),
    closed: (transport) => openBy[transport].dec(),
    metered: (sink) => ({
      send(event: StreamEvent) {
        sink.send(event);
        eventsBy[event.kind].inc();
        if (event.kind !== 'change') return;
        const ms = parseStreamId(event.id)?.[0];
        if (ms !== undefined) delay.observe(Math.max(0, now() - ms) / 1000);
      },
      heartbeat: () => sink.heartbeat(),
      close(reason: CloseReason) {
        sink.close(reason);
        eventsBy.close.inc();
      },
    }),
    rederived: (seconds) => rederive.observe(seconds),
    refused: (reason) => refusedBy[reason].inc(),
    cutOff: () => cutOffs.inc(),
  };
}
