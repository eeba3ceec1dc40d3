import type { TWebhookEventType, WebhookEvent } from '@challenges/core';
import type pg from 'pg';

/**
 * Writes the outbox rows of `events` on `client`, inside the caller's transaction (the one that
 * completes, claims or rotates the goals): one delivery per enabled webhook subscribed to the
 * event's type, fanned out by one statement. A key already owed to a webhook is skipped, so
 * re-running a transaction never owes an event twice. Returns the rows written.
 */
export async function insertWebhookOutbox(
  client: pg.PoolClient | pg.Pool,
  events: readonly WebhookEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const result = await client.query({
    name: 'webhook_deliveries.outbox.v1',
    text: `INSERT INTO webhook_deliveries (webhook_id, event_type, idempotency_key, payload)
           SELECT w.id, e.type, e.key, e.payload
             FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS e(type, key, payload)
             JOIN webhooks w ON w.enabled AND e.type = ANY(w.events)
           ON CONFLICT (webhook_id, idempotency_key) DO NOTHING`,
    values: [
      events.map((e) => e.type),
      events.map((e) => e.idempotencyKey),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  });
  return result.rowCount ?? 0;
}

/** The event types at least one enabled webhook subscribes to (the hot path's cached gate). */
export async function subscribedWebhookTypes(pool: pg.Pool): Promise<Set<TWebhookEventType>> {
  const { rows } = await pool.query<{ type: TWebhookEventType }>(
    'SELECT DISTINCT unnest(events) AS type FROM webhooks WHERE enabled',
  );
  return new Set(rows.map((r) => r.type));
}
