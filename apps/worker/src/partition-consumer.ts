import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.ts';
import {
  type ApplyEventsResult,
  abortableDelay,
  type EventBatch,
  parseEventJob,
} from './processors/apply-events.ts';
import { EventQueues, type QueuedJob } from './queues.ts';
import { QueueWakeUp } from './wake-up.ts';

export interface PartitionConsumerOptions {
  redis: RedisClient;
  prefix: string;
  partitions: number;
  /** A partition's lease: renewed every third of it; a dead worker's expires after this. */
  leaseMs: number;
  /** Jobs of one partition a round takes at most. */
  maxJobs: number;
  /**
   * A round starts at most this often (at once after one that found a partition full); after
   * one that found nothing, the consumer waits for a job (wake-up.ts) and lingers this long.
   */
  lingerMs: number;
  /** Applies batches in one transaction; undefined when closing came first. */
  apply: (batches: readonly EventBatch[]) => Promise<ApplyEventsResult | undefined>;
  /** Stops the rounds; the one running finishes. */
  closing: AbortSignal;
  metrics: WorkerMetrics;
  log: Logger;
  depthSampleMs?: number;
  /** Wait after a failed round, times the tries of its batch (default 1 s). */
  failureDelayMs?: number;
}

export interface PartitionConsumer {
  /** The partitions whose leases this worker holds. */
  held(): readonly number[];
  /** Finishes the running round, gives the leases back and leaves. Abort `closing` first. */
  close(): Promise<void>;
}

/** Tries of a batch that fails alone (not a database outage) before it goes to the failed jobs. */
const MAX_ATTEMPTS = 3;
/** A round that found nothing waits at least this long before the next look. */
const MIN_IDLE_MS = 10;

/** What a round found: a partition full (a backlog), some jobs, or none at all. */
type RoundOutcome = 'backlog' | 'some' | 'empty';

/**
 * The event worker's consumer: it leases partitions (a share of them: partitions ÷ live
 * workers), and in each round takes up to `maxJobs` waiting jobs of every partition it holds,
 * applies them all in ONE transaction (a player is in one partition and a partition has one
 * holder, so each player's order holds), then removes them. Exactly-once is the database's
 * (applied_event_batches): a job taken again after a crash finds its batch applied.
 * Measured reason for not using BullMQ's Worker: docs/events.md, Event worker. An idle
 * consumer blocks on the producers' markers instead of polling (wake-up.ts; not in a Cluster).
 */
