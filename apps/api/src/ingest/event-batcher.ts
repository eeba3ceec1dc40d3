import { randomUUID } from 'node:crypto';
import {
  CoreError,
  EVENT_JOB_NAME,
  type EventBatchJob,
  type GameEvent,
  partitionOf,
} from '@challenges/core';
import type { ApiMetrics } from '../metrics/metrics.ts';

/** What the batcher needs from a queue: BullMQ's Queue.add fits. */
export interface JobSink {
  add(name: string, data: EventBatchJob, opts: { jobId: string }): Promise<unknown>;
}

export interface EventBatcherOptions {
  /** One sink per partition, index = partition. */
  sinks: readonly JobSink[];
  /** Whether the producer connection can take commands right now (fail fast when not). */
  ready: () => boolean;
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
  private scheduled: NodeJS.Immediate | undefined;
  private writing = 0;
  private closed = false;
  private readonly maxEvents: number;
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: EventBatcherOptions) {
    this.maxEvents = options.maxEvents ?? 500;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
  }

  get partitions(): number {
    return this.options.sinks.length;
  }

  /** Resolves once the event is durably queued; rejects with UNAVAILABLE otherwise. */
  submit(event: GameEvent): Promise<void> {
    if (this.closed) return Promise.reject(new CoreError('UNAVAILABLE', 'ingest is shutting down'));
    if (!this.options.ready()) {
      this.options.metrics?.ingestError('redis_unavailable');
      return Promise.reject(unavailable());
    }
    const partition = partitionOf(event.userId, this.options.sinks.length);
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
   * Group commit, no linger: with no write in flight the events of this event-loop turn go out
   * on the next (setImmediate: a gRPC read of many calls yields one flush), so an ack costs
   * about one Redis round trip; while a write is in flight new events wait for it and leave
   * together the moment it completes (track). A fixed window (2 ms before) added its length to
   * every ack and, at 500 events/s over 8 partitions, seldom put two events in one job anyway.
   */
  private schedule(): void {
    if (this.scheduled !== undefined || this.writing > 0) return;
    this.scheduled = setImmediate(() => void this.flush());
  }

  /** Writes everything pending now (one job per partition, all sent without waiting in between). */
  flush(): Promise<void> {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
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

  private async write(batches: Pending[]): Promise<void> {
    const started = performance.now();
    const metrics = this.options.metrics;
    // One backstop timer per flush, not one per job.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMEOUT), this.ackTimeoutMs);
    });
    await Promise.all(
      batches.map(async (batch) => {
        const batchId = randomUUID();
        const job: EventBatchJob = { batchId, partition: batch.partition, events: batch.events };
        metrics?.flushBatchSize.observe(batch.events.length);
        try {
          const outcome = await Promise.race([
            // jobId = batchId: a re-add of the same job after a lost reply is a no-op in BullMQ.
            this.options.sinks[batch.partition]!.add(EVENT_JOB_NAME, job, { jobId: batchId }),
            timedOut,
          ]);
          if (outcome === TIMEOUT) {
            metrics?.ingestError('timeout', batch.events.length);
            batch.reject(unavailable());
          } else {
            batch.resolve();
          }
        } catch (error) {
          metrics?.ingestError('redis_unavailable', batch.events.length);
          this.options.onError?.(error);
          batch.reject(unavailable());
        }
      }),
    );
    clearTimeout(timer);
    metrics?.flushDuration.observe((performance.now() - started) / 1000);
  }
}

const TIMEOUT = Symbol('ack timeout');
