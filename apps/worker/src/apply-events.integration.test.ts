import { partitionOf } from '@challenges/core';
import { clockKeys } from '@challenges/runtime';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';
import { type RunningWorker, startWorker } from './start-worker.ts';
import {
  loginEvent,
  REDIS_URL,
  statEvent,
  TestProducer,
  TestStore,
  uniquePrefix,
  waitFor,
} from './testing/harness.ts';

const PARTITIONS = 4;
const prefix = uniquePrefix('apply');
let store: TestStore;
let producer: TestProducer;
let worker: RunningWorker;
let redis: Redis;
let userSeq = 0;
const newUser = () => `player-${++userSeq}`;

beforeAll(async () => {
  store = await TestStore.create();
  producer = new TestProducer(prefix, PARTITIONS);
  redis = new Redis(REDIS_URL);
  worker = await startWorker(
    parseEnv({
      DATABASE_URL: store.db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: String(PARTITIONS),
      WORKER_METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      CHALLENGES_FILE: store.challengesFile,
      QA_CLOCK: 'enabled',
      LOG_LEVEL: 'silent',
    }),
    pino({ level: 'silent' }),
  );
});
afterAll(async () => {
  await worker?.close();
  await producer?.close({ obliterate: true });
  await redis?.del(clockKeys(prefix).key);
  redis?.disconnect();
  await store?.close();
});

/** Sends one batch per call and waits until the worker has committed all of them. */
async function sendAll(...batches: Parameters<TestProducer['send']>[0][]): Promise<void> {
  const before = await store.appliedBatches();
  let jobs = 0;
  for (const events of batches) jobs += (await producer.send(events)).length;
  await waitFor('batches applied', async () => (await store.appliedBatches()) >= before + jobs);
}

async function setClockOffset(seconds: number): Promise<void> {
  const { key, channel } = clockKeys(prefix);
  await redis.set(key, String(seconds));
  await redis.publish(channel, String(seconds));
  await waitFor('worker clock moved', () => worker.clock.offsetSeconds() === seconds);
}

describe('progress modes', () => {
  it('absolute: progress follows the value, may go down, completion is sticky', async () => {
    const u = newUser();
    await store.assign(u, ['abs-score']);
    await sendAll([statEvent(u, 'score', { value: 4 })]);
    expect(await store.row(u, 'abs-score')).toMatchObject({ progress: 4, status: 'in_progress' });
    await sendAll([statEvent(u, 'score', { value: 12 }), statEvent(u, 'score', { value: 3 })]);
    const row = await store.row(u, 'abs-score');
    expect(row).toMatchObject({ progress: 3, status: 'completed' });
    expect(row?.completedAt).not.toBeNull();
  });

  it('relative: the first event fixes the baseline (before its own increment)', async () => {
    const u = newUser();
    await store.assign(u, ['rel-coins']);
    await sendAll([statEvent(u, 'coins', { value: 500, inc: 20 })]);
    expect(await store.row(u, 'rel-coins')).toMatchObject({ progress: 20, baseline: 480 });
    await sendAll([statEvent(u, 'coins', { value: 590 }), statEvent(u, 'coins', { value: 600 })]);
    expect(await store.row(u, 'rel-coins')).toMatchObject({ progress: 120, status: 'completed' });
  });

  it('increment: +inc when given, +1 without', async () => {
    const u = newUser();
    await store.assign(u, ['inc-kills']);
    await sendAll([statEvent(u, 'kills', { inc: 2 }), statEvent(u, 'kills', { value: 77 })]);
    expect(await store.row(u, 'inc-kills')).toMatchObject({ progress: 3, status: 'in_progress' });
    await sendAll([statEvent(u, 'kills', { value: 1, inc: 2 })]);
    expect(await store.row(u, 'inc-kills')).toMatchObject({ progress: 5, status: 'completed' });
  });

  it('login fans out to login goals only; legacy daily completes on the first login', async () => {
    const u = newUser();
    await store.assign(u, ['legacy-daily-login', 'login-3', 'abs-score', 'inc-kills']);
    await sendAll([loginEvent(u), loginEvent(u)]);
    expect(await store.row(u, 'legacy-daily-login')).toMatchObject({
      progress: 1,
      status: 'completed',
    });
    expect(await store.progressOf(u, 'login-3')).toBe(2);
    expect(await store.row(u, 'abs-score')).toMatchObject({ progress: 0, status: 'not_started' });
    expect(await store.progressOf(u, 'inc-kills')).toBe(0);
  });
});

