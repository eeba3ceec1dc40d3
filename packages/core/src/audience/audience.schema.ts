import { z } from 'zod';

/**
 * Audiences (SPEC §2.4, docs/definitions.md#audiences): who may see, be assigned and progress a
 * challenge or a goal, by player attributes and a sticky rollout percentage.
 */

export const AUDIENCE_LIMITS = {
  attrLength: 64,
  rules: 50,
  values: 100,
  stringValueLength: 256,
  playerAttributes: 50,
} as const;

/** Attribute names: what a JWT claim or an ingest call may name (no spaces, no quotes). */
export const ATTRIBUTE_NAME = /^[A-Za-z0-9_.:-]+$/;

export const attributeNameSchema = z
  .string()
  .min(1)
  .max(AUDIENCE_LIMITS.attrLength)
  .regex(ATTRIBUTE_NAME, {
    error: 'attribute names may hold only letters, digits and _ . : -',
  });

export const attributeValueSchema = z.union([
  z.string().max(AUDIENCE_LIMITS.stringValueLength),
  z.number().refine(Number.isFinite, { error: 'an attribute number must be finite' }),
  z.boolean(),
]);

const valueList = z.array(attributeValueSchema).min(1).max(AUDIENCE_LIMITS.values);

const OPERATORS = ['in', 'notIn', 'gte', 'lte', 'exists'] as const;

/** One condition on one attribute; several operators in one rule must all hold. */
export const audienceRuleSchema = z
  .object({
    attr: attributeNameSchema,
    in: valueList.optional(),
    notIn: valueList.optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
  })
  .superRefine((rule, ctx) => {
    if (OPERATORS.every((op) => rule[op] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `audience rule on '${rule.attr}' needs one of in, notIn, gte, lte, exists`,
      });
    }
    if (rule.gte !== undefined && rule.lte !== undefined && rule.gte > rule.lte) {
      ctx.addIssue({
        code: 'custom',
        message: `audience rule on '${rule.attr}': gte ${rule.gte} is above lte ${rule.lte}`,
      });
    }
  });

const ruleList = z.array(audienceRuleSchema).min(1).max(AUDIENCE_LIMITS.rules);

export const audienceSchema = z
  .object({
    all: ruleList.optional(),
    any: ruleList.optional(),
    rolloutPercent: z.number().min(0).max(100).optional(),
  })
  .superRefine((audience, ctx) => {
    if (
      audience.all === undefined &&
      audience.any === undefined &&
      audience.rolloutPercent === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'audience needs all, any or rolloutPercent',
      });
    }
  });

/** PUT /v1/players/{id}/attributes and the stored attributes: a flat map of scalars. */
export const playerAttributesSchema = z
  .record(attributeNameSchema, attributeValueSchema)
  .refine((attrs) => Object.keys(attrs).length <= AUDIENCE_LIMITS.playerAttributes, {
    error: `at most ${AUDIENCE_LIMITS.playerAttributes} attributes are allowed`,
  });
