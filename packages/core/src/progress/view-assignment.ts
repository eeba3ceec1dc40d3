import type { GoalDef } from '../definitions/definitions.types.ts';
import { goalPeriod } from '../rotation/rotation-period.ts';
import type { Assignment, GoalStatus } from './progress.types.ts';

/** A goal as one player sees it now: the row with lazy rotation applied, or the defaults. */
export interface AssignmentView {
  progress: number;
  status: GoalStatus;
  completedAt: Date | null;
  claimedAt: Date | null;
  isActive: boolean;
  assignedAt: Date | null;
  /** End of the period current now, row or not; null for goals that do not rotate. */
  expiresAt: Date | null;
  /** The row belongs to an earlier period than the current one. */
  stale: boolean;
  /** The A/B variant recorded on the row (goals with variants only). */
  variantId?: string;
}

export function isDoneStatus(status: GoalStatus | undefined): boolean {
  return status === 'completed' || status === 'claimed';
}

export function isStale({
  goal,
  row,
  now,
}: {
  goal: GoalDef;
  row: Assignment;
  now: Date;
}): boolean {
  const period = goalPeriod({ goal, now });
  return period !== null && row.periodKey !== period.key;
}

/**
 * Whether the end of a period starts a stale row over. A claimed row stays claimed (the reward
 * was paid for that goal) unless the goal allows reselection; any other row starts over when the
 * goal resets progress.
 */
export function reopensOnRotation({
  goal,
  row,
}: {
  goal: GoalDef;
  row: Pick<Assignment, 'status'>;
}): boolean {
  if (goal.rotation === null) return false;
  return row.status === 'claimed' ? goal.rotation.allowReselection : goal.rotation.resetProgress;
}

export function viewAssignment({
  goal,
  row,
  now,
}: {
  goal: GoalDef;
  row: Assignment | null | undefined;
  now: Date;
}): AssignmentView {
  const period = goalPeriod({ goal, now });
  const expiresAt = period?.end ?? null;
  if (!row) {
    return {
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      isActive: false,
      assignedAt: null,
      expiresAt,
      stale: false,
    };
  }
  const stale = period !== null && row.periodKey !== period.key;
  const reopened = stale && reopensOnRotation({ goal, row });
  return {
    progress: reopened ? 0 : row.progress,
    status: reopened ? 'not_started' : row.status,
    completedAt: reopened ? null : row.completedAt,
    claimedAt: reopened ? null : row.claimedAt,
    isActive: row.isActive,
    assignedAt: row.assignedAt,
    expiresAt,
    stale,
  };
}

/**
 * The row as it must be stored once brought into the current period, or null when it already
 * is there. Reopened rows start from scratch (relative mode takes a new baseline from the next
 * event) and remember when (`reopenedAt`); rows that carry over keep progress, baseline and
 * status and only move period.
 */
export function rotateAssignment({
  goal,
  row,
  now,
}: {
  goal: GoalDef;
  row: Assignment;
  now: Date;
}): Assignment | null {
  const period = goalPeriod({ goal, now });
  if (period === null || row.periodKey === period.key) return null;
  const moved: Assignment = {
    ...row,
    periodKey: period.key,
    expiresAt: period.end,
    updatedAt: now,
  };
  if (!reopensOnRotation({ goal, row })) return moved;
  return {
    ...moved,
    progress: 0,
    status: 'not_started',
    completedAt: null,
    claimedAt: null,
    baseline: null,
    lastIncrementDay: null,
    reopenedAt: now,
  };
}

/** A goal is locked while one of its prerequisites is neither completed nor claimed. */
export function isLocked({
  goal,
  viewsByGoalId,
}: {
  goal: GoalDef;
  viewsByGoalId: ReadonlyMap<string, { status: GoalStatus }>;
}): boolean {
  return goal.prerequisites.some((id) => !isDoneStatus(viewsByGoalId.get(id)?.status));
}
