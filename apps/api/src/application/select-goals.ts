import {
  type Assignment,
  assignmentViews,
  checkGoalsOpen,
  checkRandomSelect,
  type GoalDef,
  type GoalView,
  goalViewsFactory,
  newAssignment,
  pickRandom,
  randomSelectionPool,
  resolveBatchSelection,
} from '@challenges/core';
import { announceChanged } from './announce.ts';
import type { AppContext } from './context.ts';
import { type PlayerCaller, playerDefinitions, refuseOutsideAudience } from './player-audience.ts';
import { scheduledDefinitions } from './player-definitions.ts';

export interface GoalSelectionResult {
  selectedGoals: GoalView[];
  challengeId: string;
  totalActiveGoals: number;
  replacedGoals: string[];
}

/** Activates `goals` (creating rows as needed) and, with replace, deactivates the rest. */
async function applySelection(
  ctx: AppContext,
  input: { userId: string; challengeId: string; goals: GoalDef[]; replaceExisting: boolean },
  rows: readonly Assignment[],
): Promise<GoalSelectionResult> {
  const { userId, challengeId, goals, replaceExisting } = input;
  const now = ctx.clock.now();
  const definitions = scheduledDefinitions(ctx, now);
  const selected = new Set(goals.map((g) => g.goalId));
  const replacedGoals = replaceExisting
    ? rows
        .filter((r) => r.challengeId === challengeId && r.isActive && !selected.has(r.goalId))
        .map((r) => r.goalId)
    : [];

  const upserted = await ctx.progress.upsertActivation(
    goals.map((goal) => newAssignment({ userId, goal, isActive: true, now })),
  );
  if (replacedGoals.length > 0) await ctx.progress.deactivate(userId, replacedGoals);
  announceChanged(ctx, userId);

  const byGoal = new Map(rows.map((r) => [r.goalId, r]));
  for (const row of upserted) byGoal.set(row.goalId, row);
  for (const goalId of replacedGoals)
    byGoal.set(goalId, { ...byGoal.get(goalId)!, isActive: false });
  const views = assignmentViews({ definitions, rows: [...byGoal.values()], now });
  const toView = goalViewsFactory({ views, now });
  let totalActiveGoals = 0;
  for (const goal of definitions.challengesById.get(challengeId)?.goals ?? []) {
    if (views.get(goal.goalId)?.isActive) totalActiveGoals++;
  }
  return { selectedGoals: goals.map(toView), challengeId, totalActiveGoals, replacedGoals };
}

export async function batchSelectGoals(
  ctx: AppContext,
  input: PlayerCaller & { challengeId: string; goalIds: string[]; replaceExisting: boolean },
): Promise<GoalSelectionResult> {
  const defs = await playerDefinitions(ctx, input);
  refuseOutsideAudience(defs, input.challengeId, input.goalIds);
  const definitions = defs.live;
  const goals = resolveBatchSelection({
    definitions,
    challengeId: input.challengeId,
    goalIds: input.goalIds,
  });
  checkGoalsOpen(goals);
  const rows = await ctx.progress.listByUser(input.userId);
  return applySelection(ctx, { ...input, goals }, rows);
}

export async function randomSelectGoals(
  ctx: AppContext,
  input: PlayerCaller & {
    challengeId: string;
    count: number;
    replaceExisting: boolean;
    excludeActive: boolean;
  },
): Promise<GoalSelectionResult> {
  const { userId, challengeId, count, replaceExisting, excludeActive } = input;
  const defs = await playerDefinitions(ctx, input);
  refuseOutsideAudience(defs, challengeId, []);
  // The pool holds only goals the player may see (audiences).
  const definitions = defs.visible;
  checkRandomSelect({ definitions, challengeId, count, poolSize: Number.POSITIVE_INFINITY });
  const rows = await ctx.progress.listByUser(userId);
  const viewsByGoalId = assignmentViews({ definitions, rows, now: ctx.clock.now() });
  const pool = withoutEnded(
    randomSelectionPool({
      definitions,
      challengeId,
      viewsByGoalId,
      excludeActive,
      replaceExisting,
    }),
  );
  checkRandomSelect({ definitions, challengeId, count, poolSize: pool.length });
  const goals = pickRandom({ pool, count, randomInt: ctx.randomInt });
  return applySelection(ctx, { userId, challengeId, goals, replaceExisting }, rows);
}

/** Ended goals (schedules) are never picked; without schedules nothing is ended. */
function withoutEnded(pool: GoalDef[]): GoalDef[] {
  return pool.some((goal) => goal.ended === true) ? pool.filter((goal) => !goal.ended) : pool;
}
