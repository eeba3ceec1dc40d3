import type { GoalDef } from '../definitions/definitions.types.ts';
import type { Assignment } from '../progress/progress.types.ts';
import {
  derivedLastIncrementDay,
  derivedProgress,
  derivedStatus,
  followsLedger,
  thresholdOf,
  unitOf,
} from './derive-progress.ts';
import { emptyLedger, type StatLedger, type StoredAssignment } from './ledger.types.ts';
import { statKeyOfGoal } from './stat-key.ts';

/**
 * The row as the per-goal oracle would hold it, given the player's ledger of the goal's stat
 * key (undefined: no ledger row yet). Every existing rule (views, claim, rotation, selection)
 * then runs on it unchanged. `updatedAt` is the row's last write, not its last progress change.
 *
 * Fields are listed rather than spread: a field added to Assignment fails type-checking here
 * until it is carried over, and the literal is cheaper than rest/spread on the read path.
 */
export function materializeAssignment({
  stored,
  ledger,
  goal,
}: {
  stored: StoredAssignment;
  ledger: StatLedger | undefined;
  goal: GoalDef;
}): Assignment {
  let progress = stored.p0;
  let status = stored.status;
  let lastIncrementDay = stored.lastIncrementDay;
  if (followsLedger(stored)) {
    const current = ledger ?? emptyLedger(stored.userId, stored.statKey);
    progress = derivedProgress(goal, stored, current);
    status = derivedStatus(stored, progress);
    lastIncrementDay = derivedLastIncrementDay(goal, stored, current);
  }
  const out: Assignment = {
    userId: stored.userId,
    goalId: stored.goalId,
    challengeId: stored.challengeId,
    progress,
    status,
    completedAt: stored.completedAt,
    claimedAt: stored.claimedAt,
    isActive: stored.isActive,
    assignedAt: stored.assignedAt,
    expiresAt: stored.expiresAt,
    baseline: stored.baseline,
    periodKey: stored.periodKey,
    lastIncrementDay,
    reopenedAt: stored.reopenedAt,
    updatedAt: stored.updatedAt,
  };
  if (stored.variantId !== undefined) out.variantId = stored.variantId;
  return out;
}

/**
 * The stored form of an oracle row, anchored on the ledger it is consistent with now (the
 * ledger the caller holds locked: FOR UPDATE in the worker, FOR SHARE in the api). API
 * mutations are materialize → existing rule → anchor → write.
 */
export function anchorAssignment({
  assignment,
  ledger,
  goal,
}: {
  assignment: Assignment;
  ledger: StatLedger | undefined;
  goal: GoalDef;
}): StoredAssignment {
  const statKey = statKeyOfGoal(goal);
  const current = ledger ?? emptyLedger(assignment.userId, statKey);
  const out: StoredAssignment = {
    userId: assignment.userId,
    goalId: assignment.goalId,
    challengeId: assignment.challengeId,
    status: assignment.status,
    completedAt: assignment.completedAt,
    claimedAt: assignment.claimedAt,
    isActive: assignment.isActive,
    assignedAt: assignment.assignedAt,
    expiresAt: assignment.expiresAt,
    baseline: assignment.baseline,
    periodKey: assignment.periodKey,
    lastIncrementDay: assignment.lastIncrementDay,
    reopenedAt: assignment.reopenedAt,
    updatedAt: assignment.updatedAt,
    p0: assignment.progress,
    anchorSeq: current.seq,
    anchorSteps: current.steps,
    anchorDays: current.days,
    statKey,
    unit: unitOf(goal),
    threshold: thresholdOf(goal, assignment, current),
  };
  if (assignment.variantId !== undefined) out.variantId = assignment.variantId;
  return out;
}
