import { type ChallengeView, formatTimestamp, type GoalView } from '@challenges/core';

/** What a connection last sent of each goal: a fingerprint of its per-player fields. */
export type Baseline = Map<string, string>;

/** One goal whose per-player fields changed, with its challenge. */
export interface GoalChange {
  challengeId: string;
  view: GoalView;
}

// expiresInSeconds counts down by itself: not a change. expiresAt moves when the goal rotates.
function fingerprint(view: GoalView): string {
  return [
    view.progress,
    view.status,
    view.locked ? 1 : 0,
    view.completedAt?.getTime() ?? '',
    view.claimedAt?.getTime() ?? '',
    view.isActive ? 1 : 0,
    view.assignedAt?.getTime() ?? '',
    view.expiresAt?.getTime() ?? '',
  ].join('|');
}

/**
 * The goals that differ from the baseline (every goal when there is none: a resumed connection
 * whose client state this replica does not know), and the baseline after sending them.
 */
export function changedGoals(
  challenges: readonly ChallengeView[],
  baseline: Baseline | null,
): { changes: GoalChange[]; next: Baseline } {
  const next: Baseline = new Map();
  const changes: GoalChange[] = [];
  for (const challenge of challenges) {
    for (const view of challenge.goals) {
      const print = fingerprint(view);
      next.set(view.goal.goalId, print);
      if (baseline?.get(view.goal.goalId) !== print) {
        changes.push({ challengeId: challenge.challenge.challengeId, view });
      }
    }
  }
  return { changes, next };
}

/** A change event's goal in JSON: ids plus the per-player fields of GET /v1/challenges. */
export function goalChangeJson(change: GoalChange) {
  const { view } = change;
  return {
    challengeId: change.challengeId,
    goalId: view.goal.goalId,
    progress: view.progress,
    status: view.status,
    locked: view.locked,
    completedAt: formatTimestamp(view.completedAt),
    claimedAt: formatTimestamp(view.claimedAt),
    isActive: view.isActive,
    expiresAt: formatTimestamp(view.expiresAt),
    expiresInSeconds: view.expiresInSeconds,
  };
}
