import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors.ts';
import type { GoalStatus } from '../progress/progress.types.ts';
import { makeDefinitions, makeGoal } from '../testing/builders.ts';
import {
  checkRandomSelect,
  pickRandom,
  randomSelectionPool,
  resolveBatchSelection,
} from './select-goals.ts';

const definitions = makeDefinitions([
  makeGoal({ goalId: 'a', challengeId: 'c1' }),
  makeGoal({ goalId: 'b', challengeId: 'c1' }),
  makeGoal({ goalId: 'c', challengeId: 'c1', prerequisites: ['a'] }),
  makeGoal({ goalId: 'd', challengeId: 'c1' }),
  makeGoal({ goalId: 'x', challengeId: 'c2' }),
]);

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    return { code: (error as CoreError).code, message: (error as CoreError).message };
  }
  throw new Error('expected an error');
}

const ids = (goals: readonly { goalId: string }[]) => goals.map((goal) => goal.goalId);

describe('resolveBatchSelection', () => {
  const select = (goalIds: string[], challengeId = 'c1') =>
    resolveBatchSelection({ definitions, challengeId, goalIds });

  it('returns the goals, duplicates collapsed in order of first appearance', () => {
    expect(ids(select(['d', 'a', 'd', 'b', 'a']))).toEqual(['d', 'a', 'b']);
  });

  it('refuses an empty list first', () => {
    expect(errorOf(() => select([], 'nope'))).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'goal_ids cannot be empty',
    });
  });

  it('refuses an unknown challenge', () => {
    expect(errorOf(() => select(['a'], 'nope'))).toEqual({
      code: 'NOT_FOUND',
      message: "challenge 'nope' not found",
    });
  });

  it('refuses an unknown goal or a goal of another challenge, all or nothing', () => {
    expect(errorOf(() => select(['a', 'zzz']))).toEqual({
      code: 'NOT_FOUND',
      message: "goal 'zzz' not found",
    });
    expect(errorOf(() => select(['a', 'x']))).toEqual({
      code: 'NOT_FOUND',
      message: "goal 'x' not found",
    });
  });
});

describe('randomSelectionPool', () => {
  const pool = (
    views: Record<string, { status: GoalStatus; isActive: boolean }>,
    flags: { excludeActive?: boolean; replaceExisting?: boolean } = {},
    challengeId = 'c1',
  ) =>
    ids(
      randomSelectionPool({
        definitions,
        challengeId,
        viewsByGoalId: new Map(Object.entries(views)),
        excludeActive: flags.excludeActive ?? false,
        replaceExisting: flags.replaceExisting ?? false,
      }),
    );

  it('offers unlocked goals of the challenge that are not done', () => {
    expect(pool({})).toEqual(['a', 'b', 'd']);
    expect(pool({ a: { status: 'completed', isActive: true } })).toEqual(['b', 'c', 'd']);
    expect(
      pool({
        a: { status: 'claimed', isActive: true },
        b: { status: 'completed', isActive: false },
      }),
    ).toEqual(['c', 'd']);
  });

  it('keeps active goals in the pool unless excluding or replacing', () => {
    const views = { b: { status: 'in_progress' as const, isActive: true } };
    expect(pool(views)).toEqual(['a', 'b', 'd']);
    expect(pool(views, { excludeActive: true })).toEqual(['a', 'd']);
    expect(pool(views, { replaceExisting: true })).toEqual(['a', 'd']);
  });

  it('is empty for an unknown challenge', () => {
    expect(pool({}, {}, 'nope')).toEqual([]);
  });
});

describe('pickRandom', () => {
  const goals = ['a', 'b', 'c'].map((goalId) => makeGoal({ goalId }));

  it('draws every ordered selection exactly once over all random outcomes (uniform)', () => {
    const seen: string[] = [];
    for (let first = 0; first < 3; first++) {
      for (let second = 0; second < 2; second++) {
        const draws = [first, second];
        const bounds: number[] = [];
        const picked = pickRandom({
          pool: goals,
          count: 2,
          randomInt: (max) => {
            bounds.push(max);
            return draws.shift()!;
          },
        });
        expect(bounds).toEqual([3, 2]);
        seen.push(ids(picked).join(''));
      }
    }
    expect(seen.sort()).toEqual(['ab', 'ac', 'ba', 'bc', 'ca', 'cb']);
  });

  it('gives the whole pool when it is smaller than count, without touching the input', () => {
    const pool = [...goals];
    expect(ids(pickRandom({ pool, count: 10, randomInt: () => 0 })).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(ids(pool)).toEqual(['a', 'b', 'c']);
    expect(pickRandom({ pool, count: 0, randomInt: () => 0 })).toEqual([]);
  });
});

describe('checkRandomSelect', () => {
  const check = (count: number, challengeId = 'c1', poolSize = 3) =>
    checkRandomSelect({ definitions, challengeId, count, poolSize });

  it('checks count first, then the challenge, then the pool', () => {
    expect(errorOf(() => check(0, 'nope', 0))).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'count must be greater than 0',
    });
    expect(errorOf(() => check(-2))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(errorOf(() => check(2, 'nope', 0))).toEqual({
      code: 'NOT_FOUND',
      message: "challenge 'nope' not found",
    });
    expect(errorOf(() => check(4, 'c1', 0))).toEqual({
      code: 'INSUFFICIENT_GOALS',
      message: 'INSUFFICIENT_GOALS: no goals available for selection (available: 0, requested: 4)',
    });
  });

  it('accepts a pool smaller than count (partial result)', () => {
    expect(() => check(5, 'c1', 1)).not.toThrow();
  });
});
