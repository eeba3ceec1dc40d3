import { describe, expect, it } from 'vitest';
import { goalError, problemsOf, rawFile, rawGoal } from '../testing/raw-definitions.ts';
import { parseDefinitions } from './parse-definitions.ts';

describe('parseDefinitions: normalised result', () => {
  it('fills defaults for optional keys', () => {
    const defs = parseDefinitions(rawFile([rawGoal({ description: undefined })]));
    const goal = defs.goalsById.get('g1')!;
    expect(goal).toEqual({
      goalId: 'g1',
      challengeId: 'c1',
      name: 'Kill 10',
      description: '',
      eventSource: 'statistic',
      requirement: { statCode: 'kills', operator: '>=', targetValue: 10, progressMode: 'absolute' },
      reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
      prerequisites: [],
      defaultAssigned: false,
      rotation: null,
      dailyIncrement: false,
      completesOnFirstEvent: false,
    });
  });

  it('builds indexes and keeps file order', () => {
    const defs = parseDefinitions({
      challenges: [
        {
          challengeId: 'c1',
          name: 'One',
          goals: [
            rawGoal({ goalId: 'a' }),
            rawGoal({ goalId: 'login', eventSource: 'login', requirement: { targetValue: 1 } }),
            rawGoal({ goalId: 'b' }),
          ],
        },
        { challengeId: 'c2', name: 'Two', goals: [rawGoal({ goalId: 'c', prerequisites: ['a'] })] },
      ],
    });
    expect(defs.challenges.map((c) => c.challengeId)).toEqual(['c1', 'c2']);
    expect(defs.challengesById.get('c2')?.goals.map((g) => g.goalId)).toEqual(['c']);
    expect([...defs.goalsById.keys()]).toEqual(['a', 'login', 'b', 'c']);
    expect(defs.goalsById.get('c')?.challengeId).toBe('c2');
    expect(defs.goalsByStatCode.get('kills')?.map((g) => g.goalId)).toEqual(['a', 'b', 'c']);
    expect(defs.goalsByStatCode.has('')).toBe(false);
    expect(defs.loginGoals.map((g) => g.goalId)).toEqual(['login']);
  });

  it('freezes what it returns', () => {
    const defs = parseDefinitions(rawFile());
    const goal = defs.goalsById.get('g1')!;
    expect(Object.isFrozen(defs)).toBe(true);
    expect(Object.isFrozen(defs.challenges)).toBe(true);
    expect(Object.isFrozen(defs.challenges[0]!.goals)).toBe(true);
    expect(Object.isFrozen(goal)).toBe(true);
    expect(Object.isFrozen(goal.requirement)).toBe(true);
    expect(Object.isFrozen(goal.prerequisites)).toBe(true);
    expect(() => {
      (goal as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('ignores unknown keys', () => {
    const defs = parseDefinitions({
      version: 3,
      challenges: [
        { challengeId: 'c1', name: 'n', extra: true, goals: [rawGoal({ icon: 'x.png' })] },
      ],
    });
    expect(defs.goalsById.get('g1')).not.toHaveProperty('icon');
  });

  it('accepts snake_case keys and treats null members as absent (Go writes nil slices as null)', () => {
    const defs = parseDefinitions({
      challenges: [
        {
          challenge_id: 'c1',
          name: 'n',
          goals: [
            {
              goal_id: 'g1',
              name: 'n',
              event_source: 'statistic',
              requirement: {
                stat_code: 'kills',
                operator: '>=',
                target_value: 3,
                progress_mode: 'relative',
              },
              reward: { type: 'WALLET', reward_id: 'GOLD', quantity: 5 },
              prerequisites: null,
              default_assigned: true,
              rotation: {
                enabled: true,
                schedule: 'weekly',
                week_starts_on: 'sunday',
                on_expiry: { reset_progress: true },
              },
            },
          ],
        },
      ],
    });
    const goal = defs.goalsById.get('g1')!;
    expect(goal.requirement).toEqual({
      statCode: 'kills',
      operator: '>=',
      targetValue: 3,
      progressMode: 'relative',
    });
    expect(goal.defaultAssigned).toBe(true);
    expect(goal.prerequisites).toEqual([]);
    expect(goal.rotation?.weekStartsOn).toBe('sunday');
    expect(goal.rotation?.resetProgress).toBe(true);
  });

  it('lets a camelCase key win over its snake_case twin', () => {
    const defs = parseDefinitions(
      rawFile([rawGoal({ default_assigned: false, defaultAssigned: true })]),
    );
    expect(defs.goalsById.get('g1')?.defaultAssigned).toBe(true);
  });
});

describe('parseDefinitions: file and challenge problems', () => {
  it.each([
    [null, 'definitions must be a JSON object with a "challenges" array'],
    [[], 'definitions must be a JSON object with a "challenges" array'],
    [{}, 'challenges is required'],
    [{ challenges: {} }, 'challenges must be an array'],
    [{ challenges: [] }, 'at least one challenge is required'],
  ])('%j → %s', (raw, message) => {
    expect(problemsOf(raw)).toEqual([message]);
  });

  it('names a challenge without a usable id by its position', () => {
    expect(problemsOf(rawFile([rawGoal()], { challengeId: '' }))).toEqual([
      "invalid challenge '#1': challengeId must not be empty",
    ]);
  });

  it('rejects blank names, empty goal lists and bad ids', () => {
    expect(problemsOf(rawFile([rawGoal()], { name: '   ' }))).toEqual([
      "invalid challenge 'c1': name must not be empty",
    ]);
    expect(problemsOf(rawFile([]))).toEqual([
      "invalid challenge 'c1': at least one goal is required",
    ]);
    expect(problemsOf(rawFile([rawGoal()], { goals: undefined }))).toEqual([
      "invalid challenge 'c1': goals is required",
    ]);
    expect(problemsOf(rawFile([rawGoal()], { challengeId: 'a b' }))).toEqual([
      "invalid challenge 'a b': challengeId must not contain spaces or '/'",
    ]);
  });

  it('rejects duplicate challenge ids', () => {
    const challenge = { challengeId: 'c1', name: 'n', goals: [rawGoal()] };
    const other = { challengeId: 'c1', name: 'n', goals: [rawGoal({ goalId: 'g2' })] };
    expect(problemsOf({ challenges: [challenge, other] })).toEqual([
      "invalid challenge 'c1': challengeId is used more than once",
    ]);
  });

  it('rejects goal ids used twice, also across challenges', () => {
    const first = { challengeId: 'c1', name: 'n', goals: [rawGoal()] };
    const second = { challengeId: 'c2', name: 'n', goals: [rawGoal()] };
    expect(problemsOf({ challenges: [first, second] })).toEqual([
      goalError(
        "goalId is already used in challenge 'c1' (goal ids must be unique across all challenges)",
        'g1',
        'c2',
      ),
    ]);
  });

  it('enforces size limits', () => {
    const long = 'x'.repeat(129);
    expect(problemsOf(rawFile([rawGoal()], { challengeId: long }))[0]).toBe(
      "invalid challenge '#1': challengeId must have at most 128 characters",
    );
    expect(problemsOf(rawFile([rawGoal({ name: 'n'.repeat(201) })]))).toEqual([
      goalError('name must have at most 200 characters'),
    ]);
    expect(problemsOf(rawFile([rawGoal({ description: 'd'.repeat(2001) })]))).toEqual([
      goalError('description must have at most 2000 characters'),
    ]);
    const goals = Array.from({ length: 10_001 }, (_, i) => rawGoal({ goalId: `g${i}` }));
    expect(problemsOf(rawFile(goals))).toEqual(['at most 10000 goals are allowed (found 10001)']);
  });

  it('accepts 10,000 goals', () => {
    const goals = Array.from({ length: 10_000 }, (_, i) => rawGoal({ goalId: `g${i}` }));
    expect(parseDefinitions(rawFile(goals)).goalsById.size).toBe(10_000);
  });

  it('reports every problem, the first one as the message', () => {
    const problems = problemsOf(
      rawFile([
        rawGoal({ goalId: 'a', eventSource: 'push' }),
        rawGoal({ goalId: 'b', reward: { type: 'ITEM', rewardId: 'x', quantity: 0 } }),
        rawGoal({ goalId: 'c', prerequisites: ['missing'] }),
      ]),
    );
    expect(problems).toEqual([
      goalError("eventSource must be one of 'login', 'statistic'", 'a'),
      goalError('quantity must be positive', 'b'),
      goalError("prerequisite 'missing' does not exist", 'c'),
    ]);
  });
});