describe('rotation and daily increments follow the (QA) service clock', () => {
  it('daily increment counts once per day; a rotated goal starts its new period', async () => {
    const u = newUser();
    await store.assign(u, ['daily-inc-matches', 'rot-wins']);
    await sendAll([
      statEvent(u, 'matches', { value: 1 }),
      statEvent(u, 'matches', { value: 2 }),
      statEvent(u, 'wins', { inc: 3 }),
    ]);
    expect(await store.progressOf(u, 'daily-inc-matches')).toBe(1);
    const before = await store.row(u, 'rot-wins');
    expect(before?.progress).toBe(3);

    await setClockOffset(86_400);
    try {
      await sendAll([statEvent(u, 'matches', { value: 3 }), statEvent(u, 'wins', { inc: 1 })]);
      expect(await store.progressOf(u, 'daily-inc-matches')).toBe(2);
      const after = await store.row(u, 'rot-wins');
      expect(after).toMatchObject({ progress: 1, status: 'in_progress' });
      expect(after?.periodKey).not.toBe(before?.periodKey);
      expect(after!.expiresAt!.getTime() - before!.expiresAt!.getTime()).toBe(86_400_000);
    } finally {
      await setClockOffset(0);
    }
  });
});

describe('rows events must not touch', () => {
  it('leaves inactive, unassigned and claimed goals alone and never creates rows', async () => {
    const u = newUser();
    await store.assign(u, ['abs-score']);
    await store.assign(u, ['inc-kills'], { isActive: false });
    await store.assign(u, ['claim-me']);
    await store.progress.saveRotated([
      {
        ...(await store.row(u, 'claim-me'))!,
        progress: 1,
        status: 'claimed',
        claimedAt: new Date(),
      },
    ]);
    const stranger = newUser();
    await sendAll([
      statEvent(u, 'score', { value: 60 }),
      statEvent(u, 'kills', { inc: 5 }),
      statEvent(u, 'treasure', { value: 9 }),
      statEvent(stranger, 'score', { value: 5 }),
      loginEvent(stranger),
    ]);
    expect(await store.progressOf(u, 'abs-score')).toBe(60);
    expect(await store.row(u, 'optional-score')).toBeUndefined();
    expect(await store.row(u, 'inc-kills')).toMatchObject({ progress: 0, isActive: false });
    expect(await store.row(u, 'claim-me')).toMatchObject({ progress: 1, status: 'claimed' });
    expect(await store.progress.listByUser(stranger)).toEqual([]);
  });
});

describe('exactly once', () => {
  it('ignores an event id seen before, across and inside batches', async () => {
    const u = newUser();
    await store.assign(u, ['inc-kills']);
    const first = statEvent(u, 'kills', { inc: 1 });
    await sendAll([first, first, statEvent(u, 'kills', { inc: 1 })]);
    await sendAll([{ ...first, receivedAt: Date.now() }]);
    expect(await store.progressOf(u, 'inc-kills')).toBe(2);
    const text = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
    expect(
      Number(/^challenge_events_deduplicated_total (\d+)/m.exec(text)?.[1]),
    ).toBeGreaterThanOrEqual(2);
  });

  it('applies a batch id once even when the job runs again (retry after commit)', async () => {
    const u = newUser();
    await store.assign(u, ['inc-kills']);
    const [batchId] = await producer.send([statEvent(u, 'kills', { inc: 2 })]);
    await waitFor('first run', async () => (await store.progressOf(u, 'inc-kills')) === 2);
    // The same job again, as BullMQ redelivers it when the ack was lost: fresh event ids even,
    // so only the batch id can stop it.
    await producer.send([statEvent(u, 'kills', { inc: 2 })], batchId);
    await producer.send([statEvent(u, 'kills', { inc: 1 })]);
    await waitFor('later batch', async () => (await store.progressOf(u, 'inc-kills')) !== 2);
    expect(await store.progressOf(u, 'inc-kills')).toBe(3);
  });
});

