import { describe, expect, it } from 'vitest';
import type { GoalDef } from '../definitions/definitions.types.ts';
import type { GameEvent } from '../events/event.schema.ts';
import { makeDefinitions, makeGoal, makeRow } from '../testing/builders.ts';
import { advanceLedger } from './advance-ledger.ts';
import { anchorAssignment } from './anchor-assignment.ts';
import { applyBatchToLedger, sameAssignment } from './apply-batch-to-ledger.ts';
import { isCandidate } from './is-candidate.ts';
import { emptyLedger, ledgerKey, type StatLedger } from './ledger.types.ts';

const now = new Date('2026-01-05T10:00:00Z');
let seq = 0;
const stat = (statCode: string, value?: number, inc?: number): GameEvent => ({
  type: 'stat',
  id: `b${++seq}`,
  userId: 'u1',
  statCode,
  ...(value === undefined ? {} : { value }),
  ...(inc === undefined ? {} : { inc }),
  receivedAt: 0,
});

describe('applyBatchToLedger', () => {
  // The benchmark's shape: many absolute goals on one stat, all assigned to the player.
  const goals = Array.from({ length: 100 }, (_, i) =>
    makeGoal({ goalId: `g${i}`, requirement: { statCode: 'kills', targetValue: (i + 1) * 10 } }),
  );
  const definitions = makeDefinitions([
    ...goals,
    makeGoal({ goalId: 'w', requirement: { statCode: 'wins' } }),
  ]);
  const ledgerOf = (ledger: StatLedger) => new Map([[ledgerKey('u1', ledger.statKey), ledger]]);
  const start = emptyLedger('u1', 'stat:kills');
  const stored = goals.map((goal) =>
    anchorAssignment({ assignment: makeRow({ goalId: goal.goalId }), ledger: start, goal }),
  );

  function batch(events: GameEvent[], ledger: StatLedger) {
    const { readings } = advanceLedger({ ledger, events, now });
    const candidates = stored.filter((row) => isCandidate({ stored: row, readings, now }));
    const activeKeys = new Set([ledgerKey('u1', 'stat:kills')]);
    const input = { events, ledgers: ledgerOf(ledger), candidates, activeKeys, definitions, now };
    return { candidates, ...applyBatchToLedger(input) };
  }

  it('writes the ledger and only the rows that cross their target', () => {
    const quiet = batch([stat('kills', 3), stat('kills', 9)], start);
    expect(quiet.candidates).toEqual([]);
    expect(quiet.changed).toEqual([]);
    expect(quiet.ledgers).toEqual([expect.objectContaining({ seq: 2, value: 9 })]);
    const crossing = batch([stat('kills', 35), stat('kills', 12)], quiet.ledgers[0]!);
    expect(crossing.changed.map((row) => [row.goalId, row.status, row.p0])).toEqual([
      ['g0', 'completed', 12],
      ['g1', 'completed', 12],
      ['g2', 'completed', 12],
    ]);
  });

  it('writes an always-candidate once an event gives it a threshold, though its progress derives', () => {
    const daily = makeGoal({ requirement: { progressMode: 'increment' }, dailyIncrement: true });
    const before = { ...start, seq: 3, steps: 3, days: 2, lastDay: '2026-01-04' };
    // Its last counted day is not the ledger's: only the next event can tell whether it counts.
    const assignment = makeRow({
      progress: 1,
      status: 'in_progress',
      lastIncrementDay: '2026-01-03',
    });
    const row = anchorAssignment({ assignment, ledger: before, goal: daily });
    expect(row.threshold).toBe(Number.NEGATIVE_INFINITY);
    const { changed } = applyBatchToLedger({
      events: [stat('kills', undefined, 1)],
      ledgers: ledgerOf(before),
      candidates: [row],
      activeKeys: new Set([ledgerKey('u1', 'stat:kills')]),
      definitions: makeDefinitions([daily]),
      now,
    });
    // Day 3 of the ledger is the row's second counted day: 10 more days complete it.
    expect(changed.map((next) => [next.p0, next.lastIncrementDay, next.threshold])).toEqual([
      [2, '2026-01-05', 3 - 2 + 10],
    ]);
  });

  it('writes no row the batch leaves where derivation puts it, even one it is asked about', () => {
    // Every row as a candidate (the query may return more than it must): none crosses 10.
    const input = { ledgers: ledgerOf(start), candidates: stored, definitions, now };
    const activeKeys = new Set([ledgerKey('u1', 'stat:kills')]);
    const all = applyBatchToLedger({ ...input, events: [stat('kills', 9)], activeKeys });
    expect(all.changed).toEqual([]);
  });

  it('says no_goal and no_assignment as the oracle does, applied otherwise', () => {
    const events = [
      stat('nothing', 1),
      stat('wins', 1),
      stat('kills', 1),
      stat('kills', undefined, 2),
    ];
    const { outcomes, ledgers } = batch(events, start);
    expect(outcomes).toEqual(['no_goal', 'no_assignment', 'applied', 'applied']);
    // An event no goal tracks counts nowhere: no ledger of its stat is written.
    expect(ledgers.map((ledger) => ledger.statKey)).toEqual(['stat:wins', 'stat:kills']);
  });

  it('leaves alone the extra rows a candidate query may return', () => {
    const input = { events: [stat('kills', 50)], ledgers: ledgerOf(start), definitions, now };
    const anchor = (goal: GoalDef, isActive = true) =>
      anchorAssignment({
        assignment: makeRow({ goalId: goal.goalId, isActive }),
        ledger: start,
        goal,
      });
    // An inactive row, and an active one of a key the batch has no events of.
    const idle = applyBatchToLedger({
      ...input,
      candidates: [anchor(goals[0]!, false), anchor(definitions.goalsById.get('w')!)],
      activeKeys: new Set(),
    });
    expect(idle.changed).toEqual([]);
    expect(idle.outcomes).toEqual(['no_assignment']);
    // Rows of a goal that left the definitions, and of one a publish moved from kills to wins.
    const orphans = applyBatchToLedger({
      ...input,
      candidates: [anchor(makeGoal({ goalId: 'gone' })), anchor(makeGoal({ goalId: 'w' }))],
      activeKeys: new Set([ledgerKey('u1', 'stat:kills')]),
    });
    expect(orphans.changed).toEqual([]);
  });
});

describe('sameAssignment', () => {
  it('compares dates by their instant and ignores only updatedAt', () => {
    const row = makeRow({ progress: 10, status: 'completed', completedAt: now });
    const later = new Date(now.getTime() + 1);
    expect(sameAssignment(row, { ...row, completedAt: new Date(now), updatedAt: later })).toBe(
      true,
    );
    expect(sameAssignment(row, { ...row, completedAt: later })).toBe(false);
    expect(sameAssignment(row, { ...row, completedAt: null })).toBe(false);
    expect(sameAssignment(row, { ...row, progress: 11 })).toBe(false);
  });
});
