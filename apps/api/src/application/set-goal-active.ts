import { checkGoalsOpen, newAssignment } from '@challenges/core';
import { announceChanged } from './announce.ts';
import type { AppContext } from './context.ts';
import { findGoal } from './find-goal.ts';
import { type PlayerCaller, playerDefinitions, refuseOutsideAudience } from './player-audience.ts';

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
  input: PlayerCaller & { challengeId: string; goalId: string; isActive: boolean },
): Promise<SetGoalActiveResult> {
  const { userId, challengeId, goalId, isActive } = input;
  const defs = await playerDefinitions(ctx, input);
  // Audiences: a goal the player is outside of is never assigned (deactivating it is harmless).
  if (isActive) refuseOutsideAudience(defs, challengeId, [goalId]);
  const goal = findGoal(defs.live, challengeId, goalId);
  const now = ctx.clock.now();
  // An ended goal may still be deactivated, not activated (schedules, SPEC §2.4).
  if (isActive) checkGoalsOpen([goal]);
  const [row] = await ctx.progress.upsertActivation([
    newAssignment({ userId, goal, isActive, now }),
  ]);
  announceChanged(ctx, userId);
  return {
    challengeId,
    goalId,
    isActive,
    assignedAt: row?.assignedAt ?? now,
    message: isActive ? 'Goal activated successfully' : 'Goal deactivated successfully',
  };
}
