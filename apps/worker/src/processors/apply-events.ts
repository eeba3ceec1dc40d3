import {
  advanceLedgers,
  applyBatchToLedger,
  batchWebhookEvents,
  definitionsAt,
  distinctEvents,
  EVENT_JOB_NAME,
  type EventOutcome,
  endedGoalIds,
  type GameEvent,
  isPlainEventBatchJob,
  ledgerKeysOf,
  type StatLedger,
  type TWebhookEventType,
  ZEventBatchJob,
} from '@challenges/core';
import {
  type EventBatchRef,
  isTransientDatabaseError,
  type LedgerBatchOutcome,
  type LedgerRepository,
} from '@challenges/db';
import type { Clock, DefinitionsSource } from '@challenges/runtime';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../metrics.ts';
import type { QueuedJob } from '../queues.ts';

export interface ApplyEventsDeps {
  /** Applies a batch on the stat-ledger model (docs/event-model.md). */
  ledger: Pick<LedgerRepository, 'applyLedgerBatch'>;
  definitions: DefinitionsSource;
  clock: Clock;
  metrics: WorkerMetrics;
  log: Logger;
  /** Aborted when the worker shuts down: batches waiting for PostgreSQL stay in their queues. */
  closing: AbortSignal;
  /** Goal event types some webhook subscribes to (cached): none → no outbox work at all. */
  webhookTypes?: () => ReadonlySet<TWebhookEventType>;
  /** Backoff between attempts while PostgreSQL is unreachable. */
  retryDelayMs?: { initial: number; max: number };
  /** Called after a commit with the players whose events it applied (push to streams, docs/push.md). */
  onApplied?: (userIds: ReadonlySet<string>) => void;
}

/** Refusals for stale definitions in a row before the job fails (each one reloads them). */
const MAX_STALE_REFUSALS = 5;

export interface ApplyEventsResult {
  outcome: LedgerBatchOutcome['kind'];
  /** Events of all the batches, repeats included. */
  events: number;
  /** Rows the transaction wrote: ledger rows plus goal rows. */
  written: number;
  /** The batch ids, in the order applied. */
  batchIds: string[];
}

/** A valid event job, ready to apply. */
export interface EventBatch extends EventBatchRef {
  /** The queue's job id (ingest's is the batch id; a job added by hand has its own). */
  jobId: string;
  partition: number;
  events: GameEvent[];
  /** Events as sent, repeats included. */
  size: number;
}

/** A job's batch, or why it can never be applied (it goes to the failed jobs). */
export function parseEventJob(job: QueuedJob): EventBatch | { problem: string } {
  // Other job names on these queues would be a producer bug; never guess what they mean.
  if (job.name !== EVENT_JOB_NAME) return { problem: `unknown job name '${job.name}'` };
  // Ingest's jobs pass the plain check; zod decides (and explains) the rest.
  const parsed = isPlainEventBatchJob(job.data)
    ? { success: true as const, data: job.data }
    : ZEventBatchJob.safeParse(job.data);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return { problem: `invalid ${EVENT_JOB_NAME} payload: ${problem}` };
  }
  const { events } = distinctEvents(parsed.data.events);
  return {
    jobId: job.id,
    partition: job.partition,
    batchId: parsed.data.batchId,
    eventIds: events.map((event) => event.id),
    events,
    size: parsed.data.events.length,
  };
}

export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
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

function recordPartitionLag(metrics: WorkerMetrics, batches: readonly EventBatch[]): void {
  const now = Date.now();
  for (const batch of batches) {
    const oldest = batch.events.reduce((min, e) => Math.min(min, e.receivedAt), now);
    const worst = metrics.liveLagByPartition.get(batch.partition) ?? 0;
    metrics.liveLagByPartition.set(batch.partition, Math.max(worst, now - oldest));
  }
}

/**
 * Applies batches — of any partitions, each partition's in queue order, distinct batch ids — in
 * one transaction. A transient database error is retried here, so that the batches keep their
 * place at the head of their queues (nothing overtakes them). Resolves with undefined when the
 * worker closes before the batches could be applied: they stay in their queues.
 */
