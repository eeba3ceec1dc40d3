import { toSelectedGoal } from '@challenges/core';
import type { GoalSelectionResult } from '../application/select-goals.ts';

/** The batch- and random-select answer (docs/api.md), the same JSON over REST and tRPC. */
export function selectionJson(result: GoalSelectionResult) {
  return {
    selectedGoals: result.selectedGoals.map(toSelectedGoal),
    challengeId: result.challengeId,
    totalActiveGoals: result.totalActiveGoals,
    replacedGoals: result.replacedGoals,
  };
}
