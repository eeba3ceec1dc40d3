/** Test builders: a valid goal, row or definitions with only the fields a test cares about. */
import type {
  ChallengeDef,
  Definitions,
  GoalDef,
  Rotation,
} from '../definitions/definitions.types.ts';
import { indexDefinitions } from '../definitions/parse-definitions.ts';
import type { Assignment } from '../progress/progress.types.ts';

export function makeRotation(overrides: Partial<Rotation> = {}): Rotation {
  return {
    schedule: 'daily',
    timezone: 'UTC',
    weekStartsOn: 'monday',
    resetProgress: true,
    allowReselection: false,
    ...overrides,
  };
}

export function makeGoal(
  overrides: Partial<Omit<GoalDef, 'requirement'>> & {
    requirement?: Partial<GoalDef['requirement']>;
  } = {},
): GoalDef {
  const { requirement, ...rest } = overrides;
  return {
    goalId: 'g1',
    challengeId: 'c1',
    name: 'Goal',
    description: '',
    eventSource: 'statistic',
    reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
    prerequisites: [],
    defaultAssigned: false,
    rotation: null,
    dailyIncrement: false,
    completesOnFirstEvent: false,
    ...rest,
    requirement: {
      statCode: 'kills',
      operator: '>=',
      targetValue: 10,
      progressMode: 'absolute',
      ...requirement,
    },
  };
}

export function makeRow(overrides: Partial<Assignment> = {}): Assignment {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    userId: 'u1',
    goalId: 'g1',
    challengeId: 'c1',
    progress: 0,
    status: 'not_started',
    completedAt: null,
    claimedAt: null,
    isActive: true,
    assignedAt: at,
    expiresAt: null,
    baseline: null,
    periodKey: null,
    lastIncrementDay: null,
    reopenedAt: null,
    updatedAt: at,
    ...overrides,
  };
}

/** Definitions from goals, grouped into challenges by their challengeId in order of appearance. */
export function makeDefinitions(goals: readonly GoalDef[]): Definitions {
  const challenges = new Map<string, ChallengeDef>();
  for (const goal of goals) {
    const challenge = challenges.get(goal.challengeId) ?? {
      challengeId: goal.challengeId,
      name: goal.challengeId,
      description: '',
      goals: [],
    };
    challenges.set(goal.challengeId, { ...challenge, goals: [...challenge.goals, goal] });
  }
  return indexDefinitions([...challenges.values()]);
}
