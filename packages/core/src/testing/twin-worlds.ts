/**
 * The oracle and the ledger world driven in lockstep: every operation runs on both, and after
 * each one every goal of every player must be the same row, the same view and get the same
 * claim answer. Used by the property test (generated operations) and the example tests.
 */
import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { distinctEvents, type EventOutcome } from '../events/apply-batch.ts';
import type { GameEvent } from '../events/event.schema.ts';
import { sameAssignment } from '../ledger/apply-batch-to-ledger.ts';
import type { Assignment } from '../progress/progress.types.ts';
import type { AssignmentView } from '../progress/view-assignment.ts';
import {
  type Answer,
  batchSelect,
  claimCheck,
  claimGoal,
  initializePlayer,
  randomSelect,
  resetGoal,
  setGoalActive,
} from './api-operations.ts';
import { LedgerStore, OracleStore, type ProgressStore } from './ledger-worlds.ts';

export class Divergence extends Error {
  override readonly name = 'Divergence';
}

const show = (value: unknown) => JSON.stringify(value);
const time = (date: Date | null) => (date === null ? null : date.getTime());

/** The ledger path reports `applied` where the oracle says `no_change` (see applyBatchToLedger). */
const ledgerOutcome = (outcome: EventOutcome): EventOutcome =>
  outcome === 'no_change' ? 'applied' : outcome;

export interface Counters {
  events: number;
  candidates: number;
  written: number;
  ledgersWritten: number;
  claimsGranted: number;
  completedByEvents: number;
  rotatedByEvents: number;
  cappedAtInt32: number;
}

export class TwinWorlds {
  readonly oracle: OracleStore;
  readonly ledger: LedgerStore;
  readonly counters: Counters;
  private label = '';

  constructor(
    public definitions: Definitions,
    readonly users: readonly string[],
  ) {
    this.oracle = new OracleStore(definitions);
    this.ledger = new LedgerStore(definitions);
    this.counters = {
      ...this.ledger.stats,
      claimsGranted: 0,
      completedByEvents: 0,
      rotatedByEvents: 0,
      cappedAtInt32: 0,
    };
  }

  /** A name for the next step, shown when it diverges. */
  describe(label: string): this {
    this.label = label;
    return this;
  }

  /** The row as both worlds hold it (they were just compared). */
  row(userId: string, goalId: string): Assignment | undefined {
    return this.oracle.rows(userId).get(goalId);
  }

  events(now: Date, events: readonly GameEvent[]): EventOutcome[] {
    const fresh = distinctEvents(events).events;
    const before = new Map(fresh.map((e) => [e.userId, new Map(this.oracle.rows(e.userId))]));
    const expected = this.oracle.applyBatch(fresh, now).map(ledgerOutcome);
    const actual = this.ledger.applyBatch(fresh, now);
    this.count(before);
    this.same(expected, actual, 'outcomes');
    this.compare(now, new Set(fresh.map((e) => e.userId)));
    return actual;
  }

  setActive(now: Date, userId: string, goal: GoalDef, isActive: boolean): void {
    this.both(now, userId, (store) => setGoalActive(this.ctx(store, userId, now), goal, isActive));
  }

  batchSelect(now: Date, userId: string, input: Parameters<typeof batchSelect>[1]): Answer {
    return this.both(now, userId, (store) => batchSelect(this.ctx(store, userId, now), input));
  }

  randomSelect(
    now: Date,
    userId: string,
    input: Omit<Parameters<typeof randomSelect>[1], 'randomInt'> & { seed: number },
  ): Answer {
    return this.both(now, userId, (store) =>
      randomSelect(this.ctx(store, userId, now), { ...input, randomInt: seeded(input.seed) }),
    );
  }

  initialize(now: Date, userId: string): void {
    this.both(now, userId, (store) => initializePlayer(this.ctx(store, userId, now)));
  }

  claim(now: Date, userId: string, goal: GoalDef): Answer {
    const answer = this.both(now, userId, (store) => claimGoal(this.ctx(store, userId, now), goal));
    if (answer.ok) this.counters.claimsGranted++;
    return answer;
  }

  reset(now: Date, userId: string, goal: GoalDef): void {
    this.both(now, userId, (store) => resetGoal(this.ctx(store, userId, now), goal));
  }

