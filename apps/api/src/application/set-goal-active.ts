import { checkGoalsOpen, newAssignment } from '@challenges/core';
import type { AppContext } from './context.ts';
import { findGoal } from './find-goal.ts';
import { playerDefinitions } from './player-definitions.ts';

export interface SetGoalActiveResult {
  challengeId: string;
  goalId: string;
  isActive: boolean;
  assignedAt: Date;
  message: string;
}

/** Creates the assignment or flips its isActive; progress is kept either way. */
export async function setGoalActive(
  ctx: AppContext,
  input: { userId: string; challengeId: string; goalId: string; isActive: boolean },
): Promise<SetGoalActiveResult> {
  const { userId, challengeId, goalId, isActive } = input;
  const now = ctx.clock.now();
  const goal = findGoal(playerDefinitions(ctx, now), challengeId, goalId);
  // An ended goal may still be deactivated, not activated (schedules, SPEC §2.4).
  if (isActive) checkGoalsOpen([goal]);
  const [row] = await ctx.progress.upsertActivation([
    newAssignment({ userId, goal, isActive, now }),
  ]);
  return {
    challengeId,
    goalId,
    isActive,
    assignedAt: row?.assignedAt ?? now,
    message: isActive ? 'Goal activated successfully' : 'Goal deactivated successfully',
  };
}
