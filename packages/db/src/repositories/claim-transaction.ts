import type { Assignment, WebhookEvent } from '@challenges/core';
import type pg from 'pg';
import {
  decodeRewardGrant,
  REWARD_GRANT_COLUMNS,
  type RewardGrant,
  type RewardGrantInput,
} from './reward-grant.types.ts';
import { insertWebhookOutbox } from './webhook-outbox.ts';

export interface ClaimTransaction {
  /**
   * The assignment row, locked until the transaction ends: a concurrent claim of the same goal
   * waits here and then sees this claim's result. null when the user has no such row.
   */
  lockAssignment(): Promise<Assignment | null>;
  /** Every assignment of the user (to check prerequisites), inside the transaction. */
  listByUser(): Promise<Assignment[]>;
  /**
   * The claim time of a grant of this goal with one of `keys` whose user is one of `userIds`:
   * a claim made before the player's data was deleted (its user id is a pseudonym since). The
   * user and goal columns make keys of the first, ambiguous format safe to look up.
   */
  findEarlierGrant(input: {
    keys: readonly string[];
    userIds: readonly string[];
  }): Promise<{ claimedAt: Date } | null>;
  /**
   * Sets status claimed and claimed_at, and the period `row` was moved to (checkClaim judges the
   * row as rotated to now); clears reopened_at. Returns the updated row.
   */
  markClaimed(row: Assignment, claimedAt: Date): Promise<Assignment>;
  /** Records the grant; throws DuplicateRewardGrantError when the key exists already. */
  insertRewardGrant(input: RewardGrantInput): Promise<RewardGrant>;
  /** The claim's goal events owed to webhooks (docs/webhooks.md), in this transaction. */
  insertWebhookOutbox(events: readonly WebhookEvent[]): Promise<number>;
}

/** A grant with this idempotency key exists: the reward was already owed once. */
export class DuplicateRewardGrantError extends Error {
  override readonly name = 'DuplicateRewardGrantError';
  constructor(readonly idempotencyKey: string) {
    super(`a reward grant with idempotency key '${idempotencyKey}' already exists`);
  }
}

/**
 * The reward-grant half of a claim transaction on `client` (the goal-row half is the progress
 * repository's: ledger-progress.repository.ts).
 */
export function claimGrantQueries(
  client: pg.PoolClient,
  goalId: string,
): Pick<ClaimTransaction, 'findEarlierGrant' | 'insertRewardGrant' | 'insertWebhookOutbox'> {
  return {
    insertWebhookOutbox: (events) => insertWebhookOutbox(client, events),
    async findEarlierGrant({ keys, userIds }) {
      const result = await client.query<{ claimed_at: Date | null; created_at: Date }>({
        name: 'reward_grants.find_earlier.v1',
        text: `SELECT claimed_at, created_at FROM reward_grants
                WHERE idempotency_key = ANY($1::text[]) AND goal_id = $2
                  AND user_id = ANY($3::text[])
                LIMIT 1`,
        values: [keys, goalId, userIds],
      });
      const row = result.rows[0];
      return row ? { claimedAt: row.claimed_at ?? row.created_at } : null;
    },

    async insertRewardGrant(input) {
      // DO NOTHING instead of catching 23505: the transaction stays usable for the caller.
      const result = await client.query({
        name: 'reward_grants.insert.v2',
        text: `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id,
                 reward_type, reward_id, quantity, provider, claimed_at, status, created_at,
                 updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', now(), now())
               ON CONFLICT (idempotency_key) DO NOTHING
               RETURNING ${REWARD_GRANT_COLUMNS}`,
        values: [
          input.idempotencyKey,
          input.userId,
          input.goalId,
          input.challengeId,
          input.rewardType,
          input.rewardId,
          input.quantity,
          input.provider,
          input.claimedAt,
        ],
      });
      const row = result.rows[0];
      if (!row) throw new DuplicateRewardGrantError(input.idempotencyKey);
      return decodeRewardGrant(row);
    },
  };
}