  publish(now: Date, definitions: Definitions): void {
    this.definitions = definitions;
    this.oracle.publish(definitions);
    this.ledger.publish(definitions);
    this.compare(now, new Set());
  }

  deleteUser(now: Date, userId: string): void {
    this.both(now, userId, (store) => store.deleteUser(userId));
  }

  private ctx(store: ProgressStore, userId: string, now: Date) {
    return { store, definitions: this.definitions, userId, now };
  }

  private both<T>(now: Date, userId: string, run: (store: ProgressStore) => T): T {
    const expected = run(this.oracle);
    const actual = run(this.ledger);
    this.same(expected, actual, 'answers');
    this.compare(now, new Set([userId]));
    return actual;
  }

  private same(expected: unknown, actual: unknown, what: string): void {
    if (show(expected) !== show(actual)) {
      throw new Divergence(`${this.label}: ${what} ${show(expected)} vs ${show(actual)}`);
    }
  }

  private count(before: ReadonlyMap<string, ReadonlyMap<string, Assignment>>): void {
    const c = this.counters;
    Object.assign(c, this.ledger.stats);
    for (const [userId, rows] of before) {
      for (const row of this.oracle.rows(userId).values()) {
        const old = rows.get(row.goalId);
        if (old === undefined || old === row) continue;
        if (row.status === 'completed' && old.status !== 'completed') c.completedByEvents++;
        if (row.periodKey !== old.periodKey) c.rotatedByEvents++;
        if (row.progress === 2_147_483_647 && old.progress !== row.progress) c.cappedAtInt32++;
      }
    }
  }

  /**
   * Every goal of every player: the same row and view; for the players the step touched, the
   * same claim answer for each goal they have a row of (without a row both refuse alike).
   */
  private compare(now: Date, touched: ReadonlySet<string>): void {
    for (const userId of this.users) {
      const read = {
        oracle: { rows: this.oracle.rows(userId), views: this.oracle.views(userId, now) },
        ledger: { rows: this.ledger.rows(userId), views: this.ledger.views(userId, now) },
      };
      for (const goal of this.definitions.goalsById.values()) {
        const what = `${this.label}: ${userId}/${goal.goalId}`;
        const a = read.oracle.rows.get(goal.goalId);
        const b = read.ledger.rows.get(goal.goalId);
        if (!sameRow(a, b)) {
          const stored = this.ledger.stored(userId).get(goal.goalId);
          const ledgers = [...this.ledger.ledgers(userId).values()];
          throw new Divergence(
            `${what} row\n oracle ${show(a)}\n ledger ${show(b)}\n stored ${show(stored)}\n ledgers ${show(ledgers)}`,
          );
        }
        const x = read.oracle.views.get(goal.goalId);
        const y = read.ledger.views.get(goal.goalId);
        if (!sameView(x, y))
          throw new Divergence(`${what} view\n oracle ${show(x)}\n derived ${show(y)}`);
        if (a === undefined || !touched.has(userId)) continue;
        const ctx = { definitions: this.definitions, userId, now };
        const claimA = claimCheck({ ...ctx, store: this.oracle }, goal, read.oracle).answer;
        const claimB = claimCheck({ ...ctx, store: this.ledger }, goal, read.ledger).answer;
        this.same(claimA, claimB, `${userId}/${goal.goalId} claim`);
      }
    }
  }
}

/** A deterministic randomInt (xorshift32) for one random select, the same for both worlds. */
function seeded(seed: number): (maxExclusive: number) => number {
  let state = seed >>> 0 || 1;
  return (maxExclusive) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % maxExclusive;
  };
}

function sameRow(a: Assignment | undefined, b: Assignment | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameAssignment(a, b);
}

function sameView(a: AssignmentView | undefined, b: AssignmentView | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.progress === b.progress &&
    a.status === b.status &&
    time(a.completedAt) === time(b.completedAt) &&
    time(a.claimedAt) === time(b.claimedAt) &&
    a.isActive === b.isActive &&
    time(a.assignedAt) === time(b.assignedAt) &&
    time(a.expiresAt) === time(b.expiresAt) &&
    a.stale === b.stale
  );
}