export async function startPartitionConsumer(
  options: PartitionConsumerOptions,
): Promise<PartitionConsumer> {
  const { metrics, log, closing } = options;
  const queues = new EventQueues(options.redis, options.prefix, options.partitions);
  const owner = randomUUID();
  const all = Array.from({ length: options.partitions }, (_, p) => p);
  // Where this worker starts looking for free partitions: spreads takers over the partitions.
  const start = Math.floor(Math.random() * options.partitions);
  let held: number[] = [];
  let rounding = false;
  const renewEveryMs = Math.max(1, Math.floor(options.leaseMs / 3));
  const wakeUp = QueueWakeUp.create({
    redis: options.redis,
    marker: (p) => queues.marker(p),
    held: () => held,
    pollMs: Math.max(MIN_IDLE_MS, options.lingerMs),
    closing,
    log,
  });

  async function renewLeases(): Promise<void> {
    const members = await queues.members(owner, options.leaseMs);
    const share = Math.ceil(options.partitions / Math.max(1, members));
    const others = all
      .map((_, i) => (start + i) % options.partitions)
      .filter((p) => !held.includes(p));
    // Giving back between rounds only: a partition given back mid-round would be taken by
    // another worker while this one still applies its jobs (harmless, the database keeps it
    // exactly-once, but wasted work).
    const release = rounding ? 0 : Math.max(0, held.length - share);
    const before = held;
    held = await queues.leases({
      owner,
      ttlMs: options.leaseMs,
      held: before,
      others,
      budget: Math.max(0, share - before.length),
      release,
    });
    const gained = held.filter((p) => !before.includes(p));
    const lost = before.filter((p) => !held.includes(p));
    if (gained.length > 0) wakeUp?.interrupt();
    if (gained.length > 0 || lost.length > 0) {
      log.info({ gained, lost, held, workers: members }, 'partition leases changed');
    }
  }

  const failedTries = new Map<string, number>();
  let solo = false;

  /** One round: takes, applies and removes the jobs; what it found. */
  async function round(): Promise<RoundOutcome> {
    const taken = await queues.take(owner, held, options.maxJobs);
    const batches: EventBatch[] = [];
    const done: QueuedJob[] = [];
    const batchIds = new Set<string>();
    let found: RoundOutcome = 'empty';
    for (const jobs of taken.values()) {
      if (jobs.length >= options.maxJobs) found = 'backlog';
      else if (jobs.length > 0 && found === 'empty') found = 'some';
      for (const job of jobs) {
        const batch = parseEventJob(job);
        if ('problem' in batch) {
          log.error(
            { jobId: job.id, partition: job.partition, err: batch.problem },
            'event batch failed',
          );
          await queues.fail(job, batch.problem);
        } else if (batchIds.has(batch.batchId)) {
          // The same batch id again (a producer's retry): applied with the first, removed with it.
          done.push(job);
        } else {
          batchIds.add(batch.batchId);
          batches.push(batch);
          done.push(job);
        }
      }
    }
    if (batches.length === 0) return found;
    const run = solo ? batches.slice(0, 1) : batches;
    let result: ApplyEventsResult | undefined;
    try {
      result = await options.apply(run);
    } catch (error) {
      await failedRound(run, error, taken);
      return 'some';
    }
    const wasSolo = solo;
    solo = false;
    if (wasSolo) failedTries.delete(run[0]!.jobId);
    if (!result) return 'some';
    const ran = wasSolo ? done.filter((job) => job.id === run[0]!.jobId) : done;
    await queues.remove(ran).catch((error: unknown) => {
      log.warn(
        { err: error },
        'applied jobs not removed; taken again, they find their batch applied',
      );
    });
    return found;
  }

  /**
   * A round whose transaction failed for another reason than a database outage: the batches
   * are tried one at a time, and one that fails alone MAX_ATTEMPTS times goes to the failed jobs
   * (the partitions behind it go on).
   */
  async function failedRound(
    run: readonly EventBatch[],
    error: unknown,
    taken: ReadonlyMap<number, QueuedJob[]>,
  ) {
    log.error({ err: error, batchIds: run.map((b) => b.batchId) }, 'event batch failed');
    if (run.length > 1) {
      solo = true;
      return;
    }
    const batch = run[0]!;
    const tries = (failedTries.get(batch.jobId) ?? 0) + 1;
    failedTries.set(batch.jobId, tries);
    if (tries >= MAX_ATTEMPTS) {
      failedTries.delete(batch.jobId);
      const job = taken.get(batch.partition)!.find((j) => j.id === batch.jobId)!;
      await queues.fail(job, error instanceof Error ? error.message : String(error));
    }
    await abortableDelay((options.failureDelayMs ?? 1000) * tries, closing);
  }

  /** After a round that found nothing: a job, a gained partition or the renewal ends it. */
  async function idle(): Promise<void> {
    if (!wakeUp) return;
    const woken = await wakeUp.wait(held, renewEveryMs);
    // A job alone would make a batch of one: the linger lets the ones right behind it join.
    if (woken === 'marker') await abortableDelay(options.lingerMs, closing);
  }

  async function loop(): Promise<void> {
    let found: RoundOutcome | 'failed' = 'some';
    while (!closing.aborted) {
      if (found === 'empty') await idle();
      if (closing.aborted) break;
      const started = Date.now();
      found = 'empty';
      if (held.length > 0) {
        rounding = true;
        try {
          found = await round();
        } catch (error) {
          found = 'failed';
          log.warn({ err: error }, 'event round failed; the jobs stay in their queues');
        } finally {
          rounding = false;
        }
      }
      if (found === 'backlog' || (found === 'empty' && wakeUp)) continue;
      const wait = Math.max(MIN_IDLE_MS, options.lingerMs) - (Date.now() - started);
      if (wait > 0) await abortableDelay(wait, closing);
    }
  }

  await renewLeases();
  let renewal: Promise<void> | undefined;
  const leaseTimer = setInterval(() => {
    // One renewal at a time: a Redis that stalls must not pile them up (they would race on held).
    if (renewal || closing.aborted) return;
    renewal = renewLeases()
      .catch((error: unknown) => log.warn({ err: error }, 'partition leases not renewed'))
      .finally(() => {
        renewal = undefined;
      });
  }, renewEveryMs);
  const sample = async () => {
    const depths = await queues.depths().catch((error: unknown) => {
      log.debug({ err: error }, 'queue depth sample failed');
      return [];
    });
    for (const [p, depth] of depths.entries()) {
      metrics.queueDepth.set({ partition: String(p) }, depth);
    }
  };
  await sample();
  const depthTimer = setInterval(() => void sample(), options.depthSampleMs ?? 5_000);
  depthTimer.unref();
  const running = loop();

  return {
    held: () => held,
    async close() {
      await running;
      wakeUp?.close();
      clearInterval(leaseTimer);
      clearInterval(depthTimer);
      // A renewal still running could take a partition after the release below.
      await renewal;
      await queues
        .leases({
          owner,
          ttlMs: options.leaseMs,
          held,
          others: [],
          budget: 0,
          release: held.length,
        })
        .catch(() => undefined);
      held = [];
      await queues.members(owner, options.leaseMs, true).catch(() => undefined);
    },
  };
}
