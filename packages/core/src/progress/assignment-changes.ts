import type { GoalDef } from '../definitions/definitions.types.ts';
import { newAssignment } from './new-assignment.ts';
import type { Assignment } from './progress.types.ts';

/**
 * The API's row mutations as pure functions, exactly what the progress repository's SQL does
 * to a row today (upsertActivation, deactivate, resetGoal, markClaimed). The ledger model
 * applies them between materializeAssignment and anchorAssignment.
 */

/** set-active / select: an existing row only gets isActive (progress kept); else a new row. */
export function activateAssignment({
  row,
  userId,
  goal,
  isActive,
  now,
}: {
  row: Assignment | undefined;
  userId: string;
  goal: GoalDef;
  isActive: boolean;
  now: Date;
}): Assignment {
  if (row === undefined) return newAssignment({ userId, goal, isActive, now });
  return { ...row, isActive, updatedAt: now };
}

/** select with replace: active rows become inactive; inactive ones stay as they are. */
export function deactivateAssignment({ row, now }: { row: Assignment; now: Date }): Assignment {
  return row.isActive ? { ...row, isActive: false, updatedAt: now } : row;
}

/**
 * Dashboard "reset goal": back to 0 / not_started, activation and period kept; the baseline,
 * the last counted day and the reopening mark go, so the next event measures afresh.
 */
export function resetAssignment({ row, now }: { row: Assignment; now: Date }): Assignment {
  return {
    ...row,
    progress: 0,
    status: 'not_started',
    completedAt: null,
    claimedAt: null,
    baseline: null,
    lastIncrementDay: null,
    reopenedAt: null,
    updatedAt: now,
  };
}

/** A claim the claim rule allowed: claimed at `now`, progress frozen. */
export function claimAssignment({ row, now }: { row: Assignment; now: Date }): Assignment {
  return { ...row, status: 'claimed', claimedAt: now, updatedAt: now };
}
