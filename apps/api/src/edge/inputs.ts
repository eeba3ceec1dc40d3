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

export const ZProfileBody = z.object({
  processId: z.string().min(1).max(300),
  kind: z.enum(['cpu', 'heap']),
  seconds: z.number().int().min(1).max(30),
});
export const ZProfileParams = z.object({ id: z.string().regex(/^(cpu|heap)-[0-9a-f-]{36}$/) });

const MAX_EVENTS_PER_REQUEST = 1000;

/** Game servers written for snake_case payloads work too; camelCase wins when both are sent. */
function camelKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  return {
    ...v,
    userId: v.userId ?? v.user_id,
    statCode: v.statCode ?? v.stat_code,
  };
}

const ZHttpEvent = z.preprocess(
  camelKeys,
  z
    .object({
      id: ZId,
      type: z.enum(['login', 'stat']),
      userId: ZId,
      statCode: ZId.optional(),
      value: z.number().finite().optional(),
      inc: z.number().finite().optional(),
      timestamp: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('RFC 3339; used for lag metrics only, never to decide a rotation period'),
      namespace: z
        .string()
        .max(256)
        .optional()
        .describe('events of another namespace than NAMESPACE are acknowledged and skipped'),
    })
    .superRefine((e, ctx) => {
      if (e.type !== 'stat') return;
      if (e.statCode === undefined) {
        ctx.addIssue({ code: 'custom', path: ['statCode'], message: 'required for stat events' });
      }
      if (e.value === undefined && e.inc === undefined) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'value or inc is required' });
      }
    }),
);

/** The body of POST {BASE_PATH}/v1/events (docs/events.md). */
export const ZHttpBatch = z.object({
  events: z
    .array(ZHttpEvent)
    .min(1, 'must hold at least one event')
    .max(MAX_EVENTS_PER_REQUEST, `must hold at most ${MAX_EVENTS_PER_REQUEST} events`),
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
