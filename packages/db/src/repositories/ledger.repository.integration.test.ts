import {
  type Assignment,
  activateAssignment,
  advanceLedgers,
  anchorAssignment,
  applyBatchToLedger,
  applyEvents,
  assignmentViews,
  claimAssignment,
  type Definitions,
  distinctEvents,
  type GameEvent,
  type GoalDef,
  goalOfRow,
  ledgerAssignmentViews,
  ledgerKeysOf,
  materializeAssignment,
  parseDefinitions,
  resetAssignment,
  type StatLedger,
  sameAssignment,
  statKeyOfGoal,
  targetKeys,
} from '@challenges/core';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawGoal as goal } from '../testing/index.ts';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { createLedgerRepository, type LedgerRepository } from './ledger.repository.ts';

// The stat-ledger model through the real database path (the repository's SQL: mark + lock,
// isCandidate's scan, the batch write; api mutations under the ledger lock), against the
// per-goal oracle in memory: random event / activation / claim / reset sequences, every row
// and view compared after every step. Not wired into the worker and api yet (see
// docs/event-model.md, Status); this is what keeps the SQL honest until it is.

const rotation = (schedule: string, timezone: string, resetProgress: boolean) => ({
  rotation: {
    enabled: true,
    type: 'global',
    schedule,
    timezone,
    onExpiry: { resetProgress, allowReselection: true },
  },
});

const definitions: Definitions = parseDefinitions({
  challenges: [
    {
      challengeId: 'c1',
      name: 'c1',
      description: 'c1',
      goals: [
        goal('abs', { statCode: 'kills', targetValue: 10, progressMode: 'absolute' }),
        goal('rel', { statCode: 'score', targetValue: 15, progressMode: 'relative' }),
        goal('inc', { statCode: 'kills', targetValue: 40, progressMode: 'increment' }),
        // A/B variants: each row completes at its own variant's target (per-row thresholds).
        goal(
          'inc-ab',
          { statCode: 'kills', targetValue: 40, progressMode: 'increment' },
          {
            variants: [
              { variantId: 'low', weight: 1, requirement: { targetValue: 5 } },
              { variantId: 'mid', weight: 1, requirement: { targetValue: 12 } },
              { variantId: 'base', weight: 1 },
            ],
          },
        ),
        goal('logins', { statCode: 'login', targetValue: 3 }, { eventSource: 'login' }),
        goal(
          'daily-inc',
          { statCode: 'score', targetValue: 3, progressMode: 'increment' },
          { type: 'increment', daily: true },
        ),
        goal('first', { statCode: 'kills', targetValue: 1 }, { type: 'daily' }),
        goal(
          'weekly',
          { statCode: 'kills', targetValue: 4, progressMode: 'increment' },
          rotation('weekly', 'Europe/Berlin', true),
        ),
        goal(
          'daily-rel',
          { statCode: 'score', targetValue: 30, progressMode: 'relative' },
          rotation('daily', 'America/New_York', false),
        ),
      ],
    },
  ],
});
const GOALS = [...definitions.goalsById.values()];
const STATS = ['kills', 'score', 'untracked'];
const START = new Date('2026-03-27T22:00:00.000Z').getTime(); // a DST weekend in Berlin

const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let repo: LedgerRepository;
const live = usePublishedDefinitions(database, definitions);

beforeAll(() => {
  pool = database.pool;
  repo = createLedgerRepository(pool);
});

/** The goal a row plays: its A/B variant's when it has one. */
const goalOf = (row: { goalId: string; variantId?: string }): GoalDef =>
  goalOfRow(definitions, row)!;

/** The worker's batch on the ledger model, as the processor will run it. */
async function applyBatch(batchId: string, all: GameEvent[], now: Date) {
  const { events } = distinctEvents(all);
  let fresh: GameEvent[] = [];
  let advances: ReturnType<typeof advanceLedgers> = new Map();
  let locked: ReadonlyMap<string, StatLedger> = new Map();
  return repo.applyLedgerBatch({
    batchId,
    definitionsVersion: live.version(),
    eventIds: events.map((e) => e.id),
    ledgerKeys: ledgerKeysOf(events, definitions),
    now,
    advance: (freshIds, ledgers) => {
      fresh = events.filter((e) => freshIds.has(e.id));
      locked = ledgers;
      advances = advanceLedgers({ events: fresh, ledgers, definitions, now });
      return [...advances.values()];
    },
    apply: (candidates, activeKeys) =>
      applyBatchToLedger({
        events: fresh,
        ledgers: locked,
        candidates,
        activeKeys,
        definitions,
        now,
      }),
  });
}

