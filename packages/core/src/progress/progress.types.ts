/** A player's assignment of one goal: the row of the progress table, as the domain sees it. */

export type GoalStatus = 'not_started' | 'in_progress' | 'completed' | 'claimed';

export interface Assignment {
  userId: string;
  goalId: string;
  challengeId: string;
  progress: number;
  status: GoalStatus;
  completedAt: Date | null;
  claimedAt: Date | null;
  isActive: boolean;
  assignedAt: Date;
  /** End of the rotation period the row belongs to; null for goals without rotation. */
  expiresAt: Date | null;
  /** relative mode: the stat value at the start of the period. */
  baseline: number | null;
  /** Start of the rotation period the row belongs to (ISO string); null without rotation. */
  periodKey: string | null;
  /**
   * Legacy daily increment (`type: "increment", daily: true`): the UTC day (YYYY-MM-DD) of the
   * last counted event, so a second event that day counts nothing. null otherwise.
   */
  lastIncrementDay: string | null;
  /**
   * When a rotation last started the row over (resetProgress, or a claimed row with
   * allowReselection); null once the goal is completed or claimed again, and for rows never
   * reopened. It lets a claim tell "rotated, must be re-completed" from "not completed yet"
   * after the reopened row was written back (initialize, events).
   */
  reopenedAt: Date | null;
  updatedAt: Date;
  /**
   * The goal's A/B variant this player plays (recorded when the row is created, never changed
   * after); absent for goals without variants and rows created before the goal had them.
   */
  variantId?: string;
}
