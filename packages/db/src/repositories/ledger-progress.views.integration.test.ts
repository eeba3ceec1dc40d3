import {
  type Assignment,
  advanceLedgers,
  applyBatchToLedger,
  assignmentViews,
  type GameEvent,
  ledgerKeysOf,
  newAssignment,
  type StatLedger,
} from '@challenges/core';
import { makeDefinitions, makeGoal, makeRotation } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { createLedgerRepository } from './ledger.repository.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import type { ProgressRepository } from './progress.repository.ts';

// viewsByUser (list and initialize) derives views straight from the stored rows and ledgers;
// it must answer exactly what the materializing path (listByUser → assignmentViews) does, for
// rows of every mode, while events move the ledgers and periods end.
const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let progress: ProgressRepository;
let batches = 0;

const daily = makeRotation({ schedule: 'daily', resetProgress: true, allowReselection: true });
const weeklyKeep = makeRotation({ schedule: 'weekly', resetProgress: false });
const definitions = makeDefinitions([
  makeGoal({ goalId: 'abs', requirement: { progressMode: 'absolute', targetValue: 50 } }),
  makeGoal({ goalId: 'abs-done', requirement: { progressMode: 'absolute', targetValue: 5 } }),
  makeGoal({ goalId: 'rel', requirement: { progressMode: 'relative', targetValue: 500 } }),
  makeGoal({ goalId: 'inc', requirement: { progressMode: 'increment', targetValue: 100 } }),
  makeGoal({ goalId: 'login', eventSource: 'login', requirement: { statCode: 'login' } }),
  makeGoal({
    goalId: 'daily-inc',
    dailyIncrement: true,
    requirement: { progressMode: 'increment', targetValue: 5 },
  }),
  makeGoal({
    goalId: 'legacy-daily',
    completesOnFirstEvent: true,
    rotation: daily,
    requirement: { progressMode: 'increment', targetValue: 1 },
  }),
  makeGoal({ goalId: 'rot-daily', rotation: daily, requirement: { progressMode: 'increment' } }),
  makeGoal({
    goalId: 'rot-weekly-keep',
    challengeId: 'c2',
    rotation: weeklyKeep,
    requirement: { progressMode: 'relative', targetValue: 1000 },
  }),
  makeGoal({ goalId: 'claimed', challengeId: 'c2', requirement: { progressMode: 'increment' } }),
  makeGoal({
    goalId: 'claimed-rot',
    challengeId: 'c2',
    rotation: daily,
    requirement: { progressMode: 'increment' },
  }),
  makeGoal({ goalId: 'inactive', challengeId: 'c2', requirement: { progressMode: 'increment' } }),
  makeGoal({ goalId: 'unassigned', challengeId: 'c2' }),
]);
const live = usePublishedDefinitions(database, definitions);

beforeAll(() => {
  pool = database.pool;
  progress = createLedgerProgressRepository(pool, { definitions: live });
});

/** One batch of `events` as the worker applies it, at `now`. */
async function apply(events: GameEvent[], now: Date) {
  let locked: ReadonlyMap<string, StatLedger> = new Map();
  await createLedgerRepository(pool).applyLedgerBatch({
    batchId: `b${batches++}`,
    definitionsVersion: live.version(),
    eventIds: events.map((e) => e.id),
    ledgerKeys: ledgerKeysOf(events, definitions),
    now,
    advance: (_fresh, ledgers) => {
      locked = ledgers;
      return [...advanceLedgers({ events, ledgers, definitions, now }).values()];
    },
    apply: (candidates, activeKeys) =>
      applyBatchToLedger({ events, ledgers: locked, candidates, activeKeys, definitions, now }),
  });
}

const stat = (userId: string, value: number, inc: number): GameEvent => ({
  type: 'stat',
  id: `e${batches}-${value}`,
  userId,
  statCode: 'kills',
  value,
  inc,
  receivedAt: 0,
});
const login = (userId: string): GameEvent => ({
  type: 'login',
  id: `e${batches}-login`,
  userId,
  receivedAt: 0,
});

const sortedJson = (views: Map<string, unknown>) =>
  JSON.stringify([...views].sort((a, b) => (a[0] < b[0] ? -1 : 1)));

async function expectSameViews(userId: string, now: Date) {
  const fast = await progress.viewsByUser(userId, { definitions, now });
  const slow = assignmentViews({ definitions, rows: await progress.listByUser(userId), now });
  expect(sortedJson(fast), `views at ${now.toISOString()}`).toBe(sortedJson(slow));
  return fast;
}

describe('viewsByUser', () => {
  it('answers what listByUser → assignmentViews does for rows of every mode, across periods', async () => {
    const userId = 'views';
    const t0 = new Date('2026-03-02T10:00:00.000Z');
    const row = (goalId: string, overrides: Partial<Assignment> = {}) => ({
      ...newAssignment({
        userId,
        goal: definitions.goalsById.get(goalId)!,
        isActive: true,
        now: t0,
      }),
      ...overrides,
    });
    const claimedAt = new Date('2026-03-02T09:00:00.000Z');
    const claim = { progress: 10, status: 'claimed' as const, completedAt: claimedAt, claimedAt };
    await progress.insertMissing([
      ...[
        'abs',
        'abs-done',
        'rel',
        'inc',
        'login',
        'daily-inc',
        'legacy-daily',
        'rot-daily',
        'rot-weekly-keep',
      ].map((goalId) => row(goalId)),
      row('claimed', claim),
      row('claimed-rot', claim),
      row('inactive', { isActive: false, progress: 4, status: 'in_progress' }),
      // A row whose goal the definitions no longer have: left out of both answers.
      { ...row('inc'), goalId: 'gone', challengeId: 'c-gone' },
    ]);
    await expectSameViews(userId, t0);

    const days = [0, 1, 2, 8].map((d) => new Date(t0.getTime() + d * 86_400_000));
    let value = 100;
    for (const day of days) {
      await apply([stat(userId, value, 3), stat(userId, value + 7, 7), login(userId)], day);
      value += 20;
      await expectSameViews(userId, day);
      // Later the same day, the next day (daily rows stale) and the next week (weekly stale).
      for (const hours of [5, 30, 24 * 7 + 2]) {
        await expectSameViews(userId, new Date(day.getTime() + hours * 3_600_000));
      }
    }
    const views = await expectSameViews(userId, days[3]!);
    // The sequence reached the states that matter.
    expect(views.get('abs')).toMatchObject({ status: 'completed' });
    expect(views.get('rel')?.progress).toBeGreaterThan(0);
    expect(views.get('daily-inc')).toMatchObject({ progress: 4, status: 'in_progress' });
    expect(views.get('claimed')).toMatchObject({ status: 'claimed', progress: 10 });
    expect(views.get('inactive')).toMatchObject({ isActive: false, progress: 4 });
    expect(views.has('gone')).toBe(false);
    const stale = await progress.viewsByUser(userId, {
      definitions,
      now: new Date(days[3]!.getTime() + 86_400_000),
    });
    expect(stale.get('claimed-rot')).toMatchObject({ stale: true, status: 'not_started' });
  });
});
