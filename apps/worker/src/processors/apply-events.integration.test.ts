import { getEventListeners } from 'node:events';
import type { GameEvent } from '@challenges/core';
import { createEventRepository, createPool, type EventRepository } from '@challenges/db';
import { staticDefinitionsSource, systemClock } from '@challenges/runtime';
import { capturingLogger } from '@challenges/runtime/testing';
import { type Job, RateLimitError, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../metrics.ts';
import { statEvent, TestStore, waitFor } from '../testing/harness.ts';
import { type ApplyEventsDeps, createApplyEventsProcessor } from './apply-events.ts';

// The processor on its own, against the real PostgreSQL: what the worker's end-to-end tests
// cannot pin down exactly — the in-job retry and its backoff, the shutdown hand-back, the
// payload check and the metrics each outcome counts.

let store: TestStore;
let deadPool: pg.Pool;
let real: EventRepository;
/** A real repository on a port nothing listens on: every call fails with ECONNREFUSED. */
let dead: EventRepository;
let userSeq = 0;
const newUser = () => `proc-${process.pid}-${++userSeq}`;

beforeAll(async () => {
  store = await TestStore.create();
  real = createEventRepository(store.pool);
  deadPool = createPool({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
  dead = createEventRepository(deadPool);
});
afterAll(async () => {
  await deadPool?.end();
  await store?.close();
});

function setup(options: {
  events?: EventRepository;
  closing?: AbortSignal;
  retryDelayMs?: ApplyEventsDeps['retryDelayMs'];
}) {
  const metrics = createWorkerMetrics();
  const { log, lines } = capturingLogger();
  const processor = createApplyEventsProcessor({
    events: options.events ?? real,
    definitions: staticDefinitionsSource(store.definitions),
    clock: systemClock(),
    metrics,
    log,
    closing: options.closing ?? new AbortController().signal,
    retryDelayMs: options.retryDelayMs,
  });
  let jobSeq = 0;
  const run = (data: unknown) => processor({ id: `job-${++jobSeq}`, data } as Job);
  return { run, metrics, lines };
}

const batch = (events: GameEvent[], batchId = `b-${newUser()}`) => ({
  batchId,
  partition: 0,
  events,
});

/** The first `failures` calls go to the unreachable database, the rest to the real one. */
function failingFirst(failures: number): EventRepository & { calls: number } {
  const repo = {
    calls: 0,
    applyEventBatch: (input: Parameters<EventRepository['applyEventBatch']>[0]) =>
      (repo.calls++ < failures ? dead : real).applyEventBatch(input),
    housekeep: () => real.housekeep(),
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

describe('apply-events processor', () => {
  it('retries an unreachable database inside the job, doubling the wait up to the cap', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const events = failingFirst(4);
    const closing = new AbortController();
    const { run, metrics, lines } = setup({
      events,
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
    const { run, lines } = setup({ events: failingFirst(2) });
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
      events: failingFirst(Number.POSITIVE_INFINITY),
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
    const again = setup({ events: failingFirst(1), closing: closing.signal });
    await expect(again.run(batch([statEvent(user, 'kills')]))).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(again.lines).toEqual([]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(0);
  });

  it('fails on an error that is not transient, without a retry', async () => {
    const broken: EventRepository = {
      applyEventBatch: async () => {
        throw new Error('column "x" does not exist');
      },
      housekeep: () => real.housekeep(),
    };
    const { run, metrics } = setup({ events: broken, retryDelayMs: { initial: 1, max: 1 } });
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
      statEvent(user, 'score', { value: 0 }), // no change
    ];
    // 5 s old at the commit, and one stamped in the future (lag counts as 0, never negative).
    events[0] = { ...events[0]!, receivedAt: Date.now() - 5_000 };
    events[1] = { ...events[1]!, receivedAt: Date.now() + 3_600_000 };
    events[2] = { ...events[2]!, receivedAt: events[1]!.receivedAt };
    const b = batch(events);
    const result = await run(b);
    expect(result).toEqual({
      batchId: b.batchId,
      outcome: 'applied',
      events: 7,
      written: 1,
      joined: [],
    });
    expect(await counter(metrics.applied)).toEqual([{ value: 3 }]);
    expect(await counter(metrics.deduplicated)).toEqual([{ value: 2 }]);
    expect(await counter(metrics.skipped)).toEqual([
      { reason: 'no_goal', value: 1 },
      { reason: 'no_assignment', value: 1 },
      { reason: 'no_change', value: 1 },
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
    expect(await counter(metrics.applied)).toEqual([{ value: 3 }]);
    expect(lines.filter((line) => line.msg === 'batch was applied before; nothing to do')).toEqual([
      expect.objectContaining({ batchIds: [b.batchId], jobId: 'job-3' }),
    ]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
  });
});
