import type { GoalDef, GoalVariant } from '../definitions/definitions.types.ts';

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's finalizer: spreads FNV's weak low bits over the whole word. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable point in [0, 1) for a player and a goal (same inputs, same point, any process). */
export function variantPoint(userId: string, goalId: string): number {
  return fmix32(fnv1a(`${userId}\u0000${goalId}`)) / 2 ** 32;
}

/**
 * The variant a player gets for a goal: the weighted arm the player's stable point falls in.
 * Called only when a row is created (the pick is recorded on it): re-weighting moves new
 * players only.
 */
export function pickVariant(variants: readonly GoalVariant[], userId: string, goalId: string) {
  let total = 0;
  for (const v of variants) total += v.weight;
  const point = variantPoint(userId, goalId) * total;
  let upTo = 0;
  for (const v of variants) {
    upTo += v.weight;
    if (point < upTo) return v.variantId;
  }
  return variants[variants.length - 1]!.variantId;
}

/** `{ variantId }` for a new row of a goal with variants; `{}` for every other goal. */
export function variantOfNewRow(goal: GoalDef, userId: string): { variantId?: string } {
  if (goal.variants === undefined) return {};
  return { variantId: pickVariant(goal.variants, userId, goal.goalId) };
}
