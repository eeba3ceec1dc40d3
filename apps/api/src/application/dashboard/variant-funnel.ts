import { CoreError, type Definitions, type GoalDef, variantGoal } from '@challenges/core';
import type { VariantFunnelRepository, VariantFunnelRow } from '@challenges/db';

/** One goal × A/B variant: assigned → active → completed → claimed, rates and time to complete. */
export interface FunnelVariant {
  /** '' : players without a recorded variant (the goal itself; every player of a plain goal). */
  variantId: string;
  /** Weight in the live definitions; null when the variant is not (or no longer) defined. */
  weight: number | null;
  name: string;
  targetValue: number;
  reward: { type: string; rewardId: string; quantity: number };
  assigned: number;
  active: number;
  completed: number;
  claimed: number;
  /** active / assigned, completed / assigned, claimed / completed; null when the base is 0. */
  activeRate: number | null;
  completionRate: number | null;
  claimRate: number | null;
  medianSecondsToComplete: number | null;
  p90SecondsToComplete: number | null;
}

export interface FunnelGoal {
  goalId: string;
  name: string;
  hasVariants: boolean;
  variants: FunnelVariant[];
}

export interface VariantFunnel {
  challengeId: string;
  goals: FunnelGoal[];
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function funnelVariant(goal: GoalDef, variantId: string, row: VariantFunnelRow | undefined) {
  const played = variantGoal(goal, variantId === '' ? null : variantId);
  const defined = goal.variants?.find((v) => v.variantId === variantId);
  const counts = row ?? { assigned: 0, active: 0, completed: 0, claimed: 0 };
  return {
    variantId,
    weight: defined?.weight ?? null,
    name: played.name,
    targetValue: played.requirement.targetValue,
    reward: { ...played.reward },
    assigned: counts.assigned,
    active: counts.active,
    completed: counts.completed,
    claimed: counts.claimed,
    activeRate: rate(counts.active, counts.assigned),
    completionRate: rate(counts.completed, counts.assigned),
    claimRate: rate(counts.claimed, counts.completed),
    medianSecondsToComplete: row?.medianSecondsToComplete ?? null,
    p90SecondsToComplete: row?.p90SecondsToComplete ?? null,
  } satisfies FunnelVariant;
}

/**
 * The funnel of one challenge per goal and variant, from one aggregate query: every defined
 * variant (zeros until someone lands in it), plus the rows of variants no longer defined and of
 * players assigned before the goal had variants ('').
 */
export async function variantFunnel(
  deps: { funnel: VariantFunnelRepository; definitions: { current(): Definitions } },
  input: { challengeId: string },
): Promise<VariantFunnel> {
  const challenge = deps.definitions.current().challengesById.get(input.challengeId);
  if (challenge === undefined) {
    throw new CoreError('NOT_FOUND', `challenge '${input.challengeId}' not found`);
  }
  const rows = await deps.funnel.forGoals(challenge.goals.map((g) => g.goalId));
  const byKey = new Map(rows.map((r) => [`${r.goalId}\u0000${r.variantId}`, r]));
  const goals = challenge.goals.map((goal): FunnelGoal => {
    const ids = goal.variants?.map((v) => v.variantId) ?? [''];
    for (const r of rows)
      if (r.goalId === goal.goalId && !ids.includes(r.variantId)) ids.push(r.variantId);
    return {
      goalId: goal.goalId,
      name: goal.name,
      hasVariants: goal.variants !== undefined,
      variants: ids.map((id) => funnelVariant(goal, id, byKey.get(`${goal.goalId}\u0000${id}`))),
    };
  });
  return { challengeId: challenge.challengeId, goals };
}
