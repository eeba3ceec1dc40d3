import type pg from 'pg';
import { decodeRewardGrant, REWARD_GRANT_COLUMNS, type RewardGrant } from './reward-grant.types.ts';

export interface MockReceiptInput {
  idempotencyKey: string;
  userId: string;
  rewardType: string;
  rewardId: string;
  quantity: number;
}

export interface RewardGrantRepository {
  /** pending/failed → granted; false when it was granted already (or does not exist). */
  markGranted(idempotencyKey: string, at: Date): Promise<boolean>;
  findByKey(idempotencyKey: string): Promise<RewardGrant | null>;
  countByKey(idempotencyKey: string): Promise<number>;
  /** The `mock` provider's ledger: effective deliveries, one per idempotency key. */
  mockReceipt: {
    /** true when this call delivered; false when the key was delivered before. */
    record(input: MockReceiptInput): Promise<boolean>;
    countByKey(idempotencyKey: string): Promise<number>;
    countByUser(userId: string): Promise<number>;
  };
}

export function createRewardGrantRepository(pool: pg.Pool): RewardGrantRepository {
  const count = async (text: string, value: string) => {
    const { rows } = await pool.query<{ n: number }>(text, [value]);
    return rows[0]?.n ?? 0;
  };
  return {
    async markGranted(idempotencyKey, at) {
      const result = await pool.query(
        `UPDATE reward_grants
            SET status = 'granted', granted_at = $2, updated_at = $2, attempts = attempts + 1,
                last_error = NULL, next_attempt_at = NULL
          WHERE idempotency_key = $1 AND status <> 'granted'`,
        [idempotencyKey, at],
      );
      return result.rowCount === 1;
    },

    async findByKey(idempotencyKey) {
      const { rows } = await pool.query(
        `SELECT ${REWARD_GRANT_COLUMNS} FROM reward_grants WHERE idempotency_key = $1`,
        [idempotencyKey],
      );
      return rows[0] ? decodeRewardGrant(rows[0]) : null;
    },

    countByKey: (idempotencyKey) =>
      count(
        'SELECT count(*)::int AS n FROM reward_grants WHERE idempotency_key = $1',
        idempotencyKey,
      ),

    mockReceipt: {
      async record(input) {
        const result = await pool.query(
          `INSERT INTO mock_reward_receipts (idempotency_key, user_id, reward_type, reward_id, quantity)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (idempotency_key) DO NOTHING`,
          [input.idempotencyKey, input.userId, input.rewardType, input.rewardId, input.quantity],
        );
        return result.rowCount === 1;
      },
      countByKey: (idempotencyKey) =>
        count(
          'SELECT count(*)::int AS n FROM mock_reward_receipts WHERE idempotency_key = $1',
          idempotencyKey,
        ),
      countByUser: (userId) =>
        count('SELECT count(*)::int AS n FROM mock_reward_receipts WHERE user_id = $1', userId),
    },
  };
}
