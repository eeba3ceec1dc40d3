import {
  advanceLedgers,
  applyBatchToLedger,
  distinctEvents,
  EVENT_JOB_NAME,
  type EventOutcome,
  type GameEvent,
  ledgerKeysOf,
  type StatLedger,
  ZEventBatchJob,
} from '@challenges/core';
import {
  type EventBatchRef,
  isTransientDatabaseError,
  type LedgerBatchOutcome,
  type LedgerRepository,
} from '@challenges/db';
import type { Clock, DefinitionsSource } from '@challenges/runtime';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../metrics.ts';

export interface ApplyEventsDeps {
  /** Applies a batch on the stat-ledger model (docs/event-model.md). */
  ledger: Pick<LedgerRepository, 'applyLedgerBatch'>;
  definitions: DefinitionsSource;
  clock: Clock;
  metrics: WorkerMetrics;
  log: Logger;
  /** Aborted when the worker shuts down: a batch waiting for PostgreSQL gives its job back. */
  closing: AbortSignal;
  /** Backoff between attempts while PostgreSQL is unreachable. */
  retryDelayMs?: { initial: number; max: number };
  /** How many jobs of a partition one transaction takes, and the linger; defaults below. */
  batching?: Partial<BatchingOptions>;
}

export interface BatchingOptions {
  /** Jobs in one transaction at most (the active one included); 1 turns joining off. */
  maxJobs: number;
  /**
   * Before looking at the waiting jobs, the job waits until its oldest event is this old (no
   * wait once it is: a backlog runs at once), so that later jobs of its partition join it.
   */
  lingerMs: number;
}

const DEFAULT_BATCHING: BatchingOptions = { maxJobs: 64, lingerMs: 50 };

/** A waiting job as the processor reads it: no BullMQ Job object, which needs a read of its own. */
export interface WaitingJob {
  id: string;
  name: string;
  /** The parsed payload (undefined when the job has none). */
  data: unknown;
}

/**
 * The jobs waiting behind the active one of its partition queue. The partition's global
 * concurrency of 1 keeps them waiting while the active job runs, so they can join its
 * transaction and be removed once it has committed.
 */
export interface WaitingJobs {
  /** Up to `limit` waiting jobs, oldest first. */
  peek(limit: number): Promise<WaitingJob[]>;
  /** Removes jobs whose batches committed with the active one (best effort: a job left
   * behind finds its batch applied and completes without a change). */
  remove(ids: readonly string[]): Promise<void>;
}

/** Refusals for stale definitions in a row before the job fails (each one reloads them). */
const MAX_STALE_REFUSALS = 5;

export interface ApplyEventsResult {
  batchId: string;
  outcome: LedgerBatchOutcome['kind'];
  /** Events of this job and the joined ones. */
  events: number;
  /** Rows the transaction wrote: ledger rows plus goal rows. */
  written: number;
  /** Batch ids of the later jobs applied in the same transaction. */
  joined: string[];
}

interface Batch extends EventBatchRef {
  events: GameEvent[];
  /** Events as sent, repeats included. */
  size: number;
  /** When ingest received the batch's first event (epoch ms). */
  oldestReceivedAt: number;
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
 * The processor of event jobs (EVENT_JOB_NAME). The jobs waiting behind it in its partition (up
 * to `maxJobs`, looked at once its oldest event is `lingerMs` old) join its transaction, in queue order;
 * after the commit they are removed from the queue. A transient database error is retried inside the
 * job, so the partition's later batches keep waiting behind it (BullMQ's own retry would move
 * the job to the delayed set and let them overtake it). On shutdown such a job goes back to the
 * head of its queue (RateLimitError) instead of failing.
 */
