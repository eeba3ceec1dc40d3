import type { TWebhookEventType, TWebhookInput } from '@challenges/core';
import type pg from 'pg';

export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: TWebhookEventType[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventType: TWebhookEventType;
  idempotencyKey: string;
  payload: Record<string, unknown>;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A due delivery with what sending it needs. */
export interface DueWebhookDelivery extends WebhookDelivery {
  url: string;
  secret: string;
}

const WEBHOOK_COLUMNS = 'id::text, name, url, events, enabled, created_at, updated_at';
export const DELIVERY_COLUMNS = `d.id::text, d.webhook_id::text, d.event_type, d.idempotency_key,
  d.payload, d.status, d.attempts, d.last_error, d.next_attempt_at, d.created_at, d.delivered_at`;

function decodeWebhook(r: Record<string, unknown>): Webhook {
  return {
    id: r.id as string,
    name: r.name as string,
    url: r.url as string,
    events: r.events as TWebhookEventType[],
    enabled: r.enabled as boolean,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export function decodeDelivery(r: Record<string, unknown>): WebhookDelivery {
  return {
    id: r.id as string,
    webhookId: r.webhook_id as string,
    eventType: r.event_type as TWebhookEventType,
    idempotencyKey: r.idempotency_key as string,
    payload: r.payload as Record<string, unknown>,
    status: r.status as WebhookDeliveryStatus,
    attempts: r.attempts as number,
    lastError: (r.last_error as string | null) ?? null,
    nextAttemptAt: r.next_attempt_at as Date,
    createdAt: r.created_at as Date,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
  };
}

export interface WebhookRepository {
  list(): Promise<Webhook[]>;
  get(id: string): Promise<Webhook | null>;
  create(input: TWebhookInput & { secret: string }): Promise<Webhook>;
  /** null when there is no such webhook. */
  update(id: string, input: TWebhookInput): Promise<Webhook | null>;
  /** A new signing secret (the old one stops verifying at once). */
  setSecret(id: string, secret: string): Promise<boolean>;
  /** Deletes the webhook and its deliveries. */
  remove(id: string): Promise<boolean>;
  /** Newest first; `status` narrows (failed: the dead letters). */
  deliveries(input: {
    webhookId?: string;
    status?: WebhookDeliveryStatus;
    limit: number;
  }): Promise<WebhookDelivery[]>;
  /** failed or pending → pending, due `at`, fresh attempt budget; how many. */
  retry(input: { ids: readonly string[]; at: Date }): Promise<number>;
}

export function createWebhookRepository(pool: pg.Pool): WebhookRepository {
  return {
    async list() {
      const { rows } = await pool.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY id`);
      return rows.map(decodeWebhook);
    },
    async get(id) {
      const { rows } = await pool.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? decodeWebhook(rows[0]) : null;
    },
    async create(input) {
      const { rows } = await pool.query(
        `INSERT INTO webhooks (name, url, events, secret, enabled) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${WEBHOOK_COLUMNS}`,
        [input.name, input.url, input.events, input.secret, input.enabled],
      );
      return decodeWebhook(rows[0]);
    },
    async update(id, input) {
      const { rows } = await pool.query(
        `UPDATE webhooks SET name = $2, url = $3, events = $4, enabled = $5, updated_at = now()
          WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS}`,
        [id, input.name, input.url, input.events, input.enabled],
      );
      return rows[0] ? decodeWebhook(rows[0]) : null;
    },
    async setSecret(id, secret) {
      const result = await pool.query(
        'UPDATE webhooks SET secret = $2, updated_at = now() WHERE id = $1',
        [id, secret],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async remove(id) {
      const { rows } = await pool.query<{ n: number }>(
        `WITH gone AS (DELETE FROM webhooks WHERE id = $1 RETURNING id),
              deliveries AS (DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM gone))
         SELECT count(*)::int AS n FROM gone`,
        [id],
      );
      return (rows[0]?.n ?? 0) > 0;
    },
    async deliveries({ webhookId, status, limit }) {
      const { rows } = await pool.query(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
          WHERE ($1::bigint IS NULL OR d.webhook_id = $1) AND ($2::text IS NULL OR d.status = $2)
          ORDER BY d.id DESC LIMIT $3`,
        [webhookId ?? null, status ?? null, limit],
      );
      return rows.map(decodeDelivery);
    },
    async retry({ ids, at }) {
      if (ids.length === 0) return 0;
      const result = await pool.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2,
                updated_at = $2
          WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'failed')`,
        [ids, at],
      );
      return result.rowCount ?? 0;
    },
  };
}
