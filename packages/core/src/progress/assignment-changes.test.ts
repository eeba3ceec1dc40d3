import { describe, expect, it } from 'vitest';
import { makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { activateAssignment, deactivateAssignment, resetAssignment } from './assignment-changes.ts';

const now = new Date('2026-01-05T10:00:00Z');

describe('activateAssignment', () => {
  it('starts a new row of a rotating goal in the period current now, one of another without', () => {
    const goal = makeGoal({ rotation: makeRotation() });
    expect(activateAssignment({ row: undefined, userId: 'u1', goal, isActive: true, now })).toEqual(
      makeRow({
        isActive: true,
        assignedAt: now,
        updatedAt: now,
        periodKey: '2026-01-05T00:00:00.000Z',
        expiresAt: new Date('2026-01-06T00:00:00Z'),
      }),
    );
    const once = activateAssignment({
      row: undefined,
      userId: 'u1',
      goal: makeGoal(),
      isActive: false,
      now,
    });
    expect(once).toMatchObject({ isActive: false, periodKey: null, expiresAt: null });
  });
});

describe('deactivateAssignment', () => {
  it('makes an active row inactive with its progress kept, and leaves an inactive one as it is', () => {
    const active = makeRow({ progress: 4, status: 'in_progress' });
    expect(deactivateAssignment({ row: active, now })).toEqual({
      ...active,
      isActive: false,
      updatedAt: now,
    });
    const inactive = makeRow({ isActive: false });
    expect(deactivateAssignment({ row: inactive, now })).toBe(inactive);
  });
});

describe('resetAssignment', () => {
  it('starts the row afresh in its period: progress, completion, claim, baseline, day and reopening go', () => {
    const row = makeRow({
      progress: 7,
      status: 'claimed',
      completedAt: new Date('2026-01-04T10:00:00Z'),
      claimedAt: new Date('2026-01-04T11:00:00Z'),
      baseline: 3,
      lastIncrementDay: '2026-01-04',
      reopenedAt: new Date('2026-01-04T00:00:00Z'),
      periodKey: '2026-01-04T00:00:00.000Z',
      isActive: true,
    });
    expect(resetAssignment({ row, now })).toEqual({
      ...row,
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      baseline: null,
      lastIncrementDay: null,
      reopenedAt: null,
      updatedAt: now,
    });
  });
});
