import { describe, expect, it } from 'vitest';
import type { GameEvent } from '../events/event.schema.ts';
import { anchorAssignment, materializeAssignment } from '../ledger/anchor-assignment.ts';
import { applyBatchToLedger } from '../ledger/apply-batch-to-ledger.ts';
import { ledgerAssignmentViews } from '../ledger/derive-views.ts';
import { emptyLedger, ledgerKey, type StatLedger } from '../ledger/ledger.types.ts';
import { makeDefinitions, makeGoal, makeRow } from '../testing/builders.ts';
import { definitionsAt, endedGoalIds } from './resolve-schedule.ts';

const endsAt = new Date('2026-12-10T00:00:00Z');
const before = new Date('2026-12-09T12:00:00Z');
const after = new Date('2026-12-10T00:00:01Z');
let seq = 0;
const kill = (inc: number): GameEvent => ({
  type: 'stat',
  id: `e${++seq}`,
  userId: 'u1',
  statCode: 'kills',
  inc,
  receivedAt: 0,
});

describe('an ended goal freezes at its window end', () => {
  const window = { startsAt: null, endsAt, claimUntil: null };
  const scheduled = makeGoal({
    goalId: 'windowed',
    requirement: { progressMode: 'increment', targetValue: 100 },
    schedule: window,
  });
  const open = makeGoal({
    goalId: 'open',
    requirement: { progressMode: 'increment', targetValue: 100 },
  });
  const raw = makeDefinitions([scheduled, open]);
  const start = emptyLedger('u1', 'stat:kills');
  const rows = [scheduled, open].map((goal) =>
    anchorAssignment({ assignment: makeRow({ goalId: goal.goalId }), ledger: start, goal }),
  );

  function batch(events: GameEvent[], ledger: StatLedger, now: Date) {
    const definitions = definitionsAt(raw, now);
    // The worker's ENDED_ROWS read adds the ended goals' active rows to the candidates.
    const candidates = rows.filter((row) => endedGoalIds(definitions).includes(row.goalId));
    return applyBatchToLedger({
      events,
      ledgers: new Map([[ledgerKey('u1', ledger.statKey), ledger]]),
      candidates,
      activeKeys: new Set([ledgerKey('u1', 'stat:kills')]),
      definitions,
      now,
    });
  }

  it('events after the end move the open goal, not the ended one', () => {
    const first = batch([kill(7)], start, before);
    expect(first.changed).toEqual([]);
    expect(endedGoalIds(definitionsAt(raw, before))).toEqual([]);
    const second = batch([kill(5)], first.ledgers[0]!, after);
    expect(endedGoalIds(definitionsAt(raw, after))).toEqual(['windowed']);
    expect(second.changed).toHaveLength(1);
    const frozen = second.changed[0]!;
    expect(frozen).toMatchObject({
      goalId: 'windowed',
      p0: 7,
      statKey: 'ended:windowed',
      threshold: null,
    });
    // Reads derive the frozen row from a key no event reaches; the open row follows the ledger.
    const ledgers = new Map([['stat:kills', second.ledgers[0]!]]);
    const views = ledgerAssignmentViews({
      definitions: definitionsAt(raw, after),
      rows: [frozen, rows[1]!],
      ledgers,
      now: after,
    });
    expect(views.get('windowed')?.progress).toBe(7);
    expect(views.get('open')?.progress).toBe(12);
    expect(
      materializeAssignment({ stored: frozen, ledger: undefined, goal: scheduled }).progress,
    ).toBe(7);
  });
});
