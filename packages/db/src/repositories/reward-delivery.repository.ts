import type pg from 'pg';
import {
  decodeRewardGrant,
  REWARD_GRANT_COLUMNS,
  type RewardGrant,
  type RewardGrantStatus,
} from './reward-grant.types.ts';

/** What one delivery attempt ended in; `pending` and `failed` carry the provider's error. */
export type AttemptResult =
  | { status: 'granted' }
  | { status: 'pending'; error: string; nextAttemptAt: Date }
  | { status: 'failed'; error: string };

export interface RewardDeliveryRepository {
  /**
   * Records an attempt and its audit event in one statement. A failure only applies to a
   * pending grant (a concurrent success is never downgraded); null when nothing changed. By id,
   * not key: a player's data deletion may pseudonymise the key while an attempt is in flight,
   * and a success must still be recorded.
   */
  recordAttempt(input: {
    grantId: string;
    result: AttemptResult;
    actor: string;
    at: Date;
  }): Promise<RewardGrant | null>;
  /**
   * Claims up to `limit` due pending grants for one replica: `FOR UPDATE SKIP LOCKED` keeps
   * replicas apart, and pushing next_attempt_at to `leaseUntil` hides them from the next scans
   * until this replica records an outcome (or dies and the lease runs out).
   */
  claimDue(input: {
    now: Date;
    limit: number;
    leaseUntil: Date;
    /** Grants never tried inline (next_attempt_at NULL) wait this long for the api's attempt. */
    inlineGraceMs: number;
  }): Promise<RewardGrant[]>;
  /**
   * failed or pending → pending, due `at`, with a fresh attempt budget; returns how many.
   * Grants of deleted player data are never sent again (they carry a pseudonym, not a player).
   */
  retry(input: { ids: readonly string[]; actor: string; at: Date }): Promise<number>;
  /** Grants waiting for delivery and dead letters (the worker's gauges). */
  countOpen(): Promise<{ pending: number; failed: number }>;
}

const PREFIXED_COLUMNS = REWARD_GRANT_COLUMNS.split(',')
  .map((c) => `g.${c.trim()}`)
  .join(', ');

export function createRewardDeliveryRepository(pool: pg.Pool): RewardDeliveryRepository {
  return {
    async recordAttempt({ grantId, result, actor, at }) {
      const granted = result.status === 'granted';
      const { rows } = await pool.query(
        `WITH prev AS (
           SELECT id, status FROM reward_grants
            WHERE id = $1 AND ${granted ? "status <> 'granted'" : "status = 'pending'"}
            FOR UPDATE
         ), changed AS (
           UPDATE reward_grants g
              SET status = $2::text, attempts = g.attempts + 1, updated_at = $3::timestamptz,
                  last_error = $4::text, next_attempt_at = $5::timestamptz,
                  granted_at = CASE WHEN $2::text = 'granted' THEN $3::timestamptz END
             FROM prev WHERE g.id = prev.id
           RETURNING ${PREFIXED_COLUMNS}, prev.status AS from_status
         ), audit AS (
           INSERT INTO reward_grant_events (grant_id, at, from_status, to_status, attempt, error, actor)
           SELECT id, $3::timestamptz, from_status, status, attempts, last_error, $6::text
             FROM changed
         )
         SELECT * FROM changed`,
        [
          grantId,
          result.status,
          at,
          result.status === 'granted' ? null : result.error,
          result.status === 'pending' ? result.nextAttemptAt : null,
          actor,
        ],
      );
      return rows[0] ? decodeRewardGrant(rows[0]) : null;
    },

    async claimDue({ now, limit, leaseUntil, inlineGraceMs }) {
      const { rows } = await pool.query(
        `WITH due AS (
           SELECT id FROM reward_grants
            WHERE status = 'pending'
              AND (next_attempt_at <= $1
                   OR (next_attempt_at IS NULL AND created_at <= $1 - make_interval(secs => $4::float8)))
            ORDER BY next_attempt_at NULLS FIRST, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
         )
         UPDATE reward_grants g SET next_attempt_at = $3 FROM due WHERE g.id = due.id
         RETURNING ${PREFIXED_COLUMNS}`,
        [now, limit, leaseUntil, inlineGraceMs / 1000],
      );
      return rows.map(decodeRewardGrant);
    },

    async retry({ ids, actor, at }) {
      if (ids.length === 0) return 0;
      const { rows } = await pool.query<{ n: number }>(
        `WITH prev AS (
           SELECT id, status FROM reward_grants
            WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'failed') AND erased_at IS NULL
            FOR UPDATE
         ), changed AS (
           UPDATE reward_grants g
              SET status = 'pending', attempts = 0, next_attempt_at = $2, updated_at = $2
             FROM prev WHERE g.id = prev.id
           RETURNING g.id, prev.status AS from_status
         ), audit AS (
           INSERT INTO reward_grant_events (grant_id, at, from_status, to_status, attempt, error, actor)
           SELECT id, $2, from_status, 'pending', 0, 'retried by hand', $3 FROM changed
         )
         SELECT count(*)::int AS n FROM changed`,
        [ids, at, actor],
      );
      return rows[0]?.n ?? 0;
    },

    async countOpen() {
      const { rows } = await pool.query<{ status: RewardGrantStatus; n: number }>(
        `SELECT status, count(*)::int AS n FROM reward_grants
          WHERE status IN ('pending', 'failed') GROUP BY status`,
      );
      const counts = { pending: 0, failed: 0 };
      for (const row of rows) if (row.status !== 'granted') counts[row.status] = row.n;
      return counts;
    },
  };
}
