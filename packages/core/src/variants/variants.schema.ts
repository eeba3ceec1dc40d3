import { z } from 'zod';

/** At most this many variants per goal (each is one arm of an experiment). */
export const MAX_VARIANTS = 20;
/** Weights are relative; this bound keeps their sum exact in a double. */
export const MAX_VARIANT_WEIGHT = 1_000_000;

/**
 * The schema of a goal's `variants` (docs/definitions.md, "A/B variants"), built from the
 * definitions schema's own field schemas (passed in: definitions.schema.ts imports this file).
 * A variant may override `requirement.targetValue` only: the stat key, the progress mode and
 * the rotation decide which ledger a row reads and how (docs/event-model.md), and they stay one
 * per goal so publish re-anchoring, the candidate index and the funnel compare like with like.
 */
export function variantsSchema(parts: {
  id: z.ZodType<string>;
  name: z.ZodType<string>;
  description: z.ZodType<string>;
  reward: z.ZodType<{ type: 'ITEM' | 'WALLET'; rewardId: string; quantity: number }>;
  positiveInt: z.ZodType<number>;
}) {
  const requirement = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (key !== 'targetValue') {
        ctx.addIssue({
          code: 'custom',
          message: `a variant's requirement may only override targetValue (found '${key}')`,
        });
      }
    }
    const parsed = parts.positiveInt.safeParse(value.targetValue);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: "a variant's requirement.targetValue must be a positive integer",
      });
    }
  });
  const variant = z.object({
    variantId: parts.id,
    weight: z.number().positive().max(MAX_VARIANT_WEIGHT),
    requirement: requirement.optional(),
    reward: parts.reward.optional(),
    name: parts.name.optional(),
    description: parts.description.optional(),
  });
  return z
    .array(variant)
    .min(2, { error: 'variants must have at least 2 entries' })
    .max(MAX_VARIANTS, { error: `variants must have at most ${MAX_VARIANTS} entries` })
    .superRefine((variants, ctx) => {
      const seen = new Set<string>();
      for (const v of variants) {
        if (seen.has(v.variantId)) {
          ctx.addIssue({ code: 'custom', message: `variantId '${v.variantId}' is used twice` });
        }
        seen.add(v.variantId);
      }
    });
}

export type ParsedVariants = z.output<ReturnType<typeof variantsSchema>>;