export function createApplyEventsProcessor(deps: ApplyEventsDeps) {
  const { metrics, log } = deps;
  const delays = deps.retryDelayMs ?? { initial: 100, max: 2_000 };
  const batching = { ...DEFAULT_BATCHING, ...deps.batching };

  /** The later jobs that join this one: valid event jobs, in queue order, up to the bound. */
  async function joinable(
    own: Batch,
    waiting: WaitingJobs | undefined,
  ): Promise<{ job: WaitingJob; batch: Batch }[]> {
    if (!waiting || batching.maxJobs <= 1) return [];
    // The cost of a batch is mostly per transaction (round trips to Redis and PostgreSQL), and
    // at a steady rate over 8 partitions a job rarely has another waiting behind it: waiting
    // until the oldest event is lingerMs old, then looking once, grows the batch while bounding
    // what the wait adds to event → visible (docs/performance.md, the linger curve).
    const wait = batching.lingerMs - (Date.now() - own.oldestReceivedAt);
    if (wait > 0) await abortableDelay(Math.min(wait, batching.lingerMs), deps.closing);
    // A Redis error here must not fail the job: its retry would be delayed, and later jobs of
    // the partition would overtake it. Without a look at the queue it runs alone.
    const jobs = await waiting.peek(batching.maxJobs - 1).catch((error: unknown) => {
      log.warn({ err: error }, 'could not read the waiting jobs; the job runs alone');
      return [];
    });
    const joined: { job: WaitingJob; batch: Batch }[] = [];
    const ids = new Set([own.batchId]);
    for (const job of jobs) {
      const parsed = job.name === EVENT_JOB_NAME ? ZEventBatchJob.safeParse(job.data) : undefined;
      // An odd job fails on its own, a repeated batch id finds its batch applied on its own;
      // the jobs behind either wait for their turn (order).
      if (!parsed?.success || ids.has(parsed.data.batchId)) break;
      ids.add(parsed.data.batchId);
      joined.push({ job, batch: toBatch(parsed.data.batchId, parsed.data.events) });
    }
    return joined;
  }

  return async (job: Job, waiting?: WaitingJobs): Promise<ApplyEventsResult> => {
    const parsed = ZEventBatchJob.safeParse(job.data);
    if (!parsed.success) {
      const problem = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new UnrecoverableError(`invalid ${EVENT_JOB_NAME} payload: ${problem}`);
    }
    const { batchId } = parsed.data;
    const started = performance.now();
    const own = toBatch(batchId, parsed.data.events);
    const joined = await joinable(own, waiting);
    const batches = [own, ...joined.map((j) => j.batch)];
    const { events, repeats } = distinctEvents(batches.flatMap((batch) => batch.events));
    const size = batches.reduce((sum, batch) => sum + batch.size, 0);

    for (let attempt = 1, delay = delays.initial, stale = 0; ; attempt++) {
      // Read per attempt: a publish or clock change while PostgreSQL was away applies on retry.
      const definitions = deps.definitions.current();
      const definitionsVersion = deps.definitions.version();
      const now = deps.clock.now();
      let fresh: GameEvent[] = [];
      let ledgers: ReadonlyMap<string, StatLedger> = new Map();
      let outcomes: EventOutcome[] = [];
      try {
        const outcome = await deps.ledger.applyLedgerBatch({
          batchId,
          definitionsVersion,
          eventIds: own.eventIds,
          joined: joined.map(({ batch }) => ({ batchId: batch.batchId, eventIds: batch.eventIds })),
          // Every key the batches name (locking a key only a repeated event names is harmless).
          ledgerKeys: ledgerKeysOf(events, definitions),
          now,
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
            return effects;
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
            { batchId, definitionsVersion, liveVersion: outcome.liveVersion },
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
            { batchIds: before.map((batch) => batch.batchId), jobId: job.id },
            'batch was applied before; nothing to do',
          );
        }
        if (outcome.kind === 'applied') {
          const newSize = batches
            .filter((batch) => applied.has(batch.batchId))
            .reduce((sum, batch) => sum + batch.size, 0);
          record(metrics, fresh, outcomes);
          if (newSize > fresh.length) metrics.deduplicated.inc(newSize - fresh.length);
        }
        if (joined.length > 0 && waiting) {
          await waiting.remove(joined.map((j) => j.job.id)).catch((error: unknown) => {
            log.warn(
              { err: error, jobId: job.id },
              'joined jobs not removed; they find their batch applied',
            );
          });
        }
        metrics.batchSize.observe(size);
        metrics.jobsPerBatch.observe(batches.length);
        metrics.applyDuration.observe((performance.now() - started) / 1000);
        return {
          batchId,
          outcome: outcome.kind,
          events: size,
          written: outcome.kind === 'applied' ? outcome.written + outcome.ledgersWritten : 0,
          joined: joined.map(({ batch }) => batch.batchId),
        };
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        metrics.retries.inc();
        if (deps.closing.aborted) throw Worker.RateLimitError();
        log.warn(
          { err: error, batchId, joined: joined.length, attempt, retryInMs: delay, repeats },
          'database unavailable; retrying the batch (its partition waits)',
        );
        await abortableDelay(delay, deps.closing);
        if (deps.closing.aborted) throw Worker.RateLimitError();
        delay = Math.min(delays.max, delay * 2);
      }
    }
  };
}

function toBatch(batchId: string, all: readonly GameEvent[]): Batch {
  const { events } = distinctEvents(all);
  let oldestReceivedAt = Number.POSITIVE_INFINITY;
  for (const event of all) oldestReceivedAt = Math.min(oldestReceivedAt, event.receivedAt);
  return {
    batchId,
    eventIds: events.map((event) => event.id),
    events,
    size: all.length,
    oldestReceivedAt,
  };
}
