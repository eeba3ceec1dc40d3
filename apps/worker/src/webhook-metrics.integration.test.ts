import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { parsePrometheusText } from '../../api/src/testing/prometheus-text.ts';
import { parseEnv } from './env.ts';
import { type RunningWorker, startWorker } from './start-worker.ts';
import { REDIS_URL, statEvent, TestProducer, TestStore, waitFor } from './testing/harness.ts';

// The worker's webhook metrics (docs/operations.md): deliveries by outcome, their duration, and
// the outbox backlog, read from /metrics after one delivery, one dead letter and one retry.
const prefix = `t18m-webhook-metrics-${randomUUID()}`;
let store: TestStore;
let producer: TestProducer;
let worker: RunningWorker;
let server: Server;

beforeAll(async () => {
  // /ok takes it, /gone refuses for good (→ dead letter), /busy asks to come back (→ retry).
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = req.url === '/ok' ? 204 : req.url === '/gone' ? 410 : 503;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = await TestStore.create();
  for (const path of ['ok', 'gone', 'busy']) {
    await store.pool.query(
      `INSERT INTO webhooks (name, url, events, secret) VALUES ($1, $2, '{goal.completed}', 'whsec_x')`,
      [path, `${base}/${path}`],
    );
  }
  producer = new TestProducer(prefix, 1);
  worker = await startWorker(
    parseEnv({
      DATABASE_URL: store.db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: '1',
      WORKER_METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      CHALLENGES_FILE: store.challengesFile,
      LOG_LEVEL: 'silent',
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
      REWARD_SCAN_INTERVAL_MS: '50',
      // The busy receiver's delivery waits long after its first retry: it stays in the backlog.
      REWARD_BACKOFF_BASE_MS: '600000',
      REWARD_BACKOFF_CAP_MS: '600000',
      REWARD_MAX_ATTEMPTS: '10',
    }),
    pino({ level: 'silent' }),
  );
});
afterAll(async () => {
  await worker?.close();
  await producer?.close({ obliterate: true });
  await store?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function scrape() {
  const res = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`);
  expect(res.status).toBe(200);
  const families = parsePrometheusText(await res.text());
  const value = (name: string, labels: Record<string, string> = {}) =>
    families
      .get(name.replace(/_(count|sum)$/, ''))
      ?.samples.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
  return value;
}

it('counts a delivery, a retry and a dead letter, times them, and samples the backlog', async () => {
  const before = await scrape();
  expect(before('challenge_webhook_outbox_pending')).toBe(0);
  expect(before('challenge_webhook_delivery_duration_seconds_count')).toBe(0);

  await store.assign('metrics-player', ['abs-score']);
  await producer.send([statEvent('metrics-player', 'score', { value: 12 })]);
  await waitFor('one attempt per webhook recorded', async () => {
    const { rows } = await store.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE attempts >= 1',
    );
    return rows[0]!.n === 3;
  });

  // The counters move right after each attempt's row is written.
  await vi.waitFor(
    async () => {
      const after = await scrape();
      expect(after('challenge_webhook_deliveries_total', { outcome: 'delivered' })).toBe(1);
      expect(after('challenge_webhook_deliveries_total', { outcome: 'dead' })).toBe(1);
      expect(after('challenge_webhook_deliveries_total', { outcome: 'retry' })).toBe(1);
      expect(after('challenge_webhook_delivery_duration_seconds_count')).toBe(3);
      expect(after('challenge_webhook_delivery_duration_seconds_sum')).toBeGreaterThan(0);
      // The busy receiver's delivery waits for its retry.
      expect(after('challenge_webhook_outbox_pending')).toBe(1);
    },
    { timeout: 5_000 },
  );
});
