import {
  type Assignment,
  activateAssignment,
  advanceLedgers,
  applyBatchToLedger,
  applyEvents,
  type Definitions,
  type GameEvent,
  ledgerKeysOf,
  parseDefinitions,
  resetAssignment,
  type StatLedger,
  sameAssignment,
  serializeDefinitions,
  targetKeys,
} from '@challenges/core';
import type pg from 'pg';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { inTransaction } from '../transaction.ts';
import { createDefinitionRepository, type DefinitionRepository } from './definition.repository.ts';
import type { VersionedDefinitions } from './definitions-fence.ts';
import { createLedgerRepository } from './ledger.repository.ts';
import type { LedgerBatchOutcome } from './ledger-batch.ts';
import { writeStored } from './ledger-player.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import { createPlayerErasureRepository } from './player-erasure.repository.ts';

// Publishing changed definitions on the ledger model, through the definition store's live switch
// (publish, rollback, first-start import): rows of changed, removed and re-added goals
// re-anchored in the publish transaction must keep the per-goal oracle's state, events under the
// new definitions must keep agreeing with it, and the definitions fence must refuse a batch or
// a mutation on definitions that are no longer live.
const defs = (goals: Record<string, unknown>[]): Definitions =>
  parseDefinitions({
    challenges: [
      {
        challengeId: 'c1',
        name: 'c1',
        description: 'c1',
        goals: goals.map((goal) => ({
          name: 'n',
          description: 'd',
          eventSource: 'statistic',
          reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
          ...goal,
        })),
      },
    ],
  });
const req = (statCode: string, targetValue: number, progressMode: string) => ({
  statCode,
  operator: '>=',
  targetValue,
  progressMode,
});

const v1 = defs([
  { goalId: 'a', requirement: req('kills', 50, 'absolute') },
  { goalId: 'b', requirement: req('kills', 30, 'increment') },
  { goalId: 'c', requirement: req('score', 40, 'relative') },
  { goalId: 'd', requirement: req('kills', 100, 'increment') },
]);
// a: absolute → increment; b: a lower target (already reached); c: another stat; d: removed.
const v2 = defs([
  { goalId: 'a', requirement: req('kills', 60, 'increment') },
  { goalId: 'b', requirement: req('kills', 5, 'increment') },
  { goalId: 'c', requirement: req('points', 40, 'relative') },
]);
// d back, unchanged.
const v3 = defs([
  { goalId: 'a', requirement: req('kills', 60, 'increment') },
  { goalId: 'b', requirement: req('kills', 5, 'increment') },
  { goalId: 'c', requirement: req('points', 40, 'relative') },
  { goalId: 'd', requirement: req('kills', 100, 'increment') },
]);

const database = useTestDatabase({ max: 6 });
let pool: pg.Pool;
let store: DefinitionRepository;
/** What the test's "process" serves: the definitions and the version they came from. */
let served: { definitions: Definitions; version: number };
const oracle = new Map<string, Assignment>();
let eventNo = 0;
const NOW = new Date('2026-03-01T12:00:00.000Z');

beforeAll(() => {
  pool = database.pool;
  store = createDefinitionRepository(database.prisma);
});
beforeEach(() => {
  oracle.clear();
  served = { definitions: v1, version: 0 };
});

/** A process's definitions source: refresh() loads what is live. */
const source: VersionedDefinitions = {
  current: () => served.definitions,
  version: () => served.version,
  async refresh() {
    const live = await store.getLive();
    if (live) served = { definitions: parseDefinitions(live.content), version: live.version };
  },
};
const progress = () => createLedgerProgressRepository(pool, { definitions: source });

/** Publishes through the store (the live switch re-anchors) and serves the new version. */
async function publish(next: Definitions) {
  const { version } = await store.publish({ content: serializeDefinitions(next), actor: 'test' });
  served = { definitions: next, version };
  return version;
}

const kills = (value: number, inc: number) => ({ statCode: 'kills', value, inc });

/**
 * A batch as the worker applies it, on `on` (default: what is served): the oracle moves only
 * when the ledger model applied it.
 */
async function batch(
  specs: { statCode: string; value?: number; inc?: number }[],
  on: { definitions: Definitions; version: number } = served,
): Promise<LedgerBatchOutcome> {
  const events: GameEvent[] = specs.map((spec) => ({
    type: 'stat',
    id: `e${++eventNo}`,
    userId: 'u1',
    receivedAt: 0,
    ...spec,
  }));
  const { definitions, version } = on;
  let locked: ReadonlyMap<string, StatLedger> = new Map();
  const outcome = await createLedgerRepository(pool).applyLedgerBatch({
    batchId: `b${eventNo}`,
    definitionsVersion: version,
    eventIds: events.map((e) => e.id),
    ledgerKeys: ledgerKeysOf(events, definitions),
    now: NOW,
    advance: (_fresh, ledgers) => {
      locked = ledgers;
      return [...advanceLedgers({ events, ledgers, definitions, now: NOW }).values()];
    },
    apply: (candidates, activeKeys) =>
      applyBatchToLedger({
        events,
        ledgers: locked,
        candidates,
        activeKeys,
        definitions,
        now: NOW,
      }),
  });
  if (outcome.kind === 'applied') {
    const { userIds, goalIds } = targetKeys(events, definitions);
    const rows = userIds
      .map((_, i) => oracle.get(goalIds[i]!))
      .filter((row): row is Assignment => row?.isActive === true);
    for (const row of applyEvents({ events, rows, definitions, now: NOW }).changed) {
      oracle.set(row.goalId, row);
    }
  }
  return outcome;
}

