import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { CoreError } from '../errors.ts';
import type { Assignment, GoalStatus } from '../progress/progress.types.ts';
import { isLocked, isStale, reopensOnRotation } from '../progress/view-assignment.ts';
import { formatTimestamp } from '../time/format-time.ts';

/**
 * The claim rule: the first failing check answers, in the order clients of the original rely
 * on (SPEC §4). Returns the goal when the reward may be granted.
 */
export function checkClaim({
  definitions,
  challengeId,
  goalId,
  row,
  viewsByGoalId,
  now,
}: {
  definitions: Definitions;
  challengeId: string;
  goalId: string;
  row: Assignment | null | undefined;
  viewsByGoalId: ReadonlyMap<string, { status: GoalStatus }>;
  now: Date;
}): GoalDef {
  const goal = definitions.goalsById.get(goalId);
  if (goal === undefined || goal.challengeId !== challengeId) {
    throw new CoreError(
      'NOT_FOUND',
      `Goal not found (challenge_id: ${challengeId}, goal_id: ${goalId})`,
    );
  }
  if (!row) {
    throw new CoreError(
      'NOT_COMPLETED',
      `Goal not completed (goal_id: ${goalId}, status: not_started)`,
    );
  }
  if (!row.isActive) {
    throw new CoreError(
      'GOAL_INACTIVE',
      `Goal must be active to claim reward (goal_id: ${goalId})`,
    );
  }
  if (isStale({ goal, row, now }) && reopensOnRotation({ goal, row })) {
    throw new CoreError(
      'GOAL_ROTATED',
      `Goal has rotated and must be re-completed (goal_id: ${goalId})`,
    );
  }
  if (row.status === 'claimed') {
    throw new CoreError(
      'ALREADY_CLAIMED',
      `Reward has already been claimed (goal_id: ${goalId}, claimed_at: ${formatTimestamp(row.claimedAt)})`,
    );
  }
  if (row.status !== 'completed') {
    throw new CoreError(
      'NOT_COMPLETED',
      `Goal not completed (goal_id: ${goalId}, status: ${row.status})`,
    );
  }
  if (isLocked({ goal, viewsByGoalId })) {
    throw new CoreError(
      'PREREQUISITES_NOT_MET',
      `Prerequisites not completed (goal_id: ${goalId})`,
    );
  }
  return goal;
}

/**
 * Key of the reward grant of one claim: one grant per goal per period (`once` for goals that do
 * not rotate), so a retried or concurrent claim can never grant twice.
 */
export function rewardIdempotencyKey({
  userId,
  goalId,
  periodKey,
}: {
  userId: string;
  goalId: string;
  periodKey: string | null;
}): string {
  return `${userId}:${goalId}:${periodKey ?? 'once'}`;
}
