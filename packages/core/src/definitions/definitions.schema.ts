import { IANAZone } from 'luxon';
import { z } from 'zod';
import { audienceSchema } from '../audience/audience.schema.ts';
import { scheduleSchema } from '../schedule/schedule.schema.ts';
import { variantsSchema } from '../variants/variants.schema.ts';

/**
 * Zod schemas of the definitions file `{"challenges":[…]}` as live-ops write it (camelCase, plus
 * the legacy keys of the original's files). Unknown keys are stripped. Parsing goes level by
 * level (see parse-definitions.ts) so that one bad goal does not hide the problems of the others.
 */

export const EVENT_SOURCES = ['login', 'statistic'] as const;
export const PROGRESS_MODES = ['absolute', 'relative', 'increment'] as const;
export const REWARD_TYPES = ['ITEM', 'WALLET'] as const;
export const SCHEDULES = ['daily', 'weekly', 'monthly'] as const;
export const WEEK_DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export const LEGACY_GOAL_TYPES = ['absolute', 'increment', 'daily'] as const;

/** Progress and targets travel as int32 over gRPC, so nothing may exceed it. */
export const INT32_MAX = 2_147_483_647;

/** Bounds that keep one definitions file cheap to hold in every process and to render. */
export const DEFINITION_LIMITS = {
  idLength: 128,
  nameLength: 200,
  descriptionLength: 2000,
  statCodeLength: 128,
  rewardIdLength: 128,
  timezoneLength: 64,
  prerequisites: 100,
  challenges: 1000,
  goals: 10_000,
} as const;

// Ids travel in URL paths and in idempotency keys: no whitespace, no slash.
const idSchema = z
  .string()
  .min(1, { abort: true })
  .max(DEFINITION_LIMITS.idLength)
  .regex(/^[^\s/]+$/, { error: (iss) => `${fieldName(iss.path)} must not contain spaces or '/'` });

// A string, or (i18n, SPEC §2.4) a map of locale → ICU message, checked in i18n/resolve-texts.ts.
const localeMap = z.record(z.string(), z.string());
const localizedError = (iss: { input: unknown; path?: PropertyKey[] }) =>
  iss.input === undefined
    ? `${fieldName(iss.path)} is required`
    : `${fieldName(iss.path)} must be a string or an object of locale to message`;
const nameSchema = z.union(
  [z.string().trim().min(1).max(DEFINITION_LIMITS.nameLength), localeMap],
  {
    error: localizedError,
  },
);
const descriptionSchema = z
  .union([z.string().max(DEFINITION_LIMITS.descriptionLength), localeMap], {
    error: localizedError,
  })
  .default('');
const positiveIntSchema = z.number().int().positive().max(INT32_MAX);

export const rotationSchema = z.object({
  enabled: z.boolean().default(true),
  type: z.literal('global').default('global'),
  schedule: z.enum(SCHEDULES),
  timezone: z
    .string()
    .min(1)
    .max(DEFINITION_LIMITS.timezoneLength)
    .refine((zone) => IANAZone.isValidZone(zone), {
      error: (iss) => `timezone '${String(iss.input)}' is not a valid IANA time zone`,
    })
    .default('UTC'),
  weekStartsOn: z.enum(WEEK_DAYS).default('monday'),
  onExpiry: z
    .object({
      resetProgress: z.boolean().default(false),
      allowReselection: z.boolean().default(false),
    })
    .default({ resetProgress: false, allowReselection: false }),
});

export const requirementSchema = z.object({
  statCode: z.string().max(DEFINITION_LIMITS.statCodeLength).default(''),
  operator: z.literal('>=').default('>='),
  targetValue: positiveIntSchema,
  progressMode: z.enum(PROGRESS_MODES).optional(),
});

export const rewardSchema = z.object({
  type: z.enum(REWARD_TYPES),
  rewardId: z.string().min(1).max(DEFINITION_LIMITS.rewardIdLength),
  quantity: positiveIntSchema,
});

