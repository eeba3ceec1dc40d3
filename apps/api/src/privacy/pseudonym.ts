import { createHmac } from 'node:crypto';
import { MIN_SECRET_LENGTH, optionalText } from '@challenges/runtime/env';
import type { z } from 'zod';

/**
 * What replaces a player's id in the reward tables once their data is deleted
 * (docs/data-retention.md): `erased~` + base64url HMAC-SHA256(PSEUDONYM_SECRET, user id). Keyed,
 * so a copy of the database alone cannot test a guessed id; deterministic, so a returning
 * player's claim still finds the grant of their earlier claim and is refused (409).
 */
export type Pseudonymise = (userId: string) => string;

export const PSEUDONYM_PREFIX = 'erased~';

export function pseudonymiser(secret: string): Pseudonymise {
  return (userId) =>
    `${PSEUDONYM_PREFIX}${createHmac('sha256', secret).update(userId, 'utf8').digest('base64url')}`;
}

// Fixed rather than random per process: a pseudonym must be the same in every replica and after
// every restart, or a deleted-then-returning player could claim a reward a second time.
export const LOCAL_PSEUDONYM_SECRET = 'local-development-pseudonym-secret-do-not-use-in-production';

/** PSEUDONYM_SECRET, spread into the api's env schema. */
export const pseudonymEnvShape = {
  PSEUDONYM_SECRET: optionalText,
};

/**
 * Required in production, and at least MIN_SECRET_LENGTH characters wherever it is set; call
 * from the env schema's superRefine.
 */
export function checkPseudonymEnv(
  e: { production: boolean; PSEUDONYM_SECRET?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (e.production && e.PSEUDONYM_SECRET === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'PSEUDONYM_SECRET is required when NODE_ENV=production',
    });
  } else if (e.PSEUDONYM_SECRET !== undefined && e.PSEUDONYM_SECRET.length < MIN_SECRET_LENGTH) {
    ctx.addIssue({
      code: 'custom',
      message: `PSEUDONYM_SECRET must be at least ${MIN_SECRET_LENGTH} characters`,
    });
  }
}