describe('ordering and bursts', () => {
  it('1,000 increasing values for one goal sent 50 at a time end at 1,000, completed', async () => {
    const u = newUser();
    await store.assign(u, ['burst-1000']);
    for (let start = 1; start <= 1000; start += 50) {
      await producer.send(
        Array.from({ length: 50 }, (_, i) => statEvent(u, 'burst', { value: start + i })),
      );
    }
    await waitFor('burst applied', async () => (await producer.pending()) === 0, 20_000);
    expect(await store.row(u, 'burst-1000')).toMatchObject({ progress: 1000, status: 'completed' });
  });

  it('keeps each player’s order while several producers send at once', async () => {
    const users = Array.from({ length: 24 }, newUser);
    for (const u of users) await store.assign(u, ['abs-score', 'inc-kills']);
    const producers = Array.from({ length: 3 }, () => new TestProducer(prefix, PARTITIONS));
    try {
      // Producer k owns users k, k+3, …; each sends 30 single-event batches per user, in order.
      await Promise.all(
        producers.map(async (p, k) => {
          const mine = users.filter((_, i) => i % producers.length === k);
          for (let step = 1; step <= 30; step++) {
            await p.send(mine.map((u) => statEvent(u, 'score', { value: step * 3 })));
            await p.send(mine.map((u) => statEvent(u, 'kills', { inc: 1 })));
          }
        }),
      );
      await waitFor('all applied', async () => (await producer.pending()) === 0, 20_000);
    } finally {
      await Promise.all(producers.map((p) => p.close()));
    }
    for (const u of users) {
      expect(await store.progressOf(u, 'abs-score')).toBe(90);
      expect(await store.progressOf(u, 'inc-kills')).toBe(30);
    }
  });
});

describe('batches of jobs', () => {
  it('takes the jobs waiting in all its partitions into one transaction, in order, and removes them', async () => {
    const u = newUser();
    await store.assign(u, ['abs-score', 'inc-kills']);
    // Players in every other partition, each with a job in the same round.
    const others: string[] = [];
    for (let i = 0; others.length < PARTITIONS - 1; i++) {
      const o = `${newUser()}-${i}`;
      const p = partitionOf(o, PARTITIONS);
      if (
        p !== partitionOf(u, PARTITIONS) &&
        !others.some((x) => partitionOf(x, PARTITIONS) === p)
      ) {
        others.push(o);
      }
    }
    for (const o of others) await store.assign(o, ['inc-kills']);
    const lists = [];
    for (let step = 1; step <= 6; step++) {
      lists.push([statEvent(u, 'score', { value: step * 2 }), statEvent(u, 'kills', { inc: 1 })]);
    }
    lists.push(others.map((o) => statEvent(o, 'kills', { inc: 4 })));
    const batchIds = await producer.sendTogether(lists);
    expect(batchIds).toHaveLength(6 + PARTITIONS - 1);
    await waitFor('batches applied', async () => (await producer.pending()) === 0);
    // now() is the transaction's start: one value means one transaction took all the jobs.
    const { rows } = await store.pool.query<{ n: number; transactions: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT applied_at)::int AS transactions
         FROM applied_event_batches WHERE batch_id = ANY($1)`,
      [batchIds],
    );
    expect(rows[0]).toEqual({ n: batchIds.length, transactions: 1 });
    expect(await store.progressOf(u, 'abs-score')).toBe(12); // the last value, not an earlier one
    expect(await store.progressOf(u, 'inc-kills')).toBe(6);
    for (const o of others) expect(await store.progressOf(o, 'inc-kills')).toBe(4);
    // Removed from the queues once applied: no job left in any state.
    for (const queue of producer.queues) {
      expect(await queue.getJobCounts('wait', 'active', 'completed', 'failed')).toEqual({
        wait: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
    }
  });
});

describe('bad jobs', () => {
  it('fails an invalid payload at once, without retries', async () => {
    const jobId = await producer.addRaw(0, { batchId: 'b', partition: 0, events: [{ type: 'x' }] });
    // Read again once failed: a Job fetched earlier does not see the reason written later.
    const job = await waitFor('failed', async () => {
      const found = await producer.queues[0]!.getJob(jobId);
      return found?.failedReason ? found : undefined;
    });
    expect(job.failedReason).toMatch(/invalid events\.apply\.v1 payload/);
    expect(job.attemptsMade).toBe(1);
    // The contract's 20 attempts would keep a plain error delayed for another try.
    expect(await job.getState()).toBe('failed');
  });
});
