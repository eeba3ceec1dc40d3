import type pg from 'pg';
import { DELIVERY_COLUMNS, type DueWebhookDelivery, decodeDelivery } from './webhook.repository.ts';

/** What one attempt ended in, as the reward delivery's AttemptResult. */
export type WebhookAttemptResult =
  | { status: 'delivered' }
  | { status: 'pending'; error: string; nextAttemptAt: Date }
  | { status: 'failed'; error: string };

export interface WebhookDeliveryRepository {
  /**
   * Claims up to `limit` due pending deliveries with `FOR UPDATE SKIP LOCKED` and a lease (as
   * the reward grants' claimDue): replicas never send the same delivery at once.
   */
  claimDue(input: { now: Date; limit: number; leaseUntil: Date }): Promise<DueWebhookDelivery[]>;
  /** A failure only applies to a pending delivery; a success is never downgraded. */
  recordAttempt(input: { id: string; result: WebhookAttemptResult; at: Date }): Promise<boolean>;
  countOpen(): Promise<{ pending: number; failed: number }>;
  /**
   * Pending deliveries, counted up to `cap` only (an index range of (status, next_attempt_at)):
   * cheap enough to sample on a big outbox; `cap` means "at least cap".
   */
  countPending(cap: number): Promise<number>;
}

export function createWebhookDeliveryRepository(pool: pg.Pool): WebhookDeliveryRepository {
  return {
    async claimDue({ now, limit, leaseUntil }) {
      const { rows } = await pool.query(
        `WITH due AS (
           SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= $1
            ORDER BY next_attempt_at, id LIMIT $2
            FOR UPDATE SKIP LOCKED
         ), leased AS (
           UPDATE webhook_deliveries d SET next_attempt_at = $3 FROM due WHERE d.id = due.id
           RETURNING d.*
         )
         SELECT ${DELIVERY_COLUMNS}, w.url, w.secret
           FROM leased d JOIN webhooks w ON w.id = d.webhook_id
          ORDER BY d.id`,
        [now, limit, leaseUntil],
      );
      return rows.map((r) => ({ ...decodeDelivery(r), url: r.url, secret: r.secret }));
    },
    async recordAttempt({ id, result, at }) {
      const delivered = result.status === 'delivered';
      const outcome = await pool.query(
        `UPDATE webhook_deliveries
            SET status = $2::text, attempts = attempts + 1, updated_at = $3::timestamptz,
                last_error = $4::text, next_attempt_at = COALESCE($5::timestamptz, next_attempt_at),
                delivered_at = CASE WHEN $2::text = 'delivered' THEN $3::timestamptz END
          WHERE id = $1 AND ${delivered ? "status <> 'delivered'" : "status = 'pending'"}`,
        [
          id,
          result.status,
          at,
          result.status === 'delivered' ? null : result.error,
          result.status === 'pending' ? result.nextAttemptAt : null,
        ],
      );
      return (outcome.rowCount ?? 0) > 0;
    },
    async countOpen() {
      const { rows } = await pool.query<{ status: 'pending' | 'failed'; n: number }>(
        `SELECT status, count(*)::int AS n FROM webhook_deliveries
          WHERE status IN ('pending', 'failed') GROUP BY status`,
      );
      const counts = { pending: 0, failed: 0 };
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },
    async countPending(cap) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT 1 FROM webhook_deliveries WHERE status = 'pending' LIMIT $1
         ) p`,
        [cap],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
