/**
 * Publishing changed definitions: the oracle keeps its rows and applies the new rules from the
 * next event on; the ledger world re-anchors the rows of changed goals (reanchorAssignment).
 */
import { describe, expect, it } from 'vitest';
import type { GoalDef } from '../definitions/definitions.types.ts';
import type { GameEvent } from '../events/event.schema.ts';
import { makeDefinitions, makeGoal, makeRotation } from '../testing/builders.ts';
import { TwinWorlds } from '../testing/twin-worlds.ts';
import { requirementFingerprint } from './reanchor-assignment.ts';

let seq = 0;
const stat = (statCode: string, value?: number, inc?: number): GameEvent => ({
  type: 'stat',
  id: `p${++seq}`,
  userId: 'u1',
  statCode,
  ...(value === undefined ? {} : { value }),
  ...(inc === undefined ? {} : { inc }),
  receivedAt: 0,
});
const at = (iso: string) => new Date(iso);
const t0 = at('2026-01-05T10:00:00Z');

function started(goal: GoalDef, events: GameEvent[]) {
  const w = new TwinWorlds(makeDefinitions([goal]), ['u1']);
  w.setActive(t0, 'u1', goal, true);
  w.events(t0, events);
  return w;
}

const redefine = (w: TwinWorlds, goal: GoalDef, now = t0) =>
  w.publish(now, makeDefinitions([goal]));

describe('publishing a changed goal', () => {
  const kills = makeGoal({ goalId: 'g', requirement: { statCode: 'kills', targetValue: 10 } });

  it('absolute to increment: counts events from the progress it had', () => {
    const w = started(kills, [stat('kills', 6)]);
    redefine(w, { ...kills, requirement: { ...kills.requirement, progressMode: 'increment' } });
    w.events(t0, [stat('kills', 1, 3), stat('kills', 40)]);
    expect(w.row('u1', 'g')).toMatchObject({ progress: 10, status: 'completed' });
  });

  it('a lowered target completes at the next event that keeps the progress there', () => {
    const w = started(kills, [stat('kills', 7)]);
    redefine(w, { ...kills, requirement: { ...kills.requirement, targetValue: 5 } });
    expect(w.row('u1', 'g')).toMatchObject({ progress: 7, status: 'in_progress' });
    w.events(t0, [stat('kills', 6)]);
    expect(w.row('u1', 'g')).toMatchObject({ progress: 6, status: 'completed' });
  });

  it('another stat code: the row reads the other ledger from its current progress', () => {
    const w = started(kills, [stat('kills', 4), stat('wins', 100)]);
    redefine(w, { ...kills, requirement: { ...kills.requirement, statCode: 'wins' } });
    w.events(t0, [stat('kills', 50), stat('wins', 11)]);
    expect(w.row('u1', 'g')).toMatchObject({ progress: 11, status: 'completed' });
  });

  it('another rotation schedule makes the row stale before its old period ends', () => {
    const daily = makeGoal({
      goalId: 'g',
      requirement: { statCode: 'wins', targetValue: 5, progressMode: 'increment' },
      rotation: makeRotation({ schedule: 'daily', resetProgress: true }),
    });
    const weekly = {
      ...daily,
      rotation: makeRotation({ schedule: 'weekly', weekStartsOn: 'sunday', resetProgress: true }),
    };
    expect(requirementFingerprint(weekly)).not.toBe(requirementFingerprint(daily));
    const w = started(daily, [stat('wins', undefined, 3)]);
    redefine(w, weekly, at('2026-01-05T12:00:00Z'));
    // Still inside the old daily period, but in a weekly period (from Sunday) of its own.
    w.events(at('2026-01-05T13:00:00Z'), [stat('wins')]);
    expect(w.row('u1', 'g')).toMatchObject({ progress: 1, periodKey: '2026-01-04T00:00:00.000Z' });
    expect(w.row('u1', 'g')?.expiresAt).toEqual(at('2026-01-11T00:00:00Z'));
  });
});
