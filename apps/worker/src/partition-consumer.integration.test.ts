import { EVENT_JOB_NAME, eventQueueName, partitionOf } from '@challenges/core';
import { capturingLogger } from '@challenges/runtime/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from './metrics.ts';
import { type PartitionConsumer, startPartitionConsumer } from './partition-consumer.ts';
import type { ApplyEventsResult, EventBatch } from './processors/apply-events.ts';
import { REDIS_URL, statEvent, TestProducer, uniquePrefix, waitFor } from './testing/harness.ts';

// The consumer's own rules against the real Redis: leases and their sharing, rounds, failed
// jobs. The transaction is a recording function here; the worker's tests apply for real.

const PARTITIONS = 4;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A consumer whose transaction records the batch ids of each round (or throws for `poison`). */
async function consumer(
  prefix: string,
  options: { poison?: string; leaseMs?: number; lingerMs?: number } = {},
) {
  const closing = new AbortController();
  const { log, lines } = capturingLogger();
  const rounds: string[][] = [];
  const c: PartitionConsumer = await startPartitionConsumer({
    // Named: the wake-up's connection (a duplicate) carries the name into CLIENT LIST.
    redis: new Redis(REDIS_URL, { maxRetriesPerRequest: null, connectionName: prefix }),
    prefix,
    partitions: PARTITIONS,
    leaseMs: options.leaseMs ?? 600,
    maxJobs: 64,
    lingerMs: options.lingerMs ?? 10,
    failureDelayMs: 10,
    closing: closing.signal,
    metrics: createWorkerMetrics(),
    log,
    async apply(batches: readonly EventBatch[]): Promise<ApplyEventsResult> {
      const batchIds = batches.map((b) => b.batchId);
      if (options.poison && batchIds.includes(options.poison)) throw new Error('poisoned');
      rounds.push(batchIds);
      return { outcome: 'applied', events: batchIds.length, written: 0, batchIds };
    },
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    closing.abort();
    await c.close();
  };
  cleanup.push(close);
  return { c, rounds, lines, close, applied: () => rounds.flat() };
}

function producer(prefix: string) {
  const p = new TestProducer(prefix, PARTITIONS);
  cleanup.push(() => p.close({ obliterate: true }));
  return p;
}

const sorted = (xs: readonly number[]) => [...xs].sort();

describe('partition consumer', () => {
  it('shares the partitions between live consumers; a closed one hands its share over', async () => {
    const prefix = uniquePrefix('share');
    const a = await consumer(prefix);
    expect(sorted(a.c.held())).toEqual([0, 1, 2, 3]);
    const b = await consumer(prefix);
    await waitFor('half each', () => a.c.held().length === 2 && b.c.held().length === 2);
    expect(sorted([...a.c.held(), ...b.c.held()])).toEqual([0, 1, 2, 3]);
    await a.close();
    await waitFor('b holds all', () => b.c.held().length === PARTITIONS, 5_000);
  });

  it('takes over the partitions of a consumer that stopped renewing once its leases expire', async () => {
    const prefix = uniquePrefix('takeover');
    const redis = new Redis(REDIS_URL);
    cleanup.push(async () => redis.disconnect());
    // A dead worker's leases: nobody renews them.
    for (let p = 0; p < PARTITIONS; p++) {
      await redis.set(`${prefix}:${eventQueueName(p)}:lease`, 'dead', 'PX', 800);
    }
    const send = producer(prefix);
    const ids = await send.send([statEvent('u1', 'kills'), statEvent('u2', 'kills')]);
    const started = Date.now();
    const c = await consumer(prefix);
    expect(c.c.held()).toEqual([]);
    await waitFor('taken over and applied', () => c.applied().length === ids.length, 5_000);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(sorted(c.applied().map((id) => ids.indexOf(id)))).toEqual([0, 1]);
    expect(await send.pending()).toBe(0);
  });

  it('applies the jobs of all its partitions in one round, each partition in queue order', async () => {
    const prefix = uniquePrefix('round');
    const send = producer(prefix);
    const lists = [1, 2, 3, 4, 5].map(() => [statEvent('u1', 'kills')]);
    for (let i = 2; i < 12; i++) lists.push([statEvent(`u${i}`, 'kills')]);
    const ids = await send.sendTogether(lists);
    const c = await consumer(prefix);
    await waitFor('applied', () => c.applied().length === ids.length);
    expect(c.rounds).toHaveLength(1);
    expect(new Set(ids.map((_, i) => partitionOf(`u${i < 5 ? 1 : i - 3}`, PARTITIONS))).size).toBe(
      PARTITIONS,
    );
    // u1's five jobs in the order sent, wherever the others are.
    const u1 = ids.slice(0, 5);
    expect(c.rounds[0]!.filter((id) => u1.includes(id))).toEqual(u1);
    expect(await send.pending()).toBe(0);
  });

  it('moves an invalid job to the failed jobs with its reason and applies the ones around it', async () => {
    const prefix = uniquePrefix('invalid');
    const send = producer(prefix);
    const p = partitionOf('u1', PARTITIONS);
    const before = await send.send([statEvent('u1', 'kills')]);
    const bad = await send.addRaw(p, { batchId: 'x', partition: p, events: 'no' });
    const other = await send.queues[p]!.add('other.v1', {});
    const after = await send.send([statEvent('u1', 'kills')]);
    const c = await consumer(prefix);
    await waitFor('applied', () => c.applied().length === 2);
    expect(c.applied()).toEqual([...before, ...after]);
    const failed = await send.queues[p]!.getFailed();
    expect(failed.map((job) => [job.id, job.failedReason, job.attemptsMade]).sort()).toEqual(
      [
        [bad, expect.stringMatching(/^invalid events\.apply\.v1 payload: events: /), 1],
        [other.id, "unknown job name 'other.v1'", 1],
      ].sort(),
    );
    expect(await send.queues[p]!.getJobCounts('wait')).toEqual({ wait: 0 });
    expect(c.lines.filter((l) => l.msg === 'event batch failed')).toHaveLength(2);
  });

  it('tries the batches of a failed round one at a time; one that keeps failing goes to the failed jobs', async () => {
    const prefix = uniquePrefix('poison');
    const send = producer(prefix);
    const first = await send.send([statEvent('u1', 'kills')]);
    const p = partitionOf('u1', PARTITIONS);
    await send.queues[p]!.add(EVENT_JOB_NAME, {
      batchId: 'poison',
      partition: p,
      events: [statEvent('u1', 'kills')],
    });
    const rest = await send.sendTogether([[statEvent('u1', 'kills')], [statEvent('u9', 'kills')]]);
    const c = await consumer(prefix, { poison: 'poison' });
    await waitFor('the others applied', () => c.applied().length === 3, 5_000);
    expect([...c.applied()].sort()).toEqual([...first, ...rest].sort());
    const failed = (await Promise.all(send.queues.map((q) => q.getFailed()))).flat();
    expect(
      failed.map((job) => [(job.data as { batchId: string }).batchId, job.failedReason]),
    ).toEqual([['poison', 'poisoned']]);
    expect(await send.pending()).toBe(0);
  });

  it('woken from its idle wait by a job, lingers so that the jobs right behind it join the round', async () => {
    const prefix = uniquePrefix('wake');
    const send = producer(prefix);
    const c = await consumer(prefix, { lingerMs: 400, leaseMs: 30_000 });
    const probe = new Redis(REDIS_URL);
    cleanup.push(async () => probe.disconnect());
    await waitFor('the consumer blocked on its markers', async () =>
      String(await probe.client('LIST'))
        .split('\n')
        .some((line) => line.includes(`name=${prefix} `) && line.includes('cmd=bzpopmin')),
    );
    const first = await send.send([statEvent('u1', 'kills')]);
    const behind = await send.send([statEvent('u2', 'kills')]);
    await waitFor('applied', () => c.applied().length === 2, 5_000);
    expect(c.rounds).toHaveLength(1);
    expect([...c.rounds[0]!].sort()).toEqual([...first, ...behind].sort());
  });
});
