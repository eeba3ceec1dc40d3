import {
  applyEvents,
  distinctEvents,
  EVENT_JOB_NAME,
  type EventOutcome,
  type GameEvent,
  targetKeys,
  ZEventBatchJob,
} from '@challenges/core';
import {
  type EventBatchOutcome,
  type EventRepository,
  isTransientDatabaseError,
} from '@challenges/db';
import type { Clock, DefinitionsSource } from '@challenges/runtime';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../metrics.ts';

export interface ApplyEventsDeps {
  events: EventRepository;
  definitions: DefinitionsSource;
  clock: Clock;
  metrics: WorkerMetrics;
  log: Logger;
  /** Aborted when the worker shuts down: a batch waiting for PostgreSQL gives its job back. */
  closing: AbortSignal;
  /** Backoff between attempts while PostgreSQL is unreachable. */
  retryDelayMs?: { initial: number; max: number };
}

export interface ApplyEventsResult {
  batchId: string;
  outcome: EventBatchOutcome['kind'];
  events: number;
  written: number;
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function record(
  metrics: WorkerMetrics,
  events: readonly GameEvent[],
  outcomes: readonly EventOutcome[],
): void {
  const counts = new Map<EventOutcome, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  for (const [outcome, n] of counts) {
    if (outcome === 'applied') metrics.applied.inc(n);
    else if (outcome === 'deduplicated') metrics.deduplicated.inc(n);
    else metrics.skipped.inc({ reason: outcome }, n);
  }
  const now = Date.now();
  for (const event of events) metrics.lag.observe(Math.max(0, now - event.receivedAt) / 1000);
}

/**
 * The processor of event jobs (EVENT_JOB_NAME). A transient database error is retried inside the
 * job, so the partition's later batches keep waiting behind it (BullMQ's own retry would move
 * the job to the delayed set and let them overtake it). On shutdown such a job goes back to the
 * head of its queue (RateLimitError) instead of failing.
 */
export function createApplyEventsProcessor(deps: ApplyEventsDeps) {
  const { metrics, log } = deps;
  const delays = deps.retryDelayMs ?? { initial: 100, max: 2_000 };

  return async (job: Job): Promise<ApplyEventsResult> => {
    const parsed = ZEventBatchJob.safeParse(job.data);
    if (!parsed.success) {
      const problem = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new UnrecoverableError(`invalid ${EVENT_JOB_NAME} payload: ${problem}`);
    }
    const { batchId, events: all } = parsed.data;
    const started = performance.now();
    const { events, repeats } = distinctEvents(all);
    const eventIds = events.map((event) => event.id);

    for (let attempt = 1, delay = delays.initial; ; attempt++) {
      // Read per attempt: a publish or clock change while PostgreSQL was away applies on retry.
      const definitions = deps.definitions.current();
      const now = deps.clock.now();
      let fresh: GameEvent[] = [];
      let outcomes: EventOutcome[] = [];
      try {
        const outcome = await deps.events.applyEventBatch({
          batchId,
          eventIds,
          keys: (freshIds) => {
            fresh =
              freshIds.size === events.length ? events : events.filter((e) => freshIds.has(e.id));
            return targetKeys(fresh, definitions);
          },
          apply: (rows) => {
            const effects = applyEvents({ events: fresh, rows, definitions, now });
            outcomes = effects.outcomes;
            return effects.changed;
          },
        });
        if (outcome.kind === 'already_applied') {
          metrics.skipped.inc({ reason: 'batch_already_applied' }, all.length);
          log.info({ batchId, jobId: job.id }, 'batch was applied before; nothing to do');
        } else {
          const dropped = all.length - fresh.length;
          record(metrics, fresh, outcomes);
          if (dropped > 0) metrics.deduplicated.inc(dropped);
        }
        metrics.batchSize.observe(all.length);
        metrics.applyDuration.observe((performance.now() - started) / 1000);
        return {
          batchId,
          outcome: outcome.kind,
          events: all.length,
          written: outcome.kind === 'applied' ? outcome.written : 0,
        };
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        metrics.retries.inc();
        if (deps.closing.aborted) throw Worker.RateLimitError();
        log.warn(
          { err: error, batchId, attempt, retryInMs: delay, repeats },
          'database unavailable; retrying the batch (its partition waits)',
        );
        await abortableDelay(delay, deps.closing);
        if (deps.closing.aborted) throw Worker.RateLimitError();
        delay = Math.min(delays.max, delay * 2);
      }
    }
  };
}
