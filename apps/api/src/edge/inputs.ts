import { CoreError } from '@challenges/core';
import { z } from 'zod';

/** Ids in paths and bodies: what the definitions allow, and a bound on what we look up. */
export const ZId = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters');

export const ZChallengeParams = z.object({ challengeId: ZId });
export const ZGoalParams = z.object({ challengeId: ZId, goalId: ZId });

const ZFlag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const ZListQuery = z.object({ activeOnly: ZFlag.default(false) });

export const ZSetActiveBody = z.object({
  isActive: z.boolean({
    error: (i) => (i.input === undefined ? 'isActive is required' : 'isActive must be a boolean'),
  }),
});

export const ZBatchSelectBody = z.object({
  goalIds: z.array(ZId, { error: 'goal_ids must be a list of goal ids' }).max(1000).default([]),
  replaceExisting: z.boolean().default(false),
});

export const ZRandomSelectBody = z.object({
  count: z.number().int('count must be an integer').max(1000).default(0),
  replaceExisting: z.boolean().default(false),
  excludeActive: z.boolean().default(false),
});

export const ZClockBody = z.object({
  offsetSeconds: z
    .number()
    .int()
    .min(-10 * 365 * 86_400)
    .max(10 * 365 * 86_400),
});

function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Top-level snake_case names become camelCase; a camelCase name wins over its snake twin. */
function normaliseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const camel = camelCase(key);
    if (camel === key || !(camel in value)) out[camel] = v;
  }
  return out;
}

/** Parses input with a zod schema; a failure is INVALID_ARGUMENT naming the field. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const input = value === undefined || value === null ? {} : normaliseKeys(value);
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new CoreError('INVALID_ARGUMENT', `${what} must be a JSON object`);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  const message =
    issue.message.startsWith(path) || path === '' ? issue.message : `${path}: ${issue.message}`;
  throw new CoreError('INVALID_ARGUMENT', `invalid ${what}: ${message}`);
}
