import type { ChallengeView, GoalView } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { changedGoals, diffGoals, goalChangeJson, goalPrints } from './goal-changes.ts';

const goal = (goalId: string, over: Partial<GoalView> = {}): GoalView =>
  ({
    goal: { goalId } as GoalView['goal'],
    progress: 0,
    status: 'not_started',
    locked: false,
    completedAt: null,
    claimedAt: null,
    isActive: true,
    assignedAt: new Date('2026-12-06T00:00:00Z'),
    expiresAt: null,
    expiresInSeconds: 0,
    ...over,
  }) as GoalView;
const list = (...goals: GoalView[]): ChallengeView[] => [
  { challenge: { challengeId: 'c' } as ChallengeView['challenge'], goals },
];

describe('changedGoals', () => {
  it('sends every goal without a baseline, then only those that changed', () => {
    const first = changedGoals(list(goal('a'), goal('b')), null);
    expect(first.changes.map((c) => c.view.goal.goalId)).toEqual(['a', 'b']);
    const second = changedGoals(list(goal('a', { progress: 3 }), goal('b')), first.next);
    expect(second.changes.map((c) => c.view.goal.goalId)).toEqual(['a']);
    expect(changedGoals(list(goal('a', { progress: 3 }), goal('b')), second.next).changes).toEqual(
      [],
    );
  });

  it('counts rotation (expiresAt) and activation, not the countdown of expiresInSeconds', () => {
    const base = changedGoals(list(goal('a', { expiresInSeconds: 100 })), null).next;
    expect(changedGoals(list(goal('a', { expiresInSeconds: 50 })), base).changes).toEqual([]);
    const rotated = goal('a', { expiresAt: new Date('2026-12-07T00:00:00Z') });
    expect(changedGoals(list(rotated), base).changes).toHaveLength(1);
    expect(changedGoals(list(goal('a', { isActive: false })), base).changes).toHaveLength(1);
  });

  it('keeps the baseline when nothing changed, and forgets goals that left the list', () => {
    const base = changedGoals(list(goal('a'), goal('b')), null).next;
    const prints = goalPrints(list(goal('a'), goal('b')));
    expect(diffGoals(prints, base).next).toBe(base);
    // b leaves the list (a publish removed it) and comes back unchanged: sent again, as a
    // connection's fresh baseline per re-derive did.
    const without = diffGoals(goalPrints(list(goal('a'))), base);
    expect(without.changes).toEqual([]);
    expect([...without.next.keys()]).toEqual(['a']);
    const back = diffGoals(prints, without.next);
    expect(back.changes.map((c) => c.view.goal.goalId)).toEqual(['b']);
  });

  it('writes a change as ids plus the per-player fields of GET /v1/challenges', () => {
    const [change] = changedGoals(
      list(goal('a', { progress: 2, status: 'in_progress' })),
      null,
    ).changes;
    expect(goalChangeJson(change!)).toEqual({
      challengeId: 'c',
      goalId: 'a',
      progress: 2,
      status: 'in_progress',
      locked: false,
      completedAt: '',
      claimedAt: '',
      isActive: true,
      expiresAt: '',
      expiresInSeconds: 0,
    });
  });
});
