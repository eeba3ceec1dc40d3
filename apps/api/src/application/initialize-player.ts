import {
  type Assignment,
  assignmentViews,
  type Definitions,
  type GoalView,
  goalViewsFactory,
  newAssignment,
  rotateAssignment,
} from '@challenges/core';
import type { AppContext } from './context.ts';

export interface InitializePlayerResult {
  definitions: Definitions;
  assignedGoals: GoalView[];
  newAssignments: number;
  totalActive: number;
}

/**
 * Meant for every login: assigns default goals the player has no row for (so goals added
 * later reach returning players), brings stale rotating rows into the current period, and
 * answers with every active assignment. A returning player costs one read and no write.
 */
export async function initializePlayer(
  ctx: AppContext,
  input: { userId: string },
): Promise<InitializePlayerResult> {
  const { userId } = input;
  const definitions = ctx.definitions.current();
  const now = ctx.clock.now();
  let rows = await ctx.progress.listByUser(userId);

  const existing = new Set<string>();
  const rotated: Assignment[] = [];
  for (const row of rows) {
    existing.add(row.goalId);
    const goal = definitions.goalsById.get(row.goalId);
    const next = goal?.rotation ? rotateAssignment({ goal, row, now }) : null;
    if (next) rotated.push(next);
  }
  const missing: Assignment[] = [];
  for (const challenge of definitions.challenges) {
    for (const goal of challenge.goals) {
      if (goal.defaultAssigned && !existing.has(goal.goalId)) {
        missing.push(newAssignment({ userId, goal, isActive: true, now }));
      }
    }
  }

  let newAssignments = 0;
  if (rotated.length > 0) await ctx.progress.saveRotated(rotated);
  if (missing.length > 0) newAssignments = (await ctx.progress.insertMissing(missing)).length;
  if (rotated.length > 0 || missing.length > 0) rows = await ctx.progress.listByUser(userId);

  const views = assignmentViews({ definitions, rows, now });
  const toView = goalViewsFactory({ views, now });
  const assignedGoals: GoalView[] = [];
  for (const challenge of definitions.challenges) {
    for (const goal of challenge.goals) {
      if (views.get(goal.goalId)?.isActive) assignedGoals.push(toView(goal));
    }
  }
  return { definitions, assignedGoals, newAssignments, totalActive: assignedGoals.length };
}
