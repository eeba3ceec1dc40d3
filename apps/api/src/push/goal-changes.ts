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

/** One goal of a player's list with its fingerprint: computed once per player, not per connection. */
export interface GoalPrint extends GoalChange {
  print: string;
}

export function goalPrints(challenges: readonly ChallengeView[]): GoalPrint[] {
  const prints: GoalPrint[] = [];
  for (const challenge of challenges) {
    const challengeId = challenge.challenge.challengeId;
    for (const view of challenge.goals)
      prints.push({ challengeId, view, print: fingerprint(view) });
  }
  return prints;
}

/**
 * The goals that differ from the baseline (every goal when there is none: a resumed connection
 * whose client state this replica does not know), and the baseline after sending them (the same
 * map when nothing changed).
 */
export function diffGoals(
  prints: readonly GoalPrint[],
  baseline: Baseline | null,
): { changes: GoalChange[]; next: Baseline } {
  const changes: GoalChange[] = [];
  for (const goal of prints) {
    if (baseline?.get(goal.view.goal.goalId) !== goal.print) {
      changes.push({ challengeId: goal.challengeId, view: goal.view });
    }
  }
  if (baseline !== null && changes.length === 0 && baseline.size === prints.length) {
    return { changes, next: baseline };
  }
  const next: Baseline = new Map();
  for (const goal of prints) next.set(goal.view.goal.goalId, goal.print);
  return { changes, next };
}

/** diffGoals of a list. */
export function changedGoals(
  challenges: readonly ChallengeView[],
  baseline: Baseline | null,
): { changes: GoalChange[]; next: Baseline } {
  return diffGoals(goalPrints(challenges), baseline);
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
