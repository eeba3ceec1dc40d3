import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { CoreError } from '../errors.ts';
import type { Assignment, GoalStatus } from '../progress/progress.types.ts';
import { isDoneStatus, isLocked, rotateAssignment } from '../progress/view-assignment.ts';
import { goalPeriod } from '../rotation/rotation-period.ts';
import { formatTimestamp } from '../time/format-time.ts';
import { variantGoal } from '../variants/variant-goal.ts';

/** The goal to grant, and the row as it must be stored once claimed (in the current period). */
export interface ClaimableGoal {
  goal: GoalDef;
  row: Assignment;
}

/**
 * The claim rule: the first failing check answers, in the order clients of the original rely
 * on (docs/api.md). The row is judged as it stands now, rotation applied: a rotation is caught
 * whether the row is still stale or was already moved into the new period by initialize or an
 * event (`reopenedAt`). `earlierClaim` is a reward grant this player already has for this goal
 * and period (a claim made before their data was deleted): it counts as claimed, check (5).
 */
export function checkClaim({
  definitions,
  challengeId,
  goalId,
  row: stored,
  viewsByGoalId,
  earlierClaim = null,
  now,
}: {
  definitions: Definitions;
  challengeId: string;
  goalId: string;
  row: Assignment | null | undefined;
  viewsByGoalId: ReadonlyMap<string, { status: GoalStatus }>;
  earlierClaim?: { claimedAt: Date } | null;
  now: Date;
}): ClaimableGoal {
  const base = definitions.goalsById.get(goalId);
  if (base === undefined || base.challengeId !== challengeId) {
    throw new CoreError(
      'NOT_FOUND',
      `Goal not found (challenge_id: ${challengeId}, goal_id: ${goalId})`,
    );
  }
  if (!stored) {
    throw new CoreError(
      'NOT_COMPLETED',
      `Goal not completed (goal_id: ${goalId}, status: not_started)`,
    );
  }
  // The goal as this player plays it: the variant's target and reward (A/B variants).
  const goal = variantGoal(base, stored.variantId);
  if (!stored.isActive) {
    throw new CoreError(
      'GOAL_INACTIVE',
      `Goal must be active to claim reward (goal_id: ${goalId})`,
    );
  }
  const row = rotateAssignment({ goal, row: stored, now }) ?? stored;
  if (goal.rotation !== null && row.reopenedAt !== null && !isDoneStatus(row.status)) {
    throw new CoreError(
      'GOAL_ROTATED',
      `Goal has rotated and must be re-completed (goal_id: ${goalId})`,
    );
  }
  const claimedAt = row.status === 'claimed' ? row.claimedAt : earlierClaim?.claimedAt;
  if (claimedAt !== undefined) throw alreadyClaimedError(goalId, claimedAt);
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
  return { goal, row };
}

/**
 * The period a claim made at `now` belongs to, the period part of its grant's key: the rotation
 * period current at `now` (where checkClaim moves the row), null (`once`) without rotation.
 */
export function claimPeriodKey({ goal, now }: { goal: GoalDef; now: Date }): string | null {
  return goalPeriod({ goal, now })?.key ?? null;
}

/** The ALREADY_CLAIMED answer (docs/api.md), with when the earlier claim was made. */
export function alreadyClaimedError(goalId: string, claimedAt: Date | null): CoreError {
  return new CoreError(
    'ALREADY_CLAIMED',
    `Reward has already been claimed (goal_id: ${goalId}, claimed_at: ${formatTimestamp(claimedAt)})`,
  );
}
