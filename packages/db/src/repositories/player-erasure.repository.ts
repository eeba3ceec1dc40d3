import { encodeRewardKeyPart, rewardIdempotencyKey, rewardKeyPeriod } from '@challenges/core';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
import { FENCED_BEGIN } from './definitions-fence.ts';
import { decodeRewardGrant, REWARD_GRANT_COLUMNS, type RewardGrant } from './reward-grant.types.ts';

/** last_error (and audit error) of a grant the erasure stopped before it was delivered. */
export const ERASED_BEFORE_DELIVERY = 'cancelled: player data deleted before delivery';

export interface ErasePlayerInput {
  userId: string;
  /** What replaces the user id in the reward tables (a keyed hash: apps/api/src/privacy). */
  pseudonym: string;
  at: Date;
}

export interface ErasePlayerResult {
  /** Progress rows deleted (the answer of DELETE /v1/users/me/data). */
  deletedRows: number;
  /** Reward grants now carrying the pseudonym. */
  pseudonymisedGrants: number;
  /** Of those, grants that were not delivered yet: failed, and never sent again. */
  cancelledGrants: number;
}

/** GDPR erasure of one player (docs/data-retention.md). */
export interface PlayerErasureRepository {
  /** The player's grants not delivered yet (pending or failed): erasure tries them first. */
  openGrants(userId: string, limit: number): Promise<RewardGrant[]>;
  /**
   * One transaction: deletes the player's progress rows and pseudonymises every trace of the
   * player in the reward tables — grants (user id, idempotency key, the id inside provider error
   * texts), their audit trail, mock receipts. Grants stay, so the reward can never be claimed
   * twice; undelivered ones become failed dead letters that no retry sends again.
   */
  erase(input: ErasePlayerInput): Promise<ErasePlayerResult>;
}

interface GrantKeyRow {
  id: string;
  goal_id: string;
  idempotency_key: string;
  status: string;
}

// Provider error texts may quote the player (e.g. "user <id> not found"): the id is replaced
// in its plain and key-encoded forms.
const scrub = (column: string) => `replace(replace(${column}, $3, $4), $5, $4)`;

const PSEUDONYMISE_GRANTS = `
  WITH changed AS (
    UPDATE reward_grants g
       SET user_id = $4, idempotency_key = u.key, erased_at = $6, updated_at = $6,
           status = CASE WHEN u.from_status = 'granted' THEN 'granted' ELSE 'failed' END,
           next_attempt_at = CASE WHEN u.from_status = 'granted' THEN g.next_attempt_at END,
           last_error = CASE WHEN u.from_status = 'granted' THEN ${scrub('g.last_error')}
                             ELSE $7 END
      FROM unnest($1::bigint[], $2::text[], $8::text[]) AS u(id, key, from_status)
     WHERE g.id = u.id
    RETURNING g.id, g.attempts, u.from_status
  ), audit AS (
    INSERT INTO reward_grant_events (grant_id, at, from_status, to_status, attempt, error, actor)
    SELECT id, $6, from_status, 'failed', attempts, $7, 'erasure'
      FROM changed WHERE from_status <> 'granted'
  ), trail AS (
    UPDATE reward_grant_events SET error = ${scrub('error')}
     WHERE grant_id = ANY($1::bigint[]) AND error IS NOT NULL
  )
  SELECT count(*)::int AS total, count(*) FILTER (WHERE from_status <> 'granted')::int AS cancelled
    FROM changed`;

// Receipts of the grants follow their keys; any other receipt of the player (its grant gone)
// gets a key of its own.
const PSEUDONYMISE_RECEIPTS = `
  WITH rekeyed AS (
    UPDATE mock_reward_receipts m SET user_id = $3, idempotency_key = u.new_key
      FROM unnest($1::text[], $2::text[]) AS u(old_key, new_key)
     WHERE m.idempotency_key = u.old_key
    RETURNING m.id
  )
  UPDATE mock_reward_receipts SET user_id = $3, idempotency_key = $3 || ':receipt-' || id
   WHERE user_id = $4 AND id NOT IN (SELECT id FROM rekeyed)`;

/** The pseudonymous key of a grant: the same claim (goal, period) under the pseudonym. */
function pseudonymousKey(row: GrantKeyRow, userId: string, pseudonym: string): string {
  const period = rewardKeyPeriod({ key: row.idempotency_key, userId, goalId: row.goal_id });
  return rewardIdempotencyKey({
    userId: pseudonym,
    goalId: row.goal_id,
    // A key in neither format (written by hand?) still needs one unique replacement.
    periodKey: period === undefined ? `grant-${row.id}` : period,
  });
}

export function createPlayerErasureRepository(pool: pg.Pool): PlayerErasureRepository {
  return {
    async openGrants(userId, limit) {
      const { rows } = await pool.query(
        `SELECT ${REWARD_GRANT_COLUMNS} FROM reward_grants
          WHERE user_id = $1 AND status IN ('pending', 'failed')
          ORDER BY id DESC LIMIT $2`,
        [userId, limit],
      );
      return rows.map(decodeRewardGrant);
    },

    erase({ userId, pseudonym, at }) {
      // Behind the definitions fence (shared): a publish re-anchoring the player's rows from a
      // cursor would otherwise write back rows this erasure deleted in between.
      return inTransaction(
        pool,
        async (client) => {
          // The stat ledgers are the player's data too (docs/event-model.md); deleted first, as
          // every writer locks ledger rows before goal rows.
          await client.query('DELETE FROM stat_ledger WHERE user_id = $1', [userId]);
          await client.query('DELETE FROM player_attributes WHERE user_id = $1', [userId]);
          const deleted = await client.query('DELETE FROM goal_progress WHERE user_id = $1', [
            userId,
          ]);
          // Locked: a delivery finishing now records its outcome (by grant id) after this commit.
          const { rows } = await client.query<GrantKeyRow>(
            `SELECT id, goal_id, idempotency_key, status FROM reward_grants
            WHERE user_id = $1 ORDER BY id FOR UPDATE`,
            [userId],
          );
          const newKeys = rows.map((row) => pseudonymousKey(row, userId, pseudonym));
          const counts = await client.query<{ total: number; cancelled: number }>(
            PSEUDONYMISE_GRANTS,
            [
              rows.map((row) => row.id),
              newKeys,
              userId,
              pseudonym,
              encodeRewardKeyPart(userId),
              at,
              ERASED_BEFORE_DELIVERY,
              rows.map((row) => row.status),
            ],
          );
          await client.query(PSEUDONYMISE_RECEIPTS, [
            rows.map((row) => row.idempotency_key),
            newKeys,
            pseudonym,
            userId,
          ]);
          return {
            deletedRows: deleted.rowCount ?? 0,
            pseudonymisedGrants: counts.rows[0]?.total ?? 0,
            cancelledGrants: counts.rows[0]?.cancelled ?? 0,
          };
        },
        { begin: FENCED_BEGIN },
      );
    },
  };
}
