import type { GoalDef } from '../definitions/definitions.types.ts';
import { goalPeriod } from '../rotation/rotation-period.ts';
import { variantOfNewRow } from '../variants/pick-variant.ts';
import type { Assignment } from './progress.types.ts';

/** A fresh row for a goal a player starts on now (initialize, set-active, select). */
export function newAssignment(options: {
  userId: string;
  goal: GoalDef;
  isActive: boolean;
  now: Date;
}): Assignment {
  const { userId, goal, isActive, now } = options;
  const period = goalPeriod({ goal, now });
  return {
    userId,
    goalId: goal.goalId,
    challengeId: goal.challengeId,
    progress: 0,
    status: 'not_started',
    completedAt: null,
    claimedAt: null,
    isActive,
    assignedAt: now,
    expiresAt: period?.end ?? null,
    baseline: null,
    periodKey: period?.key ?? null,
    lastIncrementDay: null,
    reopenedAt: null,
    updatedAt: now,
    ...variantOfNewRow(goal, userId),
  };
}
