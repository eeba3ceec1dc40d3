import {
  type Assignment,
  type Definitions,
  type GoalView,
  goalViewsFactory,
  hasAudiences,
  newAssignment,
  rotateAssignment,
} from '@challenges/core';
import type { AppContext } from './context.ts';
import { audienceDefinitions, deactivateOutside, type PlayerCaller } from './player-audience.ts';
import { scheduledDefinitions } from './player-definitions.ts';

export interface InitializePlayerResult {
  definitions: Definitions;
  assignedGoals: GoalView[];
  newAssignments: number;
  totalActive: number;
  /** Whether a row was written (assigned, rotated, deactivated): only then is it announced. */
  changed: boolean;
}

/**
 * Meant for every login: assigns default goals the player has no row for (so goals added
 * later reach returning players), brings stale rotating rows into the current period, and
 * answers with every active assignment. A returning player costs one read (views derived
 * straight from the stored rows) and no write.
 */
export async function initializePlayer(
  ctx: AppContext,
  input: PlayerCaller,
): Promise<InitializePlayerResult> {
  const { userId } = input;
  const now = ctx.clock.now();
  const live = scheduledDefinitions(ctx, now);
  // Audiences: assign and answer only what the player may see; rows of goals they are now
  // outside of (an edited audience, changed attributes) are deactivated here.
  const audience = hasAudiences(live) ? await audienceDefinitions(ctx, input, live) : null;
  const definitions = audience?.visible ?? live;
  let views = await ctx.progress.viewsByUser(userId, { definitions: live, now });
  const deactivated =
    audience?.exclusions &&
    (await deactivateOutside(ctx, userId, audience.exclusions.goalIds, views)) > 0;
  if (deactivated) views = await ctx.progress.viewsByUser(userId, { definitions: live, now });

  const missing: Assignment[] = [];
  for (const challenge of definitions.challenges) {
    for (const goal of challenge.goals) {
      if (goal.defaultAssigned && !views.has(goal.goalId)) {
        missing.push(newAssignment({ userId, goal, isActive: true, now }));
      }
    }
  }
  // Only a goal that rotates can have a stale view, and rotateAssignment moves exactly those.
  let stale = false;
  for (const view of views.values()) stale ||= view.stale;
  const rotated: Assignment[] = [];
  if (stale) {
    for (const row of await ctx.progress.listByUser(userId)) {
      const goal = definitions.goalsById.get(row.goalId);
      const next = goal?.rotation ? rotateAssignment({ goal, row, now }) : null;
      if (next) rotated.push(next);
    }
  }

  let newAssignments = 0;
  if (rotated.length > 0) await ctx.progress.saveRotated(rotated);
  if (missing.length > 0) newAssignments = (await ctx.progress.insertMissing(missing)).length;
  if (stale || missing.length > 0)
    views = await ctx.progress.viewsByUser(userId, { definitions: live, now });

  const toView = goalViewsFactory({ views, now });
  const assignedGoals: GoalView[] = [];
  for (const challenge of definitions.challenges) {
    for (const goal of challenge.goals) {
      if (views.get(goal.goalId)?.isActive) assignedGoals.push(toView(goal));
    }
  }
  return {
    definitions: live,
    assignedGoals,
    newAssignments,
    totalActive: assignedGoals.length,
    changed: Boolean(deactivated) || rotated.length > 0 || newAssignments > 0,
  };
}