export function createApplyEventsProcessor(deps: ApplyEventsDeps) {
  const { metrics, log } = deps;
  const delays = deps.retryDelayMs ?? { initial: 100, max: 2_000 };

  return async (batches: readonly EventBatch[]): Promise<ApplyEventsResult | undefined> => {
    const [first, ...joined] = batches;
    if (!first) throw new Error('no batch to apply');
    const started = performance.now();
    const { events, repeats } = distinctEvents(batches.flatMap((batch) => batch.events));
    const size = batches.reduce((sum, batch) => sum + batch.size, 0);
    const batchIds = batches.map((batch) => batch.batchId);

    for (let attempt = 1, delay = delays.initial, stale = 0; ; attempt++) {
      // Read per attempt: a publish or clock change while PostgreSQL was away applies on retry.
      const now = deps.clock.now();
      // Schedules: goals before their window are unknown here, ended ones are frozen.
      const definitions = definitionsAt(deps.definitions.current(), now);
      const definitionsVersion = deps.definitions.version();
      let fresh: GameEvent[] = [];
      let ledgers: ReadonlyMap<string, StatLedger> = new Map();
      let outcomes: EventOutcome[] = [];
      try {
        const outcome = await deps.ledger.applyLedgerBatch({
          batchId: first.batchId,
          definitionsVersion,
          eventIds: first.eventIds,
          joined: joined.map((batch) => ({ batchId: batch.batchId, eventIds: batch.eventIds })),
          // Every key the batches name (locking a key only a repeated event names is harmless).
          ledgerKeys: ledgerKeysOf(events, definitions),
          now,
          endedGoalIds: endedGoalIds(definitions),
          advance: (freshIds, locked) => {
            fresh =
              freshIds.size === events.length ? events : events.filter((e) => freshIds.has(e.id));
            ledgers = locked;
            return [...advanceLedgers({ events: fresh, ledgers, definitions, now }).values()];
          },
          apply: (candidates, activeKeys) => {
            const effects = applyBatchToLedger({
              events: fresh,
              ledgers,
              candidates,
              activeKeys,
              definitions,
              now,
            });
            outcomes = effects.outcomes;
            const types = deps.webhookTypes?.();
            if (!types || types.size === 0) return effects;
            const outbox = batchWebhookEvents({
              candidates,
              changed: effects.changed,
              ledgers,
              definitions,
              types,
              now,
            });
            return { ...effects, outbox };
          },
        });
        if (outcome.kind === 'stale_definitions') {
          // A publish switched the live definitions (and re-anchored rows) after this worker
          // loaded its own: nothing was written; load the live ones and apply the batch again.
          if (++stale > MAX_STALE_REFUSALS) {
            throw new Error(
              `definitions version ${definitionsVersion} refused ${stale} times in a row (live: ${outcome.liveVersion ?? 'none'}); the worker cannot load the live definitions`,
            );
          }
          log.info(
            { batchIds, definitionsVersion, liveVersion: outcome.liveVersion },
            'definitions changed since they were loaded; reloading and applying the batch again',
          );
          await deps.definitions.refresh();
          continue;
        }
        const applied = outcome.kind === 'applied' ? outcome.batches : new Set<string>();
        const before = batches.filter((batch) => !applied.has(batch.batchId));
        if (before.length > 0) {
          const n = before.reduce((sum, batch) => sum + batch.size, 0);
          metrics.skipped.inc({ reason: 'batch_already_applied' }, n);
          log.info(
            { batchIds: before.map((batch) => batch.batchId) },
            'batch was applied before; nothing to do',
          );
        }
        if (outcome.kind === 'applied') {
          const newBatches = batches.filter((batch) => applied.has(batch.batchId));
          const newSize = newBatches.reduce((sum, batch) => sum + batch.size, 0);
          record(metrics, fresh, outcomes);
          recordPartitionLag(metrics, newBatches);
          if (newSize > fresh.length) metrics.deduplicated.inc(newSize - fresh.length);
          if (deps.onApplied && fresh.length > 0) {
            deps.onApplied(new Set(fresh.map((event) => event.userId)));
          }
        }
        metrics.batchSize.observe(size);
        metrics.jobsPerBatch.observe(batches.length);
        metrics.applyDuration.observe((performance.now() - started) / 1000);
        return {
          outcome: outcome.kind,
          events: size,
          written: outcome.kind === 'applied' ? outcome.written + outcome.ledgersWritten : 0,
          batchIds,
        };
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        metrics.retries.inc();
        if (deps.closing.aborted) return undefined;
        log.warn(
          { err: error, batchIds, attempt, retryInMs: delay, repeats },
          'database unavailable; retrying the batch (its partitions wait)',
        );
        await abortableDelay(delay, deps.closing);
        if (deps.closing.aborted) return undefined;
        delay = Math.min(delays.max, delay * 2);
      }
    }
  };
}