async function expectSame(label: string) {
  const rows = await progress().listByUser('u1');
  for (const goal of served.definitions.goalsById.values()) {
    const mine = rows.find((row) => row.goalId === goal.goalId);
    const want = oracle.get(goal.goalId);
    if (!mine || !want || !sameAssignment(want, mine)) {
      expect({ label, goal: goal.goalId, row: mine }).toEqual({
        label,
        goal: goal.goalId,
        row: want,
      });
    }
  }
}

/** Activates every goal of `definitions` for u1, in both models. */
async function activateAll(definitions: Definitions) {
  const rows = [...definitions.goalsById.values()].map((goal) =>
    activateAssignment({ row: undefined, userId: 'u1', goal, isActive: true, now: NOW }),
  );
  for (const row of rows) oracle.set(row.goalId, row);
  await progress().insertMissing(rows);
}

/**
 * Resolves once `n` sessions of this database wait for a lock (heavyweight or advisory), or
 * `done()` says there is nothing left to wait for.
 */
async function lockWaiters(n: number, done = () => false) {
  while (!done()) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function storedKey(goalId: string) {
  const { rows } = await pool.query<{ stat_key: string; unit: string }>(
    `SELECT stat_key, unit FROM goal_progress WHERE user_id = 'u1' AND goal_id = $1`,
    [goalId],
  );
  return rows[0];
}

describe('publish re-anchoring', () => {
  it('keeps every row as the oracle holds it across changed, removed and re-added goals', async () => {
    await publish(v1);
    await activateAll(v1);
    await batch([kills(20, 4), { statCode: 'score', value: 100 }]);
    await batch([kills(25, 4), { statCode: 'score', value: 110 }]);
    await expectSame('v1');

    // a, b, c changed (c now counts `points`); d removed.
    await publish(v2);
    await expectSame('after publishing v2');
    expect(await storedKey('c')).toEqual({ stat_key: 'stat:points', unit: 'value' });
    expect(await storedKey('a')).toEqual({ stat_key: 'stat:kills', unit: 'steps' });
    // The old stat no longer moves c; the new one does.
    const cBefore = oracle.get('c')!;
    await batch([{ statCode: 'score', value: 500 }]);
    await expectSame('the old stat under v2');
    expect(oracle.get('c')).toBe(cBefore);
    await batch([kills(26, 3), { statCode: 'points', value: 7 }]);
    await batch([{ statCode: 'points', value: 160 }]);
    await expectSame('events under v2');
    expect(oracle.get('c')?.progress).toBeGreaterThan(cBefore.progress);
    expect(oracle.get('b')?.status).toBe('completed');

    // d is back: it resumes from where it froze, the events in between not counted.
    await publish(v3);
    await expectSame('after publishing v3');
    await batch([kills(27, 10)]);
    await expectSame('events under v3');
    expect(oracle.get('d')?.progress).toBe(18);
  });

  it('a rollback re-anchors the rows to the earlier version it makes live again', async () => {
    const first = await publish(v1);
    await activateAll(v1);
    await batch([kills(20, 4), { statCode: 'score', value: 100 }]);
    await publish(v2);
    await batch([
      kills(30, 5),
      { statCode: 'points', value: 9 },
      { statCode: 'score', value: 130 },
    ]);
    await expectSame('under v2');

    const rolledBack = await store.rollback({ version: first, actor: 'test', resetDraft: false });
    served = { definitions: v1, version: rolledBack!.version };
    expect(await storedKey('c')).toEqual({ stat_key: 'stat:score', unit: 'value' });
    await expectSame('after the rollback');
    await batch([
      kills(45, 6),
      { statCode: 'score', value: 170 },
      { statCode: 'points', value: 90 },
    ]);
    await expectSame('events after the rollback');
    expect(oracle.get('a')?.progress).toBe(45);
  });

  it('the first-start import re-anchors rows the store had no definitions for', async () => {
    // Rows written before anything was live (no goal: no key, as the stat_ledger migration
    // leaves them), with the progress the per-goal model had counted.
    const rows = [...v1.goalsById.values()].map((goal) => ({
      ...activateAssignment({ row: undefined, userId: 'u1', goal, isActive: true, now: NOW }),
      progress: 3,
      status: 'in_progress' as const,
    }));
    for (const row of rows) oracle.set(row.goalId, row);
    await inTransaction(pool, (client) =>
      writeStored(
        client,
        rows.map(({ progress: p0, ...row }) => ({
          ...row,
          p0,
          anchorSeq: 0,
          anchorSteps: 0,
          anchorDays: 0,
          statKey: '',
          unit: 'steps' as const,
          threshold: Number.NEGATIVE_INFINITY,
        })),
      ),
    );
    const imported = await store.publishInitial({
      content: serializeDefinitions(v1),
      actor: 'system',
    });
    served = { definitions: v1, version: imported!.version };
    expect(await storedKey('b')).toEqual({ stat_key: 'stat:kills', unit: 'steps' });
    await expectSame('after the import');
    await batch([kills(12, 4), { statCode: 'score', value: 100 }]);
    await batch([kills(14, 2), { statCode: 'score', value: 120 }]);
    await expectSame('events after the import');
    expect(oracle.get('b')?.progress).toBe(9);
  });
});

describe('the definitions fence', () => {
  it('refuses a batch on the old definitions that waited for a publish; retried on the new ones it gives the oracle', async () => {
    await publish(v1);
    await activateAll(v1);
    await batch([kills(20, 4), { statCode: 'score', value: 100 }]);
    const old = served;

    // Hold row a, so the publish stops inside its transaction (fence held, rows re-anchoring).
    const holder = await pool.connect();
    let publishing: Promise<number> | undefined;
    let refused: Promise<LedgerBatchOutcome> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM goal_progress WHERE goal_id = 'a' FOR UPDATE`);
      publishing = publish(v2);
      await lockWaiters(1);
      // A worker still on v1 starts a batch now: it waits for the fence.
      refused = batch([kills(40, 10)], old);
      await lockWaiters(2);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await publishing).toBe(2);
    expect(await refused).toEqual({ kind: 'stale_definitions', liveVersion: 2 });
    await expectSame('the refused batch changed nothing');

    // The worker reloads and applies the same events on v2.
    eventNo--;
    expect((await batch([kills(40, 10)])).kind).toBe('applied');
    await expectSame('retried on v2');
    // a: 20 (absolute under v1) + 10 (increment under v2).
    expect(oracle.get('a')?.progress).toBe(30);
  });

  it('refuses a batch on definitions published over before it began', async () => {
    await publish(v1);
    await activateAll(v1);
    const old = served;
    await publish(v2);
    expect(await batch([kills(5, 1)], old)).toEqual({ kind: 'stale_definitions', liveVersion: 2 });
    expect((await batch([kills(5, 1)])).kind).toBe('applied');
    await expectSame('after the retry');
  });

  it('a player erased while a publish re-anchors their rows stays erased', async () => {
    await publish(v1);
    const rowsOf = (userId: string) =>
      [...v1.goalsById.values()].map((goal) =>
        activateAssignment({ row: undefined, userId, goal, isActive: true, now: NOW }),
      );
    await progress().insertMissing([...rowsOf('u0'), ...rowsOf('u1')]);
    // The publish stops on u0's row a, after its cursor read u1's rows.
    const holder = await pool.connect();
    let publishing: Promise<number> | undefined;
    let erasing: Promise<{ deletedRows: number }> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query(
        `SELECT 1 FROM goal_progress WHERE user_id = 'u0' AND goal_id = 'a' FOR UPDATE`,
      );
      publishing = publish(v2);
      await lockWaiters(1);
      let erased = false;
      erasing = createPlayerErasureRepository(pool).erase({
        userId: 'u1',
        pseudonym: 'p1',
        at: NOW,
      });
      void erasing.finally(() => {
        erased = true;
      });
      // It waits for the publish (or, unfenced, would be done already).
      await lockWaiters(2, () => erased);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    await publishing;
    expect((await erasing)?.deletedRows).toBe(v1.goalsById.size);
    const left = await pool.query(`SELECT goal_id FROM goal_progress WHERE user_id = 'u1'`);
    expect(left.rows).toEqual([]);
  });

  it('an api mutation on stale definitions reloads them and runs again', async () => {
    await publish(v1);
    await activateAll(v1);
    await batch([kills(20, 4), { statCode: 'score', value: 100 }]);
    // Another process publishes v2; this one still serves v1 when the reset comes.
    const v2Version = (
      await store.publish({ content: serializeDefinitions(v2), actor: 'other process' })
    ).version;
    expect(served.version).toBe(v2Version - 1);
    await progress().resetGoal('u1', 'a', NOW);
    expect(served.version).toBe(v2Version);
    oracle.set('a', resetAssignment({ row: oracle.get('a')!, now: NOW }));
    await batch([kills(22, 3)]);
    await expectSame('events after the reset on v2');
    expect(oracle.get('a')?.progress).toBe(3);
  });
});
