import { describe, expect, it } from 'vitest';
import { makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import type { GoalStatus } from './progress.types.ts';
import { isLocked, isStale, rotateAssignment, viewAssignment } from './view-assignment.ts';

const now = new Date('2026-01-10T12:00:00Z');
const today = '2026-01-10T00:00:00.000Z';
const yesterday = '2026-01-09T00:00:00.000Z';
const endOfToday = new Date('2026-01-11T00:00:00Z');
const completedAt = new Date('2026-01-09T10:00:00Z');
const claimedAt = new Date('2026-01-09T11:00:00Z');

const rotating = (resetProgress: boolean, allowReselection: boolean) =>
  makeGoal({
    requirement: { progressMode: 'relative' },
    rotation: makeRotation({ resetProgress, allowReselection }),
  });

describe('isStale', () => {
  it('is false for goals that do not rotate', () => {
    expect(isStale({ goal: makeGoal(), row: makeRow(), now })).toBe(false);
  });

  it('compares the row period with the current one', () => {
    const goal = rotating(true, false);
    expect(isStale({ goal, row: makeRow({ periodKey: today }), now })).toBe(false);
    expect(isStale({ goal, row: makeRow({ periodKey: yesterday }), now })).toBe(true);
    // A row written before the goal started rotating has no period.
    expect(isStale({ goal, row: makeRow({ periodKey: null }), now })).toBe(true);
  });
});

describe('viewAssignment', () => {
  it('shows defaults without a row, with the current period end', () => {
    expect(viewAssignment({ goal: rotating(true, false), row: undefined, now })).toEqual({
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      isActive: false,
      assignedAt: null,
      expiresAt: endOfToday,
      stale: false,
    });
    expect(viewAssignment({ goal: makeGoal(), row: null, now }).expiresAt).toBeNull();
  });

  it('shows a current row as stored', () => {
    const row = makeRow({
      progress: 4,
      status: 'in_progress',
      periodKey: today,
      expiresAt: endOfToday,
    });
    expect(viewAssignment({ goal: rotating(true, false), row, now })).toEqual({
      progress: 4,
      status: 'in_progress',
      completedAt: null,
      claimedAt: null,
      isActive: true,
      assignedAt: row.assignedAt,
      expiresAt: endOfToday,
      stale: false,
    });
  });

  it('shows a row of a goal without rotation as stored, with no expiry', () => {
    const row = makeRow({ progress: 10, status: 'completed', completedAt });
    expect(viewAssignment({ goal: makeGoal(), row, now })).toMatchObject({
      progress: 10,
      status: 'completed',
      completedAt,
      expiresAt: null,
      stale: false,
    });
  });

  it('shows a stale row as started over when the goal resets progress', () => {
    const row = makeRow({
      progress: 10,
      status: 'completed',
      completedAt,
      periodKey: yesterday,
      isActive: true,
    });
    expect(viewAssignment({ goal: rotating(true, false), row, now })).toEqual({
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      isActive: true,
      assignedAt: row.assignedAt,
      expiresAt: endOfToday,
      stale: true,
    });
  });

  it('keeps a stale claimed row claimed unless reselection is allowed', () => {
    const row = makeRow({
      progress: 10,
      status: 'claimed',
      completedAt,
      claimedAt,
      periodKey: yesterday,
    });
    expect(viewAssignment({ goal: rotating(true, false), row, now })).toMatchObject({
      progress: 10,
      status: 'claimed',
      claimedAt,
      stale: true,
      expiresAt: endOfToday,
    });
    expect(viewAssignment({ goal: rotating(true, true), row, now })).toMatchObject({
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      stale: true,
    });
  });

  it('shows a stale row as stored when the goal keeps progress', () => {
    const row = makeRow({ progress: 3, status: 'in_progress', periodKey: yesterday });
    expect(viewAssignment({ goal: rotating(false, false), row, now })).toMatchObject({
      progress: 3,
      status: 'in_progress',
      stale: true,
      expiresAt: endOfToday,
    });
  });

  it('reopens a stale claimed row with reselection even without progress reset', () => {
    const row = makeRow({ progress: 9, status: 'claimed', claimedAt, periodKey: yesterday });
    expect(viewAssignment({ goal: rotating(false, true), row, now })).toMatchObject({
      progress: 0,
      status: 'not_started',
      claimedAt: null,
    });
  });
});

describe('rotateAssignment', () => {
  it('returns null when the row is in the current period or the goal does not rotate', () => {
    expect(
      rotateAssignment({ goal: rotating(true, true), row: makeRow({ periodKey: today }), now }),
    ).toBeNull();
    expect(rotateAssignment({ goal: makeGoal(), row: makeRow(), now })).toBeNull();
  });

  it('starts a reopened row over in the current period', () => {
    const row = makeRow({
      progress: 10,
      status: 'claimed',
      completedAt,
      claimedAt,
      baseline: 40,
      lastIncrementDay: '2026-01-09',
      periodKey: yesterday,
      expiresAt: new Date(today),
    });
    expect(rotateAssignment({ goal: rotating(true, true), row, now })).toEqual({
      ...row,
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      baseline: null,
      lastIncrementDay: null,
      periodKey: today,
      expiresAt: endOfToday,
      reopenedAt: now,
      updatedAt: now,
    });
  });

  it('moves a row that carries over into the current period, keeping its progress', () => {
    const row = makeRow({ progress: 3, status: 'in_progress', baseline: 40, periodKey: yesterday });
    expect(rotateAssignment({ goal: rotating(false, false), row, now })).toEqual({
      ...row,
      periodKey: today,
      expiresAt: endOfToday,
      updatedAt: now,
    });
  });

  it('moves a claimed row that rotation does not reopen, still claimed', () => {
    const row = makeRow({ progress: 10, status: 'claimed', claimedAt, periodKey: yesterday });
    expect(rotateAssignment({ goal: rotating(true, false), row, now })).toMatchObject({
      status: 'claimed',
      claimedAt,
      progress: 10,
      periodKey: today,
    });
  });
});

describe('isLocked', () => {
  const goal = makeGoal({ prerequisites: ['a', 'b'] });
  const views = (entries: Record<string, GoalStatus>) =>
    new Map(Object.entries(entries).map(([id, status]) => [id, { status }]));

  it('is unlocked without prerequisites', () => {
    expect(isLocked({ goal: makeGoal(), viewsByGoalId: new Map() })).toBe(false);
  });

  it('is unlocked when every prerequisite is completed or claimed', () => {
    expect(isLocked({ goal, viewsByGoalId: views({ a: 'completed', b: 'claimed' }) })).toBe(false);
  });

  it('is locked by a prerequisite that is missing or not done', () => {
    expect(isLocked({ goal, viewsByGoalId: views({ a: 'completed' }) })).toBe(true);
    expect(isLocked({ goal, viewsByGoalId: views({ a: 'completed', b: 'in_progress' }) })).toBe(
      true,
    );
    expect(isLocked({ goal, viewsByGoalId: views({ a: 'not_started', b: 'claimed' }) })).toBe(true);
  });
});
