import type { Assignment } from '@challenges/core';

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
