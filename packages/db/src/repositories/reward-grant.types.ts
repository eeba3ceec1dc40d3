export type RewardGrantStatus = 'pending' | 'granted' | 'failed';

/** What a claim records: the reward owed, keyed `user:goal:period` so it is owed once. */
export interface RewardGrantInput {
  /** `user:goal:period`, see packages/core/src/claim/reward-key.ts. */
  idempotencyKey: string;
  userId: string;
  goalId: string;
  challengeId: string;
  rewardType: string;
  rewardId: string;
  quantity: number;
  /** The provider that will deliver it (`mock`, `webhook`, `accelbyte`). */
  provider: string;
  /** The claim's time (the service clock's, as the progress row's claimed_at). */
  claimedAt: Date;
}

export interface RewardGrant extends RewardGrantInput {
  /** bigint identity, as a string: pg does not squeeze int8 into a JS number. */
  id: string;
  status: RewardGrantStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  grantedAt: Date | null;
  /** Set when the player's data was deleted: user id and key are pseudonyms since. */
  erasedAt: Date | null;
}

export const REWARD_GRANT_COLUMNS = `id, idempotency_key, user_id, goal_id, challenge_id,
  reward_type, reward_id, quantity, provider, status, attempts, last_error, next_attempt_at,
  created_at, updated_at, granted_at, claimed_at, erased_at`;

// biome-ignore lint/suspicious/noExplicitAny: a pg row of REWARD_GRANT_COLUMNS
export function decodeRewardGrant(row: any): RewardGrant {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    userId: row.user_id,
    goalId: row.goal_id,
    challengeId: row.challenge_id,
    rewardType: row.reward_type,
    rewardId: row.reward_id,
    quantity: row.quantity,
    provider: row.provider,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    grantedAt: row.granted_at,
    // Grants recorded before claimed_at existed were written in the claim's transaction.
    claimedAt: row.claimed_at ?? row.created_at,
    erasedAt: row.erased_at,
  };
}
