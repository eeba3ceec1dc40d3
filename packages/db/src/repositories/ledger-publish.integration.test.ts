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
  type StatLedger,
  sameAssignment,
  targetKeys,
} from '@challenges/core';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { inTransaction } from '../transaction.ts';
import { createLedgerRepository } from './ledger.repository.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import { reanchorForPublish } from './ledger-publish.ts';

// Publishing changed definitions on the ledger model: rows of changed, removed and re-added
// goals re-anchored in the publish transaction must keep the per-goal oracle's state, and
// events under the new definitions must keep agreeing with it.
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

const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let live = v1;
const oracle = new Map<string, Assignment>();
let eventNo = 0;
const NOW = new Date('2026-03-01T12:00:00.000Z');

beforeAll(() => {
  pool = database.pool;
});

const progress = () => createLedgerProgressRepository(pool, { definitions: () => live });

async function batch(specs: { statCode: string; value?: number; inc?: number }[]) {
  const events: GameEvent[] = specs.map((spec) => ({
    type: 'stat',
    id: `e${++eventNo}`,
    userId: 'u1',
    receivedAt: 0,
    ...spec,
  }));
  const definitions = live;
  const { userIds, goalIds } = targetKeys(events, definitions);
  const rows = userIds
    .map((_, i) => oracle.get(goalIds[i]!))
    .filter((row): row is Assignment => row?.isActive === true);
  for (const row of applyEvents({ events, rows, definitions, now: NOW }).changed) {
    oracle.set(row.goalId, row);
  }
  let locked: ReadonlyMap<string, StatLedger> = new Map();
  await createLedgerRepository(pool).applyLedgerBatch({
    batchId: `b${eventNo}`,
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
}

async function publish(next: Definitions) {
  const before = live;
  const rewritten = await inTransaction(pool, (client) =>
    reanchorForPublish(client, { before, after: next, chunk: 2 }),
  );
  live = next;
  return rewritten;
}

async function expectSame(label: string) {
  const rows = await progress().listByUser('u1');
  for (const goal of live.goalsById.values()) {
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

describe('publish re-anchoring', () => {
  it('keeps every row as the oracle holds it across changed, removed and re-added goals', async () => {
    const rows = [...v1.goalsById.values()].map((goal) =>
      activateAssignment({ row: undefined, userId: 'u1', goal, isActive: true, now: NOW }),
    );
    for (const row of rows) oracle.set(row.goalId, row);
    await progress().insertMissing(rows);

    await batch([
      { statCode: 'kills', value: 20, inc: 4 },
      { statCode: 'score', value: 100 },
    ]);
    await batch([
      { statCode: 'kills', value: 25, inc: 4 },
      { statCode: 'score', value: 110 },
    ]);
    await expectSame('v1');

    // a, b, c changed; d removed: 4 rows.
    expect(await publish(v2)).toBe(4);
    await expectSame('after publishing v2');
    await batch([
      { statCode: 'kills', value: 26, inc: 3 },
      { statCode: 'points', value: 7 },
    ]);
    await batch([
      { statCode: 'points', value: 60 },
      { statCode: 'score', value: 500 },
    ]);
    await expectSame('events under v2');
    expect(oracle.get('b')?.status).toBe('completed');

    // d is back: it resumes from where it froze, the events in between not counted.
    expect(await publish(v3)).toBe(1);
    await expectSame('after publishing v3');
    await batch([{ statCode: 'kills', value: 27, inc: 10 }]);
    await expectSame('events under v3');
    expect(oracle.get('d')?.progress).toBe(18);
    // Nothing changed: nothing to do.
    expect(await publish(v3)).toBe(0);
  });
});
