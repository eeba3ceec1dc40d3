import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors.ts';
import { parseDefinitions } from './parse-definitions.ts';

type Raw = Record<string, unknown>;

const requirement = { statCode: 'kills', operator: '>=', targetValue: 10 };
const reward = { type: 'ITEM', rewardId: 'sword', quantity: 1 };

function rawGoal(overrides: Raw = {}): Raw {
  return {
    goalId: 'g1',
    name: 'Kill 10',
    eventSource: 'statistic',
    requirement,
    reward,
    ...overrides,
  };
}

function problemsOfGoals(goals: Raw[]): readonly string[] {
  try {
    parseDefinitions({ challenges: [{ challengeId: 'c1', name: 'Winter', goals }] });
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    return (error as CoreError).details;
  }
  throw new Error('expected parseDefinitions to throw');
}

const goalError = (message: string, goalId = 'g1') =>
  `invalid goal '${goalId}' in challenge 'c1': ${message}`;

describe('parseDefinitions: goal rules', () => {
  it.each([
    [{ goalId: '' }, "invalid goal '#1' in challenge 'c1': goalId must not be empty"],
    [
      { goalId: 'has space' },
      "invalid goal 'has space' in challenge 'c1': goalId must not contain spaces or '/'",
    ],
    [
      { goalId: 'a/b' },
      "invalid goal 'a/b' in challenge 'c1': goalId must not contain spaces or '/'",
    ],
    [{ goalId: 12 }, "invalid goal '#1' in challenge 'c1': goalId must be a string"],
    [{ name: '' }, goalError('name must not be empty')],
    [{ name: undefined }, goalError('name is required')],
    [{ eventSource: 'kill' }, goalError("eventSource must be one of 'login', 'statistic'")],
    [{ eventSource: undefined }, goalError('eventSource is required')],
    [{ type: 'weekly' }, goalError("type must be one of 'absolute', 'increment', 'daily'")],
    [{ defaultAssigned: 'yes' }, goalError('defaultAssigned must be true or false')],
    [{ requirement: undefined }, goalError('requirement is required')],
    [{ reward: undefined }, goalError('reward is required')],
  ])('goal %j', (overrides, message) => {
    expect(problemsOfGoals([rawGoal(overrides)])).toEqual([message]);
  });

  it.each([
    [{ targetValue: 0 }, 'targetValue must be positive'],
    [{ targetValue: -5 }, 'targetValue must be positive'],
    [{ targetValue: 1.5 }, 'targetValue must be an integer'],
    [{ targetValue: '10' }, 'targetValue must be a number'],
    [{ targetValue: undefined }, 'targetValue is required'],
    [{ targetValue: 2_147_483_648 }, 'targetValue must be at most 2147483647'],
    [{ operator: '>' }, "operator must be '>='"],
    [
      { progressMode: 'cumulative' },
      "progressMode must be one of 'absolute', 'relative', 'increment'",
    ],
    [{ statCode: '' }, 'statCode is required for statistic goals'],
    [{ statCode: 's'.repeat(129) }, 'statCode must have at most 128 characters'],
  ])('requirement %j', (overrides, message) => {
    expect(problemsOfGoals([rawGoal({ requirement: { ...requirement, ...overrides } })])).toEqual([
      goalError(message),
    ]);
  });

  it('defaults a missing operator to >= and allows login goals without a statCode', () => {
    const defs = parseDefinitions({
      challenges: [
        {
          challengeId: 'c1',
          name: 'n',
          goals: [rawGoal({ eventSource: 'login', requirement: { targetValue: 3 } })],
        },
      ],
    });
    expect(defs.goalsById.get('g1')?.requirement).toEqual({
      statCode: '',
      operator: '>=',
      targetValue: 3,
      progressMode: 'absolute',
    });
  });

  it.each([
    [{ type: 'COIN' }, "type must be one of 'ITEM', 'WALLET'"],
    [{ type: 'item' }, "type must be one of 'ITEM', 'WALLET'"],
    [{ rewardId: '' }, 'rewardId must not be empty'],
    [{ quantity: 0 }, 'quantity must be positive'],
    [{ quantity: 2.5 }, 'quantity must be an integer'],
  ])('reward %j', (overrides, message) => {
    expect(problemsOfGoals([rawGoal({ reward: { ...reward, ...overrides } })])).toEqual([
      goalError(message),
    ]);
  });

  it('rejects prerequisites that do not exist or repeat', () => {
    expect(problemsOfGoals([rawGoal({ prerequisites: ['nope'] })])).toEqual([
      goalError("prerequisite 'nope' does not exist"),
    ]);
    expect(
      problemsOfGoals([
        rawGoal({ goalId: 'a' }),
        rawGoal({ goalId: 'b', prerequisites: ['a', 'a'] }),
      ]),
    ).toEqual([goalError("prerequisite 'a' is listed twice", 'b')]);
    expect(problemsOfGoals([rawGoal({ prerequisites: 'a' })])).toEqual([
      goalError('prerequisites must be an array'),
    ]);
  });

  it('accepts prerequisites in other challenges', () => {
    const defs = parseDefinitions({
      challenges: [
        { challengeId: 'c1', name: 'n', goals: [rawGoal({ goalId: 'a', prerequisites: ['b'] })] },
        { challengeId: 'c2', name: 'n', goals: [rawGoal({ goalId: 'b' })] },
      ],
    });
    expect(defs.goalsById.get('a')?.prerequisites).toEqual(['b']);
  });

  it('does not blame dependants of a goal that is itself invalid', () => {
    expect(
      problemsOfGoals([
        rawGoal({ goalId: 'a', name: '' }),
        rawGoal({ goalId: 'b', prerequisites: ['a'] }),
      ]),
    ).toEqual([goalError('name must not be empty', 'a')]);
  });

  it('reports a prerequisite cycle with its path', () => {
    expect(
      problemsOfGoals([
        rawGoal({ goalId: 'a', prerequisites: ['b'] }),
        rawGoal({ goalId: 'b', prerequisites: ['c'] }),
        rawGoal({ goalId: 'c', prerequisites: ['a'] }),
        rawGoal({ goalId: 'd', prerequisites: ['a'] }),
      ]),
    ).toEqual([goalError('prerequisites form a cycle: a -> b -> c -> a', 'a')]);
  });

  it('reports a goal that requires itself', () => {
    expect(problemsOfGoals([rawGoal({ prerequisites: ['g1'] })])).toEqual([
      goalError('prerequisites form a cycle: g1 -> g1'),
    ]);
  });

  it('reports separate cycles separately, and accepts a diamond', () => {
    expect(
      problemsOfGoals([
        rawGoal({ goalId: 'a', prerequisites: ['b'] }),
        rawGoal({ goalId: 'b', prerequisites: ['a'] }),
        rawGoal({ goalId: 'x', prerequisites: ['y'] }),
        rawGoal({ goalId: 'y', prerequisites: ['x'] }),
      ]),
    ).toEqual([
      goalError('prerequisites form a cycle: a -> b -> a', 'a'),
      goalError('prerequisites form a cycle: x -> y -> x', 'x'),
    ]);
    const diamond = parseDefinitions({
      challenges: [
        {
          challengeId: 'c1',
          name: 'n',
          goals: [
            rawGoal({ goalId: 'top', prerequisites: ['left', 'right'] }),
            rawGoal({ goalId: 'left', prerequisites: ['base'] }),
            rawGoal({ goalId: 'right', prerequisites: ['base'] }),
            rawGoal({ goalId: 'base' }),
          ],
        },
      ],
    });
    expect(diamond.goalsById.size).toBe(4);
  });

  it('walks a 10,000-goal prerequisite chain without overflowing the stack', () => {
    const goals = Array.from({ length: 10_000 }, (_, i) =>
      rawGoal({ goalId: `g${i}`, prerequisites: i === 0 ? ['g9999'] : [`g${i - 1}`] }),
    );
    const [problem] = problemsOfGoals(goals);
    expect(problem).toMatch(
      /^invalid goal 'g0' in challenge 'c1': prerequisites form a cycle: g0 -> g9999 -> g9998/,
    );
  });
});
