import {
  CoreError,
  type EventBatchJob,
  type GameEvent,
  newBatchId,
  partitionOf,
} from '@challenges/core';
import type { ApiMetrics } from '../metrics/metrics.ts';

/** What the batcher needs from Redis: @challenges/runtime's EventJobWriter fits. */
export interface JobWriter {
  readonly partitions: number;
  /** Resolves once every job of one flush is durable (jobId = batchId, re-writes are no-ops). */
  write(jobs: readonly EventBatchJob[]): Promise<unknown>;
}

export interface EventBatcherOptions {
  writer: JobWriter;
  /** Whether the producer connection can take commands right now (fail fast when not). */
  ready: () => boolean;
  /**
   * With no write in flight, how long the first event waits for others before its flush goes
   * out (0: the next event-loop turn). Events that arrive while a write is in flight go out the
   * moment it completes, whatever this is.
   */
  lingerMs?: number;
  /** A partition's batch is flushed at once when it holds this many events. */
  maxEvents?: number;
  /** Backstop for a Redis that accepts the connection but never answers. */
  ackTimeoutMs?: number;
  metrics?: Pick<ApiMetrics, 'flushBatchSize' | 'flushDuration' | 'ingestError'>;
  onError?: (error: unknown) => void;
}

/** The events of one partition waiting for the next flush; they share one promise. */
interface Pending {
  partition: number;
  events: GameEvent[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function pending(partition: number): Pending {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that gave up (e.g. a cancelled gRPC call) must not turn a rejection into a crash.
  done.catch(() => undefined);
  return { partition, events: [], done, resolve, reject };
}

const unavailable = () => new CoreError('UNAVAILABLE', 'the event queue is unavailable; retry');

/**
 * Groups concurrent events per partition into one job each and resolves every event's promise
 * only after Redis confirmed its job (docs/events.md, durable ack). One job carries many events because
 * a job costs the worker ≈ 0.14 ms CPU however many events it holds (STACK.md).
 */
export class EventBatcher {
  private readonly open = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private scheduled: { cancel(): void } | undefined;
  private writing = 0;
  private closed = false;
  private readonly maxEvents: number;
  private readonly ackTimeoutMs: number;
  private readonly lingerMs: number;

  constructor(private readonly options: EventBatcherOptions) {
    this.lingerMs = options.lingerMs ?? 0;
    this.maxEvents = options.maxEvents ?? 500;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
  }

  get partitions(): number {
    return this.options.writer.partitions;
  }

  /** Resolves once the event is durably queued; rejects with UNAVAILABLE otherwise. */
  submit(event: GameEvent): Promise<void> {
    if (this.closed) return Promise.reject(new CoreError('UNAVAILABLE', 'ingest is shutting down'));
    if (!this.options.ready()) {
      this.options.metrics?.ingestError('redis_unavailable');
      return Promise.reject(unavailable());
    }
    const partition = partitionOf(event.userId, this.options.writer.partitions);
    let batch = this.open.get(partition);
    if (!batch) {
      batch = pending(partition);
      this.open.set(partition, batch);
    }
    batch.events.push(event);
    if (batch.events.length >= this.maxEvents) {
      this.open.delete(partition);
      this.track(this.write([batch]));
    } else {
      this.schedule();
    }
    return batch.done;
  }

  /** All of `events`, acknowledged together: resolves when every one is queued. */
  async submitAll(events: readonly GameEvent[]): Promise<void> {
    const waits = new Set<Promise<void>>();
    for (const event of events) waits.add(this.submit(event));
    await Promise.all(waits);
  }

  /**
   * Group commit: with no write in flight the events gathered over the linger (or, without one,
   * this event-loop turn: a gRPC read of many calls yields one flush) go out together; while a
   * write is in flight new events wait for it and leave together the moment it completes
   * (track). Since a flush is one Redis call for all partitions, the linger buys fewer calls
   * and fewer gRPC answer writes per event for that much more ack latency (docs/performance.md).
   */
  private schedule(): void {
    if (this.scheduled !== undefined || this.writing > 0) return;
    if (this.lingerMs > 0) {
      const timer = setTimeout(() => void this.flush(), this.lingerMs);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(() => void this.flush());
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  /** Writes everything pending now: one job per partition, all of them in one Redis call. */
  flush(): Promise<void> {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    if (this.open.size === 0) return Promise.resolve();
    const batches = [...this.open.values()];
    this.open.clear();
    return this.track(this.write(batches));
  }

  /** Stops accepting, writes what is pending and waits for every write in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private track(write: Promise<void>): Promise<void> {
    this.writing++;
    this.inFlight.add(write);
    void write.finally(() => {
      this.inFlight.delete(write);
      this.writing--;
      // The group that gathered during this write goes out now, not a turn later.
      if (this.writing === 0 && this.open.size > 0 && !this.closed) void this.flush();
    });
    return write;
  }

  /** One write for every partition of the flush: its events are acked or refused together. */
  private async write(batches: Pending[]): Promise<void> {
    const started = performance.now();
    const metrics = this.options.metrics;
    const events = batches.reduce((n, batch) => n + batch.events.length, 0);
    const jobs = batches.map((batch): EventBatchJob => {
      metrics?.flushBatchSize.observe(batch.events.length);
      return { batchId: newBatchId(), partition: batch.partition, events: batch.events };
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMEOUT), this.ackTimeoutMs);
    });
    try {
      const outcome = await Promise.race([this.options.writer.write(jobs), timedOut]);
      if (outcome === TIMEOUT) {
        metrics?.ingestError('timeout', events);
        for (const batch of batches) batch.reject(unavailable());
      } else {
        for (const batch of batches) batch.resolve();
      }
    } catch (error) {
      metrics?.ingestError('redis_unavailable', events);
      this.options.onError?.(error);
      for (const batch of batches) batch.reject(unavailable());
    } finally {
      clearTimeout(timer);
    }
    metrics?.flushDuration.observe((performance.now() - started) / 1000);
  }
}

const TIMEOUT = Symbol('ack timeout');
