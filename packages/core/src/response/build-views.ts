import type { Definitions, GoalDef, Rotation } from '../definitions/definitions.types.ts';
import type { Assignment } from '../progress/progress.types.ts';
import { type AssignmentView, isLocked, viewAssignment } from '../progress/view-assignment.ts';
import { expiresInSeconds, type Period, periodAt } from '../rotation/rotation-period.ts';
import { goalOfRow, variantGoal } from '../variants/variant-goal.ts';
import type { ChallengeView, GoalView } from './goal-view.ts';

/** Memoises rotation periods within one request: many goals share a schedule and zone. */
function periodLookup(now: Date): (rotation: Rotation | null) => Period | null {
  const memo = new Map<string, Period>();
  return (rotation) => {
    if (!rotation) return null;
    const key = `${rotation.schedule}|${rotation.timezone}|${rotation.weekStartsOn}`;
    let period = memo.get(key);
    if (!period) {
      period = periodAt({ rotation, now });
      memo.set(key, period);
    }
    return period;
  };
}

/** Views of the rows a player has, keyed by goal id (rows of unknown goals are left out). */
export function assignmentViews(options: {
  definitions: Definitions;
  rows: readonly Assignment[];
  now: Date;
}): Map<string, AssignmentView> {
  const { definitions, rows, now } = options;
  const views = new Map<string, AssignmentView>();
  for (const row of rows) {
    const goal = goalOfRow(definitions, row);
    if (goal === undefined) continue;
    const view = viewAssignment({ goal, row, now });
    if (row.variantId !== undefined) view.variantId = row.variantId;
    views.set(row.goalId, view);
  }
  return views;
}

/** Builds the per-player view of the given goals from precomputed row views. */
export function goalViewsFactory(options: {
  views: ReadonlyMap<string, AssignmentView>;
  now: Date;
}): (goal: GoalDef) => GoalView {
  const { views, now } = options;
  const periodOf = periodLookup(now);
  return (definition) => {
    const view = views.get(definition.goalId);
    // A player in an A/B variant sees the variant's target, reward and text.
    const goal =
      definition.variants === undefined ? definition : variantGoal(definition, view?.variantId);
    const period = periodOf(goal.rotation);
    const locked = goal.prerequisites.length > 0 && isLocked({ goal, viewsByGoalId: views });
    return {
      goal,
      progress: view?.progress ?? 0,
      status: view?.status ?? 'not_started',
      locked,
      completedAt: view?.completedAt ?? null,
      claimedAt: view?.claimedAt ?? null,
      isActive: view?.isActive ?? false,
      assignedAt: view?.assignedAt ?? null,
      expiresAt: period?.end ?? null,
      expiresInSeconds: period ? expiresInSeconds(period, now) : 0,
    };
  };
}

/**
 * Every challenge and goal in definition order, merged with the player's row views
 * (`assignmentViews`, or `ledgerAssignmentViews` straight from stored rows).
 */
export function buildChallengeViews(options: {
  definitions: Definitions;
  views: ReadonlyMap<string, AssignmentView>;
  now: Date;
  activeOnly: boolean;
}): ChallengeView[] {
  const { definitions, views, now, activeOnly } = options;
  const toView = goalViewsFactory({ views, now });
  const result: ChallengeView[] = [];
  for (const challenge of definitions.challenges) {
    const goals: GoalView[] = [];
    for (const goal of challenge.goals) {
      if (activeOnly && !views.get(goal.goalId)?.isActive) continue;
      goals.push(toView(goal));
    }
    if (!activeOnly || goals.length > 0) result.push({ challenge, goals });
  }
  return result;
}
