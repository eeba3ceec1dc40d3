import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clockKeys } from '@challenges/runtime';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseEnv } from './env.ts';
import { type RunningWorker, startWorker } from './start-worker.ts';
import {
  REDIS_URL,
  statEvent,
  TestProducer,
  TestStore,
  uniquePrefix,
  waitFor,
} from './testing/harness.ts';

const SECRET = 'whsec_test-secret';
const PLAYERS = 12;
const prefix = uniquePrefix('webhooks');
let store: TestStore;
let producer: TestProducer;
let worker: RunningWorker;
let server: Server;
let up = false;
let refusedWhileDown = 0;
/** Effective deliveries by idempotency key (the receiver's dedupe), each with a valid signature. */
const received = new Map<string, number>();
let badSignatures = 0;
let redis: Redis;

/** An independent check of X-Signature: node:crypto's HMAC over the raw bytes received. */
function validSignature(raw: Buffer, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!up) {
        refusedWhileDown++;
        res.writeHead(503).end('down');
        return;
      }
      const raw = Buffer.concat(chunks);
      if (!validSignature(raw, req.headers['x-signature'] as string | undefined)) {
        badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const key = req.headers['idempotency-key'] as string;
      expect(JSON.parse(raw.toString()).idempotencyKey).toBe(key);
      received.set(key, (received.get(key) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  store = await TestStore.create();
  await store.pool.query(
    `INSERT INTO webhooks (name, url, events, secret) VALUES ('crm', $1, '{goal.completed,goal.rotated}', $2)`,
    [`http://127.0.0.1:${port}/hook`, SECRET],
  );
  producer = new TestProducer(prefix, 2);
  redis = new Redis(REDIS_URL);
  worker = await startWorker(
    parseEnv({
      DATABASE_URL: store.db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: '2',
      WORKER_METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      CHALLENGES_FILE: store.challengesFile,
      LOG_LEVEL: 'silent',
      QA_CLOCK: 'enabled',
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
      REWARD_SCAN_INTERVAL_MS: '50',
      REWARD_BACKOFF_BASE_MS: '20',
      REWARD_BACKOFF_CAP_MS: '200',
      REWARD_MAX_ATTEMPTS: '100',
    }),
    pino({ level: 'silent' }),
  );
});
afterAll(async () => {
  await redis?.del(clockKeys(prefix).key);
  redis?.disconnect();
  await worker?.close();
  await producer?.close({ obliterate: true });
  await store?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

it('a receiver down then up gets every completion exactly once, signed', async () => {
  const players = Array.from({ length: PLAYERS }, (_, i) => `hook-player-${i}`);
  for (const u of players) await store.assign(u, ['abs-score']);
  // Completing twice (12 then 15) and moving below the target must owe one event per player.
  for (const u of players) await producer.send([statEvent(u, 'score', { value: 12 })]);
  for (const u of players) await producer.send([statEvent(u, 'score', { value: 15 })]);
  await waitFor('every delivery refused once while the receiver is down', async () => {
    const { rows } = await store.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE attempts >= 1`,
    );
    return rows[0]!.n === PLAYERS;
  });
  expect(refusedWhileDown).toBeGreaterThanOrEqual(PLAYERS);
  up = true;
  await waitFor('every delivery delivered', async () => {
    const { rows } = await store.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`,
    );
    return rows[0]!.n === PLAYERS;
  });
  expect(badSignatures).toBe(0);
  expect([...received.keys()].sort()).toEqual(
    players.map((u) => `goal.completed:${u}:abs-score:-`).sort(),
  );
  for (const n of received.values()) expect(n).toBe(1);
  const { rows } = await store.pool.query<{ n: number; retried: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE attempts > 1)::int AS retried
       FROM webhook_deliveries`,
  );
  expect(rows[0]).toEqual({ n: PLAYERS, retried: PLAYERS });
});

async function deliveredKeys(type: string): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await store.pool.query<{ key: string; payload: Record<string, unknown> }>(
    `SELECT idempotency_key AS key, payload FROM webhook_deliveries
      WHERE event_type = $1 AND status = 'delivered'`,
    [type],
  );
  return new Map(rows.map((r) => [r.key, r.payload]));
}

it('the first event of a new period sends goal.rotated for a row that had progress only', async () => {
  const withProgress = 'rot-player-1';
  const without = 'rot-player-2';
  await store.assign(withProgress, ['rot-wins']);
  await store.assign(without, ['rot-wins']);
  await producer.send([statEvent(withProgress, 'wins', { inc: 3 })]);
  await waitFor(
    'progress 3',
    async () => (await store.row(withProgress, 'rot-wins'))?.progress === 3,
  );
  const ended = (await store.row(withProgress, 'rot-wins'))!.periodKey;
  expect(await deliveredKeys('goal.rotated')).toEqual(new Map());

  const { key, channel } = clockKeys(prefix);
  await redis.set(key, '86400');
  await redis.publish(channel, '86400');
  await waitFor('worker clock moved', () => worker.clock.offsetSeconds() === 86_400);
  await producer.send([
    statEvent(withProgress, 'wins', { inc: 1 }),
    statEvent(without, 'wins', { inc: 1 }),
  ]);
  await waitFor('both rows rotated', async () => {
    const [a, b] = [
      await store.row(withProgress, 'rot-wins'),
      await store.row(without, 'rot-wins'),
    ];
    return (
      a?.periodKey !== ended && b?.periodKey !== ended && a?.progress === 1 && b?.progress === 1
    );
  });
  const rotatedKey = `goal.rotated:${withProgress}:rot-wins:${ended}`;
  await waitFor('rotation delivered', async () =>
    (await deliveredKeys('goal.rotated')).has(rotatedKey),
  );
  const delivered = await deliveredKeys('goal.rotated');
  expect([...delivered.keys()]).toEqual([rotatedKey]);
  expect(delivered.get(rotatedKey)).toMatchObject({
    progress: 3,
    periodKey: ended,
    userId: withProgress,
  });
  expect(received.get(rotatedKey)).toBe(1);
});