export const goalSchema = z
  .object({
    goalId: idSchema,
    name: nameSchema,
    description: descriptionSchema,
    /** Legacy: absolute | increment | daily. */
    type: z.enum(LEGACY_GOAL_TYPES).optional(),
    /** Legacy, with type increment: at most +1 per day. */
    daily: z.boolean().optional(),
    eventSource: z.enum(EVENT_SOURCES),
    requirement: requirementSchema,
    reward: rewardSchema,
    prerequisites: z.array(idSchema).max(DEFINITION_LIMITS.prerequisites).default([]),
    defaultAssigned: z.boolean().default(false),
    // `enabled: false` means "no rotation": its other keys do not matter then.
    rotation: z.preprocess(
      (value) => (isRecord(value) && value.enabled === false ? undefined : value),
      rotationSchema.optional(),
    ),
    audience: audienceSchema.optional(),
    schedule: scheduleSchema.optional(),
    // A variant's text is a plain string (one locale): localized variant text is not supported yet.
    variants: variantsSchema({
      id: idSchema,
      name: z.string().trim().min(1).max(DEFINITION_LIMITS.nameLength),
      description: z.string().max(DEFINITION_LIMITS.descriptionLength),
      reward: rewardSchema,
      positiveInt: positiveIntSchema,
    }).optional(),
  })
  .superRefine((goal, ctx) => {
    if (goal.eventSource === 'statistic' && goal.requirement.statCode === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['requirement', 'statCode'],
        message: 'statCode is required for statistic goals',
      });
    }
  });

const goalsArray = <T extends z.ZodType>(goal: T) =>
  z.array(goal).min(1, { error: 'at least one goal is required' });

/** A challenge without looking into its goals: goals are parsed one by one. */
export const challengeHeaderSchema = z.object({
  challengeId: idSchema,
  name: nameSchema,
  description: descriptionSchema,
  goals: goalsArray(z.unknown()),
  audience: audienceSchema.optional(),
  schedule: scheduleSchema.optional(),
});

export const challengeSchema = challengeHeaderSchema.extend({ goals: goalsArray(goalSchema) });

const challengesArray = <T extends z.ZodType>(challenge: T) =>
  z
    .array(challenge)
    .min(1, { error: 'at least one challenge is required' })
    .max(DEFINITION_LIMITS.challenges, {
      error: `at most ${DEFINITION_LIMITS.challenges} challenges are allowed`,
    });

/** i18n: the locale that ends every fallback chain (checked in parse-definitions). */
const defaultLocaleSchema = z.string().max(35).optional();

export const definitionsFileHeaderSchema = z.object({
  defaultLocale: defaultLocaleSchema,
  challenges: challengesArray(z.unknown()),
});

/** The whole file, for tools that want one schema (editors, JSON-schema export). */
export const definitionsFileSchema = z.object({
  defaultLocale: defaultLocaleSchema,
  challenges: challengesArray(challengeSchema),
});

export type DefinitionsFile = z.input<typeof definitionsFileSchema>;
export type ParsedGoal = z.output<typeof goalSchema>;
export type ParsedChallengeHeader = z.output<typeof challengeHeaderSchema>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldName(path: readonly PropertyKey[] | undefined): string {
  const keys = path ?? [];
  const last = keys[keys.length - 1];
  if (typeof last === 'number') return `${String(keys[keys.length - 2] ?? 'item')}[${last}]`;
  return last === undefined ? 'value' : String(last);
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/**
 * Turns zod's generic messages into ones live-ops can act on ("targetValue must be positive"),
 * naming the field rather than zod's notion of a type.
 */
export const describeIssue: z.core.$ZodErrorMap = (iss) => {
  const field = fieldName(iss.path);
  if (iss.input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_value')) {
    return `${field} is required`;
  }
  switch (iss.code) {
    case 'invalid_type':
      return `${field} must be ${ARTICLES[iss.expected] ?? iss.expected}`;
    case 'invalid_value': {
      const values = iss.values.map((value) => `'${String(value)}'`);
      return values.length === 1
        ? `${field} must be ${values[0]}`
        : `${field} must be one of ${values.join(', ')}`;
    }
    case 'too_small':
      if (iss.origin === 'string') {
        return Number(iss.minimum) <= 1
          ? `${field} must not be empty`
          : `${field} must have at least ${iss.minimum} characters`;
      }
      if (iss.origin === 'array') return `${field} must have at least ${iss.minimum} entries`;
      return iss.inclusive === false && Number(iss.minimum) === 0
        ? `${field} must be positive`
        : `${field} must be at least ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'string') return `${field} must have at most ${iss.maximum} characters`;
      if (iss.origin === 'array') return `${field} must have at most ${iss.maximum} entries`;
      return `${field} must be at most ${iss.maximum}`;
    default:
      return undefined;
  }
};
