import { getEventListeners } from 'node:events';
import { EVENT_JOB_NAME, eventQueueName, type GameEvent } from '@challenges/core';
import { createLedgerRepository, createPool, type LedgerRepository } from '@challenges/db';
import { createTestDatabase } from '@challenges/db/testing';
import { type DefinitionsSource, staticDefinitionsSource, systemClock } from '@challenges/runtime';
import { capturingLogger } from '@challenges/runtime/testing';
import { type Job, Queue, RateLimitError, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../metrics.ts';
import { waitingJobsOf } from '../queues.ts';
import { REDIS_URL, statEvent, TestStore, uniquePrefix, waitFor } from '../testing/harness.ts';
import {
  type ApplyEventsDeps,
  createApplyEventsProcessor,
  type WaitingJobs,
} from './apply-events.ts';

// The processor on its own, against the real PostgreSQL: what the worker's end-to-end tests
// cannot pin down exactly — the in-job retry and its backoff, the shutdown hand-back, the
// payload check and the metrics each outcome counts.

let store: TestStore;
let deadPool: pg.Pool;
type BatchApplier = ApplyEventsDeps['ledger'];
let real: LedgerRepository;
/** A real repository on a port nothing listens on: every call fails with ECONNREFUSED. */
let dead: LedgerRepository;
let redis: Redis;
const queues: Queue[] = [];
let userSeq = 0;
const newUser = () => `proc-${process.pid}-${++userSeq}`;

beforeAll(async () => {
  store = await TestStore.create();
  real = createLedgerRepository(store.pool);
  deadPool = createPool({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
  dead = createLedgerRepository(deadPool);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  for (const queue of queues) {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  redis?.disconnect();
  await deadPool?.end();
  await store?.close();
});

function setup(options: {
  ledger?: BatchApplier;
  definitions?: DefinitionsSource;
  closing?: AbortSignal;
  retryDelayMs?: ApplyEventsDeps['retryDelayMs'];
  batching?: ApplyEventsDeps['batching'];
}) {
  const metrics = createWorkerMetrics();
  const { log, lines } = capturingLogger();
  const processor = createApplyEventsProcessor({
    ledger: options.ledger ?? real,
    definitions:
      options.definitions ?? staticDefinitionsSource(store.definitions, store.definitionsVersion),
    clock: systemClock(),
    metrics,
    log,
    closing: options.closing ?? new AbortController().signal,
    retryDelayMs: options.retryDelayMs,
    batching: options.batching,
  });
  let jobSeq = 0;
  const run = (data: unknown, waiting?: WaitingJobs) =>
    processor({ id: `job-${++jobSeq}`, data } as Job, waiting);
  return { run, metrics, lines };
}

const batch = (events: GameEvent[], batchId = `b-${newUser()}`) => ({
  batchId,
  partition: 0,
  events,
});

/** The first `failures` calls go to the unreachable database, the rest to the real one. */
function failingFirst(failures: number): BatchApplier & { calls: number } {
  const repo = {
    calls: 0,
    applyLedgerBatch: (input: Parameters<BatchApplier['applyLedgerBatch']>[0]) =>
      (repo.calls++ < failures ? dead : real).applyLedgerBatch(input),
  };
  return repo;
}

const counter = async (metric: {
  get(): Promise<{ values: { value: number; labels: object }[] }>;
}) => (await metric.get()).values.map((v) => ({ ...v.labels, value: v.value }));

const histogram = async (metric: {
  get(): Promise<{ values: { value: number; metricName?: string }[] }>;
}) => {
  const values = (await metric.get()).values;
  const pick = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value;
  return { count: pick('_count'), sum: pick('_sum') };
};

/** Definitions loaded as version `loaded`; refresh() loads the live version (counted). */
function staleDefinitions(loaded: number) {
  let version = loaded;
  const source = {
    refreshes: 0,
    current: () => store.definitions,
    version: () => version,
    async refresh() {
      source.refreshes++;
      version = store.definitionsVersion;
    },
    close: async () => {},
  };
  return source;
}

describe('apply-events processor', () => {
  it('reloads definitions a publish replaced and applies the batch again in the same job', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const definitions = staleDefinitions(store.definitionsVersion - 1);
    const { run, lines } = setup({ definitions });
    const b = batch([statEvent(user, 'kills', { inc: 3 })]);
    const result = await run(b);
    expect(result).toMatchObject({ outcome: 'applied', events: 1 });
    expect(definitions.refreshes).toBe(1);
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'definitions changed since they were loaded; reloading and applying the batch again',
        batchId: b.batchId,
        definitionsVersion: store.definitionsVersion - 1,
        liveVersion: store.definitionsVersion,
      }),
    ]);
  });

  it('fails the job when the live definitions cannot be loaded, having written nothing', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const definitions = staleDefinitions(store.definitionsVersion - 1);
    definitions.refresh = async () => {
      definitions.refreshes++;
    };
    const { run } = setup({ definitions });
    await expect(run(batch([statEvent(user, 'kills', { inc: 3 })]))).rejects.toThrow(
      `definitions version ${store.definitionsVersion - 1} refused 6 times in a row (live: ${store.definitionsVersion})`,
    );
    expect(definitions.refreshes).toBe(5);
    expect(await store.progressOf(user, 'inc-kills')).toBe(0);
  });

  it('says that no definitions are live when nothing was ever published to the database', async () => {
    const unpublished = await createTestDatabase();
    const pool = createPool({ databaseUrl: unpublished.url, max: 1 });
    try {
      const { run } = setup({ ledger: createLedgerRepository(pool) });
      await expect(run(batch([statEvent(newUser(), 'kills')]))).rejects.toThrow(
        `definitions version ${store.definitionsVersion} refused 6 times in a row (live: none)`,
      );
    } finally {
      await pool.end();
      await unpublished.drop();
    }
  });

  it('retries an unreachable database inside the job, doubling the wait up to the cap', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const events = failingFirst(4);
    const closing = new AbortController();
    const { run, metrics, lines } = setup({
      ledger: events,
      closing: closing.signal,
      retryDelayMs: { initial: 5, max: 12 },
    });
    const result = await run(batch([statEvent(user, 'kills', { inc: 2 })]));
    expect(result).toMatchObject({ outcome: 'applied', events: 1, written: 1 });
    expect(events.calls).toBe(5);
    expect(await store.progressOf(user, 'inc-kills')).toBe(2);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings.map((line) => [line.attempt, line.retryInMs])).toEqual([
      [1, 5],
      [2, 10],
      [3, 12],
      [4, 12],
    ]);
    expect(warnings[0]).toMatchObject({
      msg: 'database unavailable; retrying the batch (its partition waits)',
      err: expect.objectContaining({ code: 'ECONNREFUSED' }),
      repeats: 0,
    });
    expect(await counter(metrics.retries)).toEqual([{ value: 4 }]);
    // Each wait took its abort listener off the worker's signal again: nothing piles up there.
    expect(getEventListeners(closing.signal, 'abort')).toEqual([]);
  });

  it('waits 100 ms before the first retry by default, then twice as long', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { run, lines } = setup({ ledger: failingFirst(2) });
    await run(batch([statEvent(user, 'kills')]));
    expect(lines.filter((line) => line.level === 40).map((line) => line.retryInMs)).toEqual([
      100, 200,
    ]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(1);
  });

  it('gives the job back at once when the worker is closing, without waiting out the delay', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const closing = new AbortController();
    const { run, metrics, lines } = setup({
      ledger: failingFirst(Number.POSITIVE_INFINITY),
      closing: closing.signal,
      // A delay no test run would sit out: only the abort can end the wait.
      retryDelayMs: { initial: 600_000, max: 600_000 },
    });
    const outcome = run(batch([statEvent(user, 'kills')])).catch((error: unknown) => error);
    await waitFor('first retry logged', () => lines.some((line) => line.level === 40));
    closing.abort();
    expect(await outcome).toBeInstanceOf(RateLimitError);
    expect(await counter(metrics.retries)).toEqual([{ value: 1 }]);
    // Already closing when the database fails: handed back before any wait or log line.
    const again = setup({ ledger: failingFirst(1), closing: closing.signal });
    await expect(again.run(batch([statEvent(user, 'kills')]))).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(again.lines).toEqual([]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(0);
  });

  it('fails on an error that is not transient, without a retry', async () => {
    const broken: BatchApplier = {
      applyLedgerBatch: async () => {
        throw new Error('column "x" does not exist');
      },
    };
    const { run, metrics } = setup({ ledger: broken, retryDelayMs: { initial: 1, max: 1 } });
    await expect(run(batch([statEvent(newUser(), 'kills')]))).rejects.toThrow(
      'column "x" does not exist',
    );
    expect(await counter(metrics.retries)).toEqual([{ value: 0 }]);
  });

  it('refuses a payload that is not a batch, naming its first three problems', async () => {
    const { run } = setup({});
    const error = await run({
      batchId: '',
      partition: -1,
      // Ten problems (four in each event), of which the message names the first three.
      events: [{ type: 'stat' }, { type: 'stat' }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    const message = (error as Error).message;
    expect(message.startsWith('invalid events.apply.v1 payload: ')).toBe(true);
    const problems = message.slice('invalid events.apply.v1 payload: '.length).split('; ');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^batchId: ./);
    expect(problems[1]).toMatch(/^partition: ./);
    expect(problems[2]).toMatch(/^events\.0(\.\w+)?: ./);
  });

  it('counts every event once in the metrics, by what became of it', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills', 'abs-score']);
    const { run, metrics, lines } = setup({});
    const seen = statEvent(user, 'kills');
    await run(batch([seen]));
    const repeat = statEvent(user, 'kills');
    const events = [
      statEvent(user, 'kills', { inc: 1 }), // applied
      repeat,
      { ...repeat }, // the same id again in this batch: a redelivery
      { ...seen }, // seen in the earlier batch: deduplicated
      statEvent(user, 'no-such-stat'), // no goal
      statEvent(newUser(), 'kills'), // no assignment
      // Moves the ledger abs-score reads without changing its row: applied (the ledger model
      // reads no row below its threshold, so it cannot tell a no_change; docs/event-model.md).
      statEvent(user, 'score', { value: 0 }),
    ];
    // 5 s old at the commit, and one stamped in the future (lag counts as 0, never negative).
    events[0] = { ...events[0]!, receivedAt: Date.now() - 5_000 };
    events[1] = { ...events[1]!, receivedAt: Date.now() + 3_600_000 };
    events[2] = { ...events[2]!, receivedAt: events[1]!.receivedAt };
    const b = batch(events);
    const result = await run(b);
    // Written: the ledgers of (user, kills), (user, score) and (other player, kills); no goal
    // row crossed a threshold.
    expect(result).toEqual({
      batchId: b.batchId,
      outcome: 'applied',
      events: 7,
      written: 3,
      joined: [],
    });
    expect(await counter(metrics.applied)).toEqual([{ value: 4 }]);
    expect(await counter(metrics.deduplicated)).toEqual([{ value: 2 }]);
    expect(await counter(metrics.skipped)).toEqual([
      { reason: 'no_goal', value: 1 },
      { reason: 'no_assignment', value: 1 },
    ]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
    // Lag of the 5 fresh events of the second batch plus the first batch's one.
    const lag = await histogram(metrics.lag);
    expect(lag.count).toBe(6);
    expect(lag.sum).toBeGreaterThanOrEqual(5);
    expect(lag.sum).toBeLessThan(5 + 6 * 60);
    expect(await histogram(metrics.batchSize)).toEqual({ count: 2, sum: 8 });
    const duration = await histogram(metrics.applyDuration);
    expect(duration.count).toBe(2);
    expect(duration.sum).toBeGreaterThan(0);
    expect(duration.sum).toBeLessThan(60); // seconds, not milliseconds

    // The same job again (a retry after the commit): nothing applied, every event skipped.
    const again = await run(b);
    expect(again).toEqual({
      batchId: b.batchId,
      outcome: 'already_applied',
      events: 7,
      written: 0,
      joined: [],
    });
    expect(await counter(metrics.skipped)).toContainEqual({
      reason: 'batch_already_applied',
      value: 7,
    });
    expect(await counter(metrics.applied)).toEqual([{ value: 4 }]);
    expect(lines.filter((line) => line.msg === 'batch was applied before; nothing to do')).toEqual([
      expect.objectContaining({ batchIds: [b.batchId], jobId: 'job-3' }),
    ]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
  });
});

/** A partition queue of its own (nothing consumes it): jobs added stay waiting. */
function partitionQueue() {
  const queue = new Queue(eventQueueName(0), { connection: redis, prefix: uniquePrefix('join') });
  queues.push(queue);
  const add = (data: unknown, name: string = EVENT_JOB_NAME) => queue.add(name, data);
  /** The batch ids (or names, for jobs without one) still waiting, oldest first. */
  const left = async () =>
    (await queue.getJobs(['wait'], 0, -1, true)).map(
      (job) => (job.data as { batchId?: string }).batchId ?? job.name,
    );
  return { queue, waiting: waitingJobsOf(queue), add, left };
}

describe('apply-events processor, joining the waiting jobs of its partition', () => {
  it('removes the joined jobs and their keys in one Redis command, whatever their number', async () => {
    const { queue, waiting, add, left } = partitionQueue();
    const jobs = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => add({ batchId: `r${i}` })));
    // The queue's own connection (ioredis under BullMQ's client), seen from Redis: every command
    // it sends, a script as one.
    const client = (await queue.getBackend().client) as unknown as Redis;
    const source = `${client.stream.localAddress}:${client.stream.localPort}`;
    const monitor = await redis.monitor();
    const sent: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[], from: string) => {
      if (from === source) sent.push(args);
    });
    const marked = (mark: string) =>
      waitFor(`monitor sees ${mark}`, () => sent.some((a) => a[0] === 'echo' && a[1] === mark));
    // The script loaded first, so that counting sees no NOSCRIPT reload.
    await waiting.remove(['not-there']);
    await client.echo('start');
    await marked('start');
    const from = sent.length;
    await waiting.remove(jobs.slice(0, 5).map((job) => job.id!));
    await client.echo('end');
    await marked('end');
    monitor.disconnect();
    expect(sent.slice(from, -1).map((args) => args[0])).toEqual(['evalsha']);
    expect(await left()).toEqual(['r6']);
    const keys = jobs.slice(0, 5).map((job) => queue.toKey(job.id!));
    expect(await redis.exists(...keys)).toBe(0);
  });

  it('joins up to maxJobs - 1 waiting jobs in queue order, lists them and removes them after the commit', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add, left } = partitionQueue();
    const later = [1, 2, 3, 4].map(() => batch([statEvent(user, 'kills')]));
    for (const b of later) await add(b);
    const { run, metrics } = setup({ batching: { maxJobs: 3, lingerMs: 0 } });
    const own = batch([statEvent(user, 'kills')]);
    const result = await run(own, waiting);
    expect(result).toEqual({
      batchId: own.batchId,
      outcome: 'applied',
      events: 3,
      written: 1,
      joined: [later[0]!.batchId, later[1]!.batchId],
    });
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
    expect(await left()).toEqual([later[2]!.batchId, later[3]!.batchId]);
    expect(await histogram(metrics.jobsPerBatch)).toEqual({ count: 1, sum: 3 });
  });

  it('joins nothing with maxJobs 1, without a look at the queue', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add, left } = partitionQueue();
    const later = [batch([statEvent(user, 'kills')]), batch([statEvent(user, 'kills')])];
    for (const b of later) await add(b);
    const { run, lines } = setup({ batching: { maxJobs: 1, lingerMs: 0 } });
    const result = await run(batch([statEvent(user, 'kills')]), waiting);
    expect(result).toMatchObject({ outcome: 'applied', events: 1, joined: [] });
    expect(await store.progressOf(user, 'inc-kills')).toBe(1);
    expect(await left()).toEqual(later.map((b) => b.batchId));
    // Joining off means no look at the queue at all: nothing to warn about.
    expect(lines).toEqual([]);
  });

  it('stops at a job of another name, an invalid payload or a repeated batch id', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const own = batch([statEvent(user, 'kills')]);
    const valid = () => batch([statEvent(user, 'kills')]);
    const a = valid();
    const cases: { name: string; jobs: { data: unknown; name?: string }[]; joined: string[] }[] = [
      {
        name: 'another name',
        jobs: [{ data: a }, { data: valid(), name: 'other' }],
        joined: [a.batchId],
      },
      { name: 'invalid payload', jobs: [{ data: { batchId: 'x', events: 'no' } }], joined: [] },
      { name: 'own batch id', jobs: [{ data: { ...valid(), batchId: own.batchId } }], joined: [] },
    ];
    const b = valid();
    cases.push({ name: 'batch id twice', jobs: [{ data: b }, { data: b }], joined: [b.batchId] });
    for (const c of cases) {
      const { waiting, add, left } = partitionQueue();
      for (const job of c.jobs) await add(job.data, job.name);
      // Behind the job it stops at, one that could join: it must wait its turn.
      const behind = valid();
      await add(behind);
      const { run } = setup({ batching: { maxJobs: 10, lingerMs: 0 } });
      const data = c.name === 'own batch id' ? own : valid();
      const result = await run(data, waiting);
      expect(result.joined, c.name).toEqual(c.joined);
      expect((await left()).at(-1), c.name).toBe(behind.batchId);
      expect(await left(), c.name).toHaveLength(c.jobs.length + 1 - c.joined.length);
    }
  });

  it('lingers until its oldest event is lingerMs old, then looks once: a job sent meanwhile joins', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add } = partitionQueue();
    const looks: number[] = [];
    const counted: WaitingJobs = {
      peek: (limit) => {
        looks.push(Date.now());
        return waiting.peek(limit);
      },
      remove: waiting.remove,
    };
    const lingerMs = 400;
    const { run } = setup({ batching: { lingerMs } });
    const own = batch([statEvent(user, 'kills')]);
    const oldest = own.events[0]!.receivedAt;
    // Nothing waits when the job starts; the late job is sent while it lingers.
    const running = run(own, counted);
    const late = batch([statEvent(user, 'kills')]);
    await add(late);
    const result = await running;
    expect(result).toMatchObject({ outcome: 'applied', events: 2, joined: [late.batchId] });
    expect(looks).toHaveLength(1);
    // Timers count from the event loop's cached clock, which may lag Date.now() by a few ms.
    expect(looks[0]! - oldest).toBeGreaterThanOrEqual(lingerMs - 25);
    expect(await store.progressOf(user, 'inc-kills')).toBe(2);
  });

  it('does not linger when its oldest event is already lingerMs old (a backlog)', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add } = partitionQueue();
    const early = batch([statEvent(user, 'kills')]);
    await add(early);
    // A linger no test run would sit out: only the event's age can cut it to nothing.
    const lingerMs = 600_000;
    const { run } = setup({ batching: { lingerMs } });
    const event = { ...statEvent(user, 'kills'), receivedAt: Date.now() - lingerMs };
    const result = await run(batch([event]), waiting);
    expect(result).toMatchObject({ outcome: 'applied', events: 2, joined: [early.batchId] });
  });

  it('lingers no longer than lingerMs when its oldest event is stamped ahead of its clock', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add } = partitionQueue();
    const early = batch([statEvent(user, 'kills')]);
    await add(early);
    const { run } = setup({ batching: { lingerMs: 20 } });
    // Ingest's clock ten minutes ahead: a wait no test run would sit out, cut to lingerMs.
    const event = { ...statEvent(user, 'kills'), receivedAt: Date.now() + 600_000 };
    const result = await run(batch([event]), waiting);
    expect(result).toMatchObject({ outcome: 'applied', events: 2, joined: [early.batchId] });
  });

  it('does not linger once the worker is closing', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add } = partitionQueue();
    const early = batch([statEvent(user, 'kills')]);
    await add(early);
    const closing = new AbortController();
    closing.abort();
    // A linger no test run would sit out: only the closing signal can cut it short.
    const { run } = setup({ closing: closing.signal, batching: { lingerMs: 600_000 } });
    const result = await run(batch([statEvent(user, 'kills')]), waiting);
    expect(result).toMatchObject({ outcome: 'applied', joined: [early.batchId] });
  });

  it('counts a joined batch applied before as skipped, not as deduplicated events', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const { waiting, add, left } = partitionQueue();
    const before = batch([statEvent(user, 'kills'), statEvent(user, 'kills')]);
    const { run, metrics, lines } = setup({ batching: { lingerMs: 0 } });
    await run(before);
    await add(before);
    const own = batch([statEvent(user, 'kills')]);
    const result = await run(own, waiting);
    expect(result).toEqual({
      batchId: own.batchId,
      outcome: 'applied',
      events: 3,
      written: 1,
      joined: [before.batchId],
    });
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
    expect(await counter(metrics.deduplicated)).toEqual([{ value: 0 }]);
    expect(await counter(metrics.skipped)).toEqual([{ reason: 'batch_already_applied', value: 2 }]);
    expect(lines.filter((line) => line.msg === 'batch was applied before; nothing to do')).toEqual([
      expect.objectContaining({ batchIds: [before.batchId] }),
    ]);
    expect(await left()).toEqual([]);
  });

  it('runs the job alone when the waiting jobs cannot be read, and says so', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const { add, left } = partitionQueue();
    const queued = batch([statEvent(user, 'kills')]);
    await add(queued);
    const lost = new Queue(eventQueueName(0), { connection, prefix: uniquePrefix('lost') });
    await lost.waitUntilReady();
    connection.disconnect();
    // Nothing read counts as no job waiting.
    const { run, lines } = setup({ batching: { lingerMs: 0 } });
    const result = await run(batch([statEvent(user, 'kills')]), waitingJobsOf(lost));
    expect(result).toMatchObject({ outcome: 'applied', events: 1, joined: [] });
    expect(await store.progressOf(user, 'inc-kills')).toBe(1);
    const unread = expect.objectContaining({
      msg: 'could not read the waiting jobs; the job runs alone',
      err: expect.objectContaining({ message: expect.any(String) }),
    });
    expect(lines.filter((line) => line.level === 40)).toEqual([unread]);
    expect(await left()).toEqual([queued.batchId]);
    await lost.close();
  });

  it('logs joined jobs it could not remove; run later, they find their batch applied', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const { queue, waiting, add, left } = partitionQueue();
    const joined = batch([statEvent(user, 'kills')]);
    await add(joined);
    const lost = new Queue(queue.name, { connection, prefix: queue.opts.prefix });
    await lost.waitUntilReady();
    connection.disconnect();
    const { run, lines } = setup({ batching: { lingerMs: 0 } });
    const result = await run(batch([statEvent(user, 'kills')]), {
      peek: waiting.peek,
      remove: waitingJobsOf(lost).remove,
    });
    expect(result).toMatchObject({ outcome: 'applied', events: 2, joined: [joined.batchId] });
    expect(lines.filter((line) => line.level === 40)).toEqual([
      expect.objectContaining({
        msg: 'joined jobs not removed; they find their batch applied',
        jobId: 'job-1',
        err: expect.objectContaining({ message: expect.any(String) }),
      }),
    ]);
    expect(await left()).toEqual([joined.batchId]);
    expect(await run(joined)).toMatchObject({ outcome: 'already_applied' });
    expect(await store.progressOf(user, 'inc-kills')).toBe(2);
    await lost.close();
  });
});
