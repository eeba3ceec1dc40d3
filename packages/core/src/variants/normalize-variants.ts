import type { GoalVariant } from '../definitions/definitions.types.ts';
import type { ParsedVariants } from './variants.schema.ts';

/** The file's variants in the normalised shape (schema-valid input). */
export function normalizeVariants(parsed: ParsedVariants): readonly GoalVariant[] {
  return Object.freeze(
    parsed.map((v) =>
      Object.freeze({
        variantId: v.variantId,
        weight: v.weight,
        targetValue: v.requirement === undefined ? null : (v.requirement.targetValue as number),
        reward: v.reward === undefined ? null : Object.freeze({ ...v.reward }),
        name: v.name ?? null,
        description: v.description ?? null,
      }),
    ),
  );
}

/** The file form of normalised variants (export, the dashboard's JSON view). */
export function serializeVariants(variants: readonly GoalVariant[]) {
  return variants.map((v) => ({
    variantId: v.variantId,
    weight: v.weight,
    ...(v.targetValue === null ? {} : { requirement: { targetValue: v.targetValue } }),
    ...(v.reward === null ? {} : { reward: { ...v.reward } }),
    ...(v.name === null ? {} : { name: v.name }),
    ...(v.description === null ? {} : { description: v.description }),
  }));
}

/** Variants keyed by id for the diff, so a change reads `variants.hard.weight: 1 → 3`. */
export function variantDiffFields(variants: readonly GoalVariant[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of variants) {
    out[v.variantId] = {
      weight: v.weight,
      targetValue: v.targetValue,
      reward: v.reward === null ? null : { ...v.reward },
      name: v.name,
      description: v.description,
    };
  }
  return out;
}