/** An api mutation on the ledger model: materialize → rule → anchor, under the ledger lock. */
function mutate(
  userId: string,
  goalDef: GoalDef,
  rule: (row: Assignment | undefined) => Assignment | undefined,
) {
  const statKey = statKeyOfGoal(goalDef);
  return repo.mutate({
    definitionsVersion: live.version(),
    userId,
    statKeys: [statKey],
    goalIds: [goalDef.goalId],
    fn: ({ rows, ledgers }) => {
      const stored = rows.find((row) => row.goalId === goalDef.goalId);
      const current =
        stored &&
        materializeAssignment({
          stored,
          ledger: ledgers.get(stored.statKey),
          goal: goalOf(stored),
        });
      const next = rule(current);
      const write =
        next === undefined || next === current
          ? []
          : [
              anchorAssignment({
                assignment: next,
                ledger: ledgers.get(statKey),
                goal: goalOf(next),
              }),
            ];
      return { write, result: undefined };
    },
  });
}

type Op =
  | {
      kind: 'events';
      advanceMin: number;
      events: {
        user: number;
        stat: number;
        login: boolean;
        value?: number;
        inc?: number;
        repeat: boolean;
      }[];
    }
  | { kind: 'activate'; user: number; goal: number; isActive: boolean }
  | { kind: 'claim'; user: number; goal: number }
  | { kind: 'reset'; user: number; goal: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('events' as const),
      // minutes to days: same-day repeats, day changes, period ends.
      advanceMin: fc.oneof(
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 600, max: 4 * 1440 }),
      ),
      events: fc.array(
        fc.record(
          {
            user: fc.integer({ min: 0, max: 1 }),
            stat: fc.integer({ min: 0, max: STATS.length - 1 }),
            login: fc.boolean(),
            value: fc.integer({ min: -5, max: 60 }),
            inc: fc.oneof(fc.integer({ min: 0, max: 25 }), fc.constant(0.5)),
            repeat: fc.boolean(),
          },
          { requiredKeys: ['user', 'stat', 'login', 'repeat'] },
        ),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('activate' as const),
      user: fc.integer({ min: 0, max: 1 }),
      goal: fc.integer({ min: 0, max: GOALS.length - 1 }),
      isActive: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      user: fc.integer({ min: 0, max: 1 }),
      goal: fc.integer({ min: 0, max: GOALS.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reset' as const),
      user: fc.integer({ min: 0, max: 1 }),
      goal: fc.integer({ min: 0, max: GOALS.length - 1 }),
    }),
  },
);

let runNumber = 0;
const totals = { events: 0, candidates: 0, written: 0, ledgersWritten: 0, completed: 0 };

