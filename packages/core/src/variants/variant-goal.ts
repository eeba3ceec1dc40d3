import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';

const cache = new WeakMap<GoalDef, Map<string, GoalDef>>();

/**
 * The goal as a player of `variantId` sees and plays it: the variant's target, reward and text
 * over the goal's, everything else the goal's, with `variantId` set (built once per goal and
 * variant of a definitions version). Without variants, or for a variant the goal no longer has
 * (removed by a publish) or none recorded, the goal itself.
 */
export function variantGoal(goal: GoalDef, variantId: string | null | undefined): GoalDef {
  if (goal.variants === undefined || variantId == null) return goal;
  let built = cache.get(goal);
  if (built === undefined) {
    built = new Map();
    for (const v of goal.variants) {
      built.set(
        v.variantId,
        Object.freeze({
          ...goal,
          name: v.name ?? goal.name,
          description: v.description ?? goal.description,
          requirement:
            v.targetValue === null
              ? goal.requirement
              : Object.freeze({ ...goal.requirement, targetValue: v.targetValue }),
          reward: v.reward ?? goal.reward,
          variantId: v.variantId,
        }),
      );
    }
    cache.set(goal, built);
  }
  return built.get(variantId) ?? goal;
}

/** The goal a stored or materialized row plays: its goal in the variant recorded on it. */
export function goalOfRow(
  definitions: Definitions,
  row: { goalId: string; variantId?: string | undefined },
): GoalDef | undefined {
  const goal = definitions.goalsById.get(row.goalId);
  if (goal === undefined || goal.variants === undefined) return goal;
  return variantGoal(goal, row.variantId);
}
