import { getEventListeners } from 'node:events';
import { EVENT_JOB_NAME, type EventBatchJob, type GameEvent } from '@challenges/core';
import { createLedgerRepository, createPool, type LedgerRepository } from '@challenges/db';
import { createTestDatabase } from '@challenges/db/testing';
import { type DefinitionsSource, staticDefinitionsSource, systemClock } from '@challenges/runtime';
import { capturingLogger } from '@challenges/runtime/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../metrics.ts';
import { statEvent, TestStore, waitFor } from '../testing/harness.ts';
import { type ApplyEventsDeps, createApplyEventsProcessor, parseEventJob } from './apply-events.ts';

// The processor on its own, against the real PostgreSQL: what the worker's end-to-end tests
// cannot pin down exactly — the in-job retry and its backoff, the shutdown hand-back, the
// payload check and the metrics each outcome counts.

let store: TestStore;
let deadPool: pg.Pool;
type BatchApplier = ApplyEventsDeps['ledger'];
let real: LedgerRepository;
/** A real repository on a port nothing listens on: every call fails with ECONNREFUSED. */
let dead: LedgerRepository;
let userSeq = 0;
const newUser = () => `proc-${process.pid}-${++userSeq}`;

beforeAll(async () => {
  store = await TestStore.create();
  real = createLedgerRepository(store.pool);
  deadPool = createPool({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
  dead = createLedgerRepository(deadPool);
});
afterAll(async () => {
  await deadPool?.end();
  await store?.close();
});

function setup(options: {
  ledger?: BatchApplier;
  definitions?: DefinitionsSource;
  closing?: AbortSignal;
  retryDelayMs?: ApplyEventsDeps['retryDelayMs'];
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
  });
  let jobSeq = 0;
  /** The payloads as the consumer passes them: parsed, in one transaction. */
  const run = (...payloads: EventBatchJob[]) =>
    processor(
      payloads.map((data) => {
        const parsed = parseEventJob({
          id: `job-${++jobSeq}`,
          partition: data.partition,
          name: EVENT_JOB_NAME,
          data,
        });
        if ('problem' in parsed) throw new Error(parsed.problem);
        return parsed;
      }),
    );
  return { run, metrics, lines };
}

const batch = (events: GameEvent[], batchId = `b-${newUser()}`): EventBatchJob => ({
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
        batchIds: [b.batchId],
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
      msg: 'database unavailable; retrying the batch (its partitions wait)',
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

  it('leaves the batches in their queues at once when the worker is closing, without waiting out the delay', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const closing = new AbortController();
    const { run, metrics, lines } = setup({
      ledger: failingFirst(Number.POSITIVE_INFINITY),
      closing: closing.signal,
      // A delay no test run would sit out: only the abort can end the wait.
      retryDelayMs: { initial: 600_000, max: 600_000 },
    });
    const outcome = run(batch([statEvent(user, 'kills')]));
    await waitFor('first retry logged', () => lines.some((line) => line.level === 40));
    closing.abort();
    expect(await outcome).toBeUndefined();
    expect(await counter(metrics.retries)).toEqual([{ value: 1 }]);
    // Already closing when the database fails: handed back before any wait or log line.
    const again = setup({ ledger: failingFirst(1), closing: closing.signal });
    expect(await again.run(batch([statEvent(user, 'kills')]))).toBeUndefined();
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

  it('refuses a payload that is not a batch, naming its first three problems', () => {
    const parsed = parseEventJob({
      id: 'j',
      partition: 0,
      name: EVENT_JOB_NAME,
      data: {
        batchId: '',
        partition: -1,
        // Ten problems (four in each event), of which the message names the first three.
        events: [{ type: 'stat' }, { type: 'stat' }],
      },
    });
    expect(parseEventJob({ id: 'j', partition: 0, name: 'other', data: {} })).toEqual({
      problem: "unknown job name 'other'",
    });
    if (!('problem' in parsed)) throw new Error('parsed');
    const message = parsed.problem;
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
      outcome: 'applied',
      events: 7,
      written: 3,
      batchIds: [b.batchId],
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
      outcome: 'already_applied',
      events: 7,
      written: 0,
      batchIds: [b.batchId],
    });
    expect(await counter(metrics.skipped)).toContainEqual({
      reason: 'batch_already_applied',
      value: 7,
    });
    expect(await counter(metrics.applied)).toEqual([{ value: 4 }]);
    expect(lines.filter((line) => line.msg === 'batch was applied before; nothing to do')).toEqual([
      expect.objectContaining({ batchIds: [b.batchId] }),
    ]);
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
  });
});

describe('apply-events processor, several batches in one transaction', () => {
  it('applies batches of several partitions in one transaction, in the order given', async () => {
    const [a, b] = [newUser(), newUser()];
    await store.assign(a, ['abs-score']);
    await store.assign(b, ['inc-kills']);
    const { run, metrics } = setup({});
    const first = batch([statEvent(a, 'score', { value: 5 })]);
    const other = { ...batch([statEvent(b, 'kills', { inc: 2 })]), partition: 3 };
    const last = batch([statEvent(a, 'score', { value: 7 })]);
    const result = await run(first, other, last);
    expect(result).toEqual({
      outcome: 'applied',
      events: 3,
      written: 2,
      batchIds: [first.batchId, other.batchId, last.batchId],
    });
    expect(await store.progressOf(a, 'abs-score')).toBe(7); // the last value, not an earlier one
    expect(await store.progressOf(b, 'inc-kills')).toBe(2);
    const { rows } = await store.pool.query<{ transactions: number }>(
      `SELECT count(DISTINCT applied_at)::int AS transactions
         FROM applied_event_batches WHERE batch_id = ANY($1)`,
      [result?.batchIds],
    );
    expect(rows[0]).toEqual({ transactions: 1 });
    expect(await histogram(metrics.jobsPerBatch)).toEqual({ count: 1, sum: 3 });
  });

  it('counts a batch applied before as skipped, not as deduplicated events', async () => {
    const user = newUser();
    await store.assign(user, ['inc-kills']);
    const before = batch([statEvent(user, 'kills'), statEvent(user, 'kills')]);
    const { run, metrics, lines } = setup({});
    await run(before);
    const own = batch([statEvent(user, 'kills')]);
    const result = await run(own, before);
    expect(result).toEqual({
      outcome: 'applied',
      events: 3,
      written: 1,
      batchIds: [own.batchId, before.batchId],
    });
    expect(await store.progressOf(user, 'inc-kills')).toBe(3);
    expect(await counter(metrics.deduplicated)).toEqual([{ value: 0 }]);
    expect(await counter(metrics.skipped)).toEqual([{ reason: 'batch_already_applied', value: 2 }]);
    expect(lines.filter((line) => line.msg === 'batch was applied before; nothing to do')).toEqual([
      expect.objectContaining({ batchIds: [before.batchId] }),
    ]);
  });
});