async function runSequence(ops: Op[]): Promise<void> {
  const run = ++runNumber;
  const users = [`r${run}-u1`, `r${run}-u2`];
  let now = START;
  let eventId = 0;
  let batchNo = 0;
  const oracle = new Map<string, Map<string, Assignment>>(users.map((u) => [u, new Map()]));
  const oracleRule = (
    userId: string,
    goalDef: GoalDef,
    rule: (row: Assignment | undefined) => Assignment | undefined,
  ) => {
    const row = oracle.get(userId)!.get(goalDef.goalId);
    const next = rule(row);
    if (next !== undefined) oracle.get(userId)!.set(goalDef.goalId, next);
  };

  // Like initialize: the first player starts with every goal, the other with what ops give it.
  const initial: Op[] = GOALS.map((_, i) => ({
    kind: 'activate',
    user: 0,
    goal: i,
    isActive: true,
  }));
  for (const [step, op] of [...initial, ...ops].entries()) {
    const at = new Date(now);
    if (op.kind === 'events') {
      now += op.advanceMin * 60_000;
      const batchNow = new Date(now);
      const events: GameEvent[] = [];
      for (const spec of op.events) {
        const previous = events[events.length - 1];
        const id = spec.repeat && previous ? previous.id : `r${run}-e${++eventId}`;
        const userId = users[spec.user]!;
        events.push(
          spec.login
            ? { type: 'login', id, userId, receivedAt: 0 }
            : {
                type: 'stat',
                id,
                userId,
                statCode: STATS[spec.stat]!,
                ...(spec.value === undefined ? {} : { value: spec.value }),
                ...(spec.inc === undefined ? {} : { inc: spec.inc }),
                receivedAt: 0,
              },
        );
      }
      const batchId = `r${run}-b${++batchNo}`;
      // Oracle: the per-goal rules on the active rows the events target.
      const fresh = distinctEvents(events).events;
      const { userIds, goalIds } = targetKeys(fresh, definitions);
      const lockedRows = userIds
        .map((u, i) => oracle.get(u)!.get(goalIds[i]!))
        .filter((row): row is Assignment => row?.isActive === true);
      const effects = applyEvents({ events: fresh, rows: lockedRows, definitions, now: batchNow });
      for (const row of effects.changed) {
        if (row.status === 'completed') totals.completed++;
        oracle.get(row.userId)!.set(row.goalId, row);
      }
      const outcome = await applyBatch(batchId, events, batchNow);
      expect(outcome.kind).toBe('applied');
      if (outcome.kind === 'applied') {
        totals.events += fresh.length;
        totals.candidates += outcome.candidates;
        totals.written += outcome.written;
        totals.ledgersWritten += outcome.ledgersWritten;
      }
      // A retried job changes nothing.
      expect((await applyBatch(batchId, events, batchNow)).kind).toBe('already_applied');
    } else {
      const userId = users[op.user]!;
      const goalDef = GOALS[op.goal]!;
      const rule = (row: Assignment | undefined): Assignment | undefined => {
        if (op.kind === 'activate') {
          return activateAssignment({ row, userId, goal: goalDef, isActive: op.isActive, now: at });
        }
        if (row === undefined) return undefined;
        if (op.kind === 'reset') return resetAssignment({ row, now: at });
        return row.status === 'completed' && row.isActive ? claimAssignment({ row, now: at }) : row;
      };
      oracleRule(userId, goalDef, rule);
      await mutate(userId, goalDef, rule);
    }

    const viewNow = new Date(now);
    for (const userId of users) {
      const { rows, ledgers } = await repo.listByUser(userId);
      const expected = oracle.get(userId)!;
      expect(rows.length, `step ${step} ${userId}: row count`).toBe(expected.size);
      for (const stored of rows) {
        const derived = materializeAssignment({
          stored,
          ledger: ledgers.get(stored.statKey),
          goal: goalOf(stored),
        });
        const want = expected.get(stored.goalId)!;
        if (!sameAssignment(want, derived)) {
          expect({ step, op, derived, stored, ledgers: [...ledgers.values()] }).toEqual({
            step,
            op,
            derived: want,
          });
        }
      }
      const views = ledgerAssignmentViews({ definitions, rows, ledgers, now: viewNow });
      const wantViews = assignmentViews({
        definitions,
        rows: [...expected.values()],
        now: viewNow,
      });
      const sorted = (map: Map<string, unknown>) =>
        JSON.stringify([...map].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      expect(sorted(views), `step ${step} ${userId}: views`).toBe(sorted(wantViews));
    }
  }
}

describe('ledger repository against the per-goal oracle', () => {
  it('agrees on every row and view after every step of random sequences through PostgreSQL', async () => {
    const runs = Number(process.env.LEDGER_DB_RUNS ?? 200);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 14 }), (ops) => runSequence(ops)),
      { numRuns: runs, seed: 20261204, endOnFailure: true },
    );
    // The sequences must reach the cases that matter, and rows read stay below rows tracked.
    expect(totals.completed).toBeGreaterThan(runs / 4);
    expect(totals.written).toBeGreaterThan(0);
    expect(totals.candidates / totals.events).toBeLessThan(1);
  }, 600_000);

  it('locks ledger rows before goal rows: an api mutation waits for the batch holding its ledger', async () => {
    const userId = 'lock-order';
    const inc = definitions.goalsById.get('inc')!;
    await mutate(userId, inc, (row) =>
      activateAssignment({ row, userId, goal: inc, isActive: true, now: new Date(START) }),
    );
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT 1 FROM stat_ledger WHERE user_id = $1 AND stat_key = 'stat:kills' FOR UPDATE`,
        [userId],
      );
      let done = false;
      const pending = mutate(
        userId,
        inc,
        (row) => row && resetAssignment({ row, now: new Date(START) }),
      ).then(() => {
        done = true;
      });
      // The mutation must be blocked on the ledger row: wait until PostgreSQL shows it waiting.
      await expect
        .poll(async () => {
          const { rows } = await pool.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`,
          );
          return rows[0].n;
        })
        .toBeGreaterThan(0);
      expect(done).toBe(false);
      await client.query('COMMIT');
      await pending;
      expect(done).toBe(true);
    } finally {
      client.release();
    }
  });
});
