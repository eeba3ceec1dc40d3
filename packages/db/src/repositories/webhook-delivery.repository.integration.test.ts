import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import {
  createWebhookDeliveryRepository,
  type WebhookDeliveryRepository,
} from './webhook-delivery.repository.ts';

const database = useTestDatabase({ max: 2 });
let repo: WebhookDeliveryRepository;

beforeAll(() => {
  repo = createWebhookDeliveryRepository(database.pool);
});

describe('webhook delivery repository: countPending', () => {
  it('counts pending deliveries only, and stops at the cap', async () => {
    expect(await repo.countPending(10)).toBe(0);
    const statuses = ['pending', 'pending', 'pending', 'delivered', 'failed'];
    for (const [i, status] of statuses.entries()) {
      await database.pool.query(
        `INSERT INTO webhook_deliveries (webhook_id, event_type, idempotency_key, payload, status)
         VALUES (1, 'goal.completed', $1, '{}', $2)`,
        [`k${i}`, status],
      );
    }
    expect(await repo.countPending(10)).toBe(3);
    expect(await repo.countPending(2)).toBe(2);
  });
});
