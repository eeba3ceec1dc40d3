import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors.ts';
import type { Assignment, GoalStatus } from '../progress/progress.types.ts';
import { makeDefinitions, makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { checkClaim, claimPeriodKey } from './check-claim.ts';

const now = new Date('2026-01-10T12:00:00Z');
const today = '2026-01-10T00:00:00.000Z';
const yesterday = '2026-01-09T00:00:00.000Z';
const claimedAt = new Date('2026-01-09T11:22:33.456Z');

const rotation = (resetProgress: boolean, allowReselection: boolean) =>
  makeRotation({ resetProgress, allowReselection });

const definitions = makeDefinitions([
  makeGoal({ goalId: 'base', challengeId: 'c1' }),
  makeGoal({ goalId: 'plain', challengeId: 'c1' }),
  makeGoal({ goalId: 'locked', challengeId: 'c1', prerequisites: ['base'] }),
  makeGoal({
    goalId: 'reset',
    challengeId: 'c1',
    requirement: { progressMode: 'relative' },
    rotation: rotation(true, false),
  }),
  makeGoal({
    goalId: 'reselect',
    challengeId: 'c1',
    requirement: { progressMode: 'relative' },
    rotation: rotation(false, true),
  }),
  makeGoal({
    goalId: 'keep',
    challengeId: 'c1',
    requirement: { progressMode: 'relative' },
    rotation: rotation(false, false),
  }),
  makeGoal({ goalId: 'other', challengeId: 'c2' }),
]);

function attempt(
  goalId: string,
  row: Assignment | null,
  statuses: Record<string, GoalStatus> = {},
  challengeId = 'c1',
) {
  const viewsByGoalId = new Map(Object.entries(statuses).map(([id, status]) => [id, { status }]));
  try {
    return checkClaim({ definitions, challengeId, goalId, row, viewsByGoalId, now }).goal;
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    const { code, message } = error as CoreError;
    return { code, message };
  }
}

const completed = (overrides: Partial<Assignment> = {}) =>
  makeRow({ progress: 10, status: 'completed', completedAt: now, ...overrides });

describe('checkClaim', () => {
  it('(1) refuses a goal that is not in that challenge', () => {
    expect(attempt('nope', completed())).toEqual({
      code: 'NOT_FOUND',
      message: 'Goal not found (challenge_id: c1, goal_id: nope)',
    });
    expect(attempt('other', completed())).toEqual({
      code: 'NOT_FOUND',
      message: 'Goal not found (challenge_id: c1, goal_id: other)',
    });
    expect(attempt('plain', completed(), {}, 'c9')).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('(2) refuses a goal without an assignment as not started', () => {
    expect(attempt('plain', null)).toEqual({
      code: 'NOT_COMPLETED',
      message: 'Goal not completed (goal_id: plain, status: not_started)',
    });
  });

  it('(3) refuses an inactive assignment, before looking at rotation or status', () => {
    expect(attempt('reset', completed({ isActive: false, periodKey: yesterday }))).toEqual({
      code: 'GOAL_INACTIVE',
      message: 'Goal must be active to claim reward (goal_id: reset)',
    });
    expect(
      attempt('plain', makeRow({ isActive: false, status: 'claimed', claimedAt })),
    ).toMatchObject({
      code: 'GOAL_INACTIVE',
    });
  });

  it('(4) refuses a completion of an earlier period that rotation reopens', () => {
    const rotated = {
      code: 'GOAL_ROTATED',
      message: 'Goal has rotated and must be re-completed (goal_id: reset)',
    };
    expect(attempt('reset', completed({ periodKey: yesterday }))).toEqual(rotated);
    expect(
      attempt('reselect', completed({ status: 'claimed', claimedAt, periodKey: yesterday })),
    ).toEqual({
      ...rotated,
      message: 'Goal has rotated and must be re-completed (goal_id: reselect)',
    });
  });

  it('(4→5) lets a claimed row that rotation does not reopen go on to already claimed', () => {
    expect(
      attempt('reset', completed({ status: 'claimed', claimedAt, periodKey: yesterday })),
    ).toEqual({
      code: 'ALREADY_CLAIMED',
      message: 'Reward has already been claimed (goal_id: reset, claimed_at: 2026-01-09T11:22:33Z)',
    });
  });

  it('(4) accepts a completion carried into a new period when the goal keeps progress', () => {
    expect(attempt('keep', completed({ periodKey: yesterday }))).toMatchObject({ goalId: 'keep' });
  });

  it('(5) refuses a second claim with the first claim time', () => {
    expect(attempt('plain', completed({ status: 'claimed', claimedAt }))).toEqual({
      code: 'ALREADY_CLAIMED',
      message: 'Reward has already been claimed (goal_id: plain, claimed_at: 2026-01-09T11:22:33Z)',
    });
    expect(
      attempt('reset', completed({ status: 'claimed', claimedAt, periodKey: today })),
    ).toMatchObject({
      code: 'ALREADY_CLAIMED',
    });
  });

  it('(5 before 7) answers already claimed even while prerequisites are unmet', () => {
    expect(attempt('locked', completed({ status: 'claimed', claimedAt }))).toMatchObject({
      code: 'ALREADY_CLAIMED',
    });
  });

  it('(6) refuses a goal that is not completed, naming its status', () => {
    expect(attempt('plain', makeRow({ progress: 3, status: 'in_progress' }))).toEqual({
      code: 'NOT_COMPLETED',
      message: 'Goal not completed (goal_id: plain, status: in_progress)',
    });
    expect(attempt('plain', makeRow())).toEqual({
      code: 'NOT_COMPLETED',
      message: 'Goal not completed (goal_id: plain, status: not_started)',
    });
  });

  it('(6 before 7) answers not completed even while prerequisites are unmet', () => {
    expect(attempt('locked', makeRow({ status: 'in_progress', progress: 1 }))).toMatchObject({
      code: 'NOT_COMPLETED',
    });
  });

  it('(7) refuses while a prerequisite is neither completed nor claimed', () => {
    const refused = {
      code: 'PREREQUISITES_NOT_MET',
      message: 'Prerequisites not completed (goal_id: locked)',
    };
    expect(attempt('locked', completed())).toEqual(refused);
    expect(attempt('locked', completed(), { base: 'in_progress' })).toEqual(refused);
  });

  it('returns the goal when every check passes', () => {
    expect(attempt('plain', completed())).toBe(definitions.goalsById.get('plain'));
    expect(attempt('locked', completed(), { base: 'completed' })).toBe(
      definitions.goalsById.get('locked'),
    );
    expect(attempt('locked', completed(), { base: 'claimed' })).toBe(
      definitions.goalsById.get('locked'),
    );
    expect(attempt('reset', completed({ periodKey: today }))).toBe(
      definitions.goalsById.get('reset'),
    );
  });

  it('(5) counts the grant of an earlier claim (data deleted since) as claimed, before (6)', () => {
    const earlierClaim = { claimedAt };
    const refused = {
      code: 'ALREADY_CLAIMED',
      message: 'Reward has already been claimed (goal_id: plain, claimed_at: 2026-01-09T11:22:33Z)',
    };
    const run = (row: Assignment) =>
      expectCoreError(() =>
        checkClaim({
          definitions,
          challengeId: 'c1',
          goalId: 'plain',
          row,
          viewsByGoalId: new Map(),
          earlierClaim,
          now,
        }),
      );
    expect(run(completed())).toEqual(refused);
    expect(run(makeRow({ status: 'in_progress', progress: 2 }))).toEqual(refused);
  });

  it('returns the row as it must be stored: moved into the current period', () => {
    const claimable = checkClaim({
      definitions,
      challengeId: 'c1',
      goalId: 'keep',
      row: completed({ periodKey: yesterday, baseline: 7 }),
      viewsByGoalId: new Map(),
      now,
    });
    expect(claimable.row).toMatchObject({
      status: 'completed',
      progress: 10,
      baseline: 7,
      periodKey: today,
      expiresAt: new Date('2026-01-11T00:00:00Z'),
    });
  });
});

describe('claimPeriodKey', () => {
  it("is the rotation period current at the claim, null (the key's `once`) without rotation", () => {
    expect(claimPeriodKey({ goal: makeGoal({ rotation: makeRotation() }), now })).toBe(today);
    expect(claimPeriodKey({ goal: makeGoal(), now })).toBeNull();
  });
});

function expectCoreError(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    const { code, message } = error as CoreError;
    return { code, message };
  }
  throw new Error('expected a CoreError');
}
