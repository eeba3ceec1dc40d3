import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebhook } from './application/webhooks.ts';
import { obliterateQueues } from './testing/event-clients.ts';
import type { SpawnedService } from './testing/spawn-service.ts';
import {
  startTestApi,
  TEST_CHALLENGES_FILE,
  TEST_INGEST_KEY,
  type TestApi,
} from './testing/test-api.ts';
import { spawnWorker } from './testing/test-stack.ts';

// A webhook saved through one api process reaches the worker that writes the outbox at once
// (Redis pub/sub, docs/webhooks.md), not after the safety-net reload.
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `t18m-webhook-subs-${randomUUID()}`;
let t: TestApi;
let worker: SpawnedService;

beforeAll(async () => {
  t = await startTestApi({
    QUEUE_PREFIX: prefix,
    EVENT_PARTITIONS: '1',
    WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
  });
  ({ worker } = await spawnWorker(
    {
      DATABASE_URL: t.databaseUrl,
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: '1',
      CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    },
    'worker consuming event partitions',
  ));
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await t?.close();
  await obliterateQueues(REDIS_URL, prefix, 1);
});

describe('webhook subscriptions across processes', { timeout: 60_000 }, () => {
  it('a webhook created through the api is used by the worker within 500 ms', async () => {
    const user = `hooked-${randomUUID()}`;
    expect((await t.call('POST', '/challenge/v1/challenges/initialize', { user })).status).toBe(
      200,
    );
    // The worker loaded its (empty) set at start; no webhook subscribes to anything yet.
    await createWebhook(t.api.ctx.webhooks, {
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
      events: ['goal.completed'],
      enabled: true,
    });
    const savedAt = performance.now();
    // The very next batch of the worker completes a goal: it must owe the new webhook an event.
    const res = await t.call('POST', '/challenge/v1/events', {
      headers: { 'x-api-key': TEST_INGEST_KEY },
      body: {
        events: [
          {
            id: randomUUID(),
            type: 'stat',
            userId: user,
            statCode: 'tutorial_completed',
            value: 1,
          },
        ],
      },
    });
    expect(res.status).toBe(202);
    // The worker's very next batch used it: its transaction wrote the outbox row ...
    await vi.waitFor(
      async () => {
        const rows = await t.api.ctx.webhooks.repository.deliveries({ limit: 10 });
        const owed = rows.find((d) => d.idempotencyKey === `goal.completed:${user}:tutorial:-`);
        expect(owed).toBeDefined();
      },
      { timeout: 10_000, interval: 20 },
    );
    // ... and it had the new set within 500 ms of the save (the reload it logs on a change).
    const reloaded = await worker.waitForLog(
      (line) =>
        line.msg === 'webhook subscriptions changed' &&
        (line.types as string[]).includes('goal.completed'),
      5_000,
    );
    expect(reloaded.receivedAt - savedAt).toBeLessThan(500);
  });
});
