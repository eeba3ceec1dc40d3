import { z } from 'zod';
import { optionalText } from '../env/env-fields.ts';
import { checkSecretLengths, refuseInProduction } from '../env/production-rules.ts';

/** The reward-delivery variables (docs/rewards.md), the same for api and worker: spread into each env. */
export const rewardEnvShape = {
  REWARD_PROVIDER: z.enum(['mock', 'webhook', 'accelbyte']).default('mock'),
  REWARD_WEBHOOK_URL: optionalText.pipe(z.url().optional()),
  REWARD_WEBHOOK_SECRET: optionalText,
  AB_BASE_URL: optionalText.pipe(z.url().optional()),
  AB_CLIENT_ID: optionalText,
  AB_CLIENT_SECRET: optionalText,
  REWARD_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  REWARD_INLINE_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  REWARD_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
  REWARD_BACKOFF_CAP_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  /** `mock` provider only: fail this many grants first, or `always` (tests, demos). */
  MOCK_REWARD_FAILURES: optionalText.pipe(
    z.union([z.literal('always'), z.string().regex(/^\d+$/)]).optional(),
  ),
  /** Outbound webhooks (docs/webhooks.md): `1` lets them reach private addresses, or a CIDR list. */
  WEBHOOK_ALLOW_PRIVATE: optionalText,
};

type RewardEnv = z.output<z.ZodObject<typeof rewardEnvShape>> & { production: boolean };

/** Each provider's required settings and the production rules; call from superRefine. */
export function checkRewardEnv(e: RewardEnv, ctx: z.RefinementCtx): void {
  if (e.REWARD_PROVIDER === 'webhook' && (!e.REWARD_WEBHOOK_URL || !e.REWARD_WEBHOOK_SECRET)) {
    ctx.addIssue({
      code: 'custom',
      message: 'REWARD_PROVIDER=webhook needs REWARD_WEBHOOK_URL and REWARD_WEBHOOK_SECRET',
    });
  }
  if (
    e.REWARD_PROVIDER === 'accelbyte' &&
    (!e.AB_BASE_URL || !e.AB_CLIENT_ID || !e.AB_CLIENT_SECRET)
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'REWARD_PROVIDER=accelbyte needs AB_BASE_URL, AB_CLIENT_ID and AB_CLIENT_SECRET',
    });
  }
  refuseInProduction(
    ctx,
    e,
    'REWARD_PROVIDER=mock',
    e.REWARD_PROVIDER === 'mock',
    'claims would answer `delivery: granted` while nothing reaches the player; set REWARD_PROVIDER=webhook or accelbyte (mock is the default)',
  );
  // AB_CLIENT_SECRET is issued by AccelByte, not chosen here: its length is not ours to demand.
  checkSecretLengths(ctx, e.production, { REWARD_WEBHOOK_SECRET: e.REWARD_WEBHOOK_SECRET });
}
