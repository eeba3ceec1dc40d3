import { formatTimestamp } from '@challenges/core';
import type { RewardGrant, RewardGrantEvent } from '@challenges/db';
import { z } from 'zod';

export const ZGrantStatus = z.enum(['pending', 'granted', 'failed']);
/** Grant ids are bigints sent as strings; anything else cannot exist, so it is bad input. */
export const ZGrantId = z.string().regex(/^\d{1,19}$/, 'a grant id is a decimal number');

export const ZRewardGrant = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  userId: z.string(),
  goalId: z.string(),
  challengeId: z.string(),
  reward: z.object({ type: z.string(), rewardId: z.string(), quantity: z.number() }),
  provider: z.string(),
  status: ZGrantStatus,
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  grantedAt: z.string().nullable(),
});

export const ZRewardGrantEvent = z.object({
  id: z.string(),
  at: z.string(),
  fromStatus: ZGrantStatus,
  toStatus: ZGrantStatus,
  attempt: z.number(),
  error: z.string().nullable(),
  actor: z.string(),
});

const time = (at: Date | null) => (at ? formatTimestamp(at) : null);

export function rewardGrantJson(grant: RewardGrant): z.infer<typeof ZRewardGrant> {
  return {
    id: grant.id,
    idempotencyKey: grant.idempotencyKey,
    userId: grant.userId,
    goalId: grant.goalId,
    challengeId: grant.challengeId,
    reward: { type: grant.rewardType, rewardId: grant.rewardId, quantity: grant.quantity },
    provider: grant.provider,
    status: grant.status,
    attempts: grant.attempts,
    lastError: grant.lastError,
    nextAttemptAt: time(grant.nextAttemptAt),
    createdAt: formatTimestamp(grant.createdAt),
    updatedAt: formatTimestamp(grant.updatedAt),
    grantedAt: time(grant.grantedAt),
  };
}

export function rewardGrantEventJson(event: RewardGrantEvent): z.infer<typeof ZRewardGrantEvent> {
  return {
    id: event.id,
    at: formatTimestamp(event.at),
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    attempt: event.attempt,
    error: event.error,
    actor: event.actor,
  };
}
