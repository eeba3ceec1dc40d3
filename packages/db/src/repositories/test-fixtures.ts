import { type Assignment, type Definitions, parseDefinitions } from '@challenges/core';

const T0 = new Date('2026-03-01T10:00:00.123Z');

/** A not-started active assignment; override what the test is about. */
export function assignment(overrides: Partial<Assignment> & { goalId: string }): Assignment {
  return {
    userId: 'user-1',
    challengeId: 'daily',
    progress: 0,
    status: 'not_started',
    completedAt: null,
    claimedAt: null,
    isActive: true,
    assignedAt: T0,
    expiresAt: null,
    baseline: null,
    periodKey: null,
    lastIncrementDay: null,
    reopenedAt: null,
    updatedAt: T0,
    ...overrides,
  };
}

export { T0 };

/** Goals g0…g2 (increment on `kills`) for the repositories that derive progress from ledgers. */
export const testDefinitions: Definitions = parseDefinitions({
  challenges: [
    {
      challengeId: 'daily',
      name: 'Daily',
      description: 'd',
      goals: ['g0', 'g1', 'g2'].map((goalId) => ({
        goalId,
        name: goalId,
        description: goalId,
        eventSource: 'statistic',
        requirement: {
          statCode: 'kills',
          operator: '>=',
          targetValue: 10,
          progressMode: 'increment',
        },
        reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
      })),
    },
  ],
});
