import type { ChallengeDef, GoalDef } from '../definitions/definitions.types.ts';
import type { GoalStatus } from '../progress/progress.types.ts';

/** One goal as one player sees it now: the static definition plus the per-player fields. */
export interface GoalView {
  goal: GoalDef;
  progress: number;
  status: GoalStatus;
  locked: boolean;
  completedAt: Date | null;
  claimedAt: Date | null;
  isActive: boolean;
  assignedAt: Date | null;
  expiresAt: Date | null;
  expiresInSeconds: number;
}

export interface ChallengeView {
  challenge: ChallengeDef;
  goals: GoalView[];
}
