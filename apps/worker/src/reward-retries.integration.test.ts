import { useTestDatabase } from '@challenges/db/testing/vitest';
import { type RewardReceiver, startRewardReceiver } from '@challenges/runtime/testing';
import type pg from 'pg';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS_CHALLENGES_FILE, REDIS_URL, waitFor } from './testing/harness.ts';
import { startWorkerProcess, type WorkerProcess } from './testing/worker-process.ts';

const SECRET = 'worker-webhook-secret';
const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let receiver: RewardReceiver;
const running: WorkerProcess[] = [];

beforeAll(() => {
  pool = database.pool;
});
beforeEach(async () => {
  receiver = await startRewardReceiver({ secret: SECRET });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
  await receiver.close();
});

// Small backoff and lease so a storm settles within seconds; the mechanism is the production one.
const workerEnv = () => ({
  DATABASE_URL: database.url,
  REDIS_URL,
  QUEUE_PREFIX: `rewards-${process.pid}-${Math.random().toString(36).slice(2)}`,
  EVENT_PARTITIONS: '1',
  CHALLENGES_FILE: EVENTS_CHALLENGES_FILE,
  REWARD_PROVIDER: 'webhook',
  REWARD_WEBHOOK_URL: receiver.webhookUrl,
  REWARD_WEBHOOK_SECRET: SECRET,
  REWARD_MAX_ATTEMPTS: '100',
  REWARD_BACKOFF_BASE_MS: '50',
  REWARD_BACKOFF_CAP_MS: '400',
  REWARD_SCAN_INTERVAL_MS: '100',
  REWARD_ATTEMPT_TIMEOUT_MS: '500',
});

async function start(): Promise<WorkerProcess> {
  const worker = await startWorkerProcess(workerEnv());
  running.push(worker);
  return worker;
}

/** `count` claims' grants, due now, as an inline attempt that failed would leave them. */
async function owe(count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `user-${i}:goal:once`);
  await pool.query(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, attempts, next_attempt_at)
     SELECT k, split_part(k, ':', 1), 'goal', 'season', 'ITEM', 'sword', 1, 'webhook', 1, now()
       FROM unnest($1::text[]) AS k`,
    [keys],
  );
  return keys;
}

const countStatus = async (status: string) =>
  (
    await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reward_grants WHERE status = $1',
      [status],
    )
  ).rows[0]!.n;

const metricsOf = async (w: WorkerProcess) =>
  (await fetch(`http://127.0.0.1:${w.metricsPort}/metrics`)).text();

function expectExactlyOnce(keys: string[]) {
  expect(receiver.effective.size).toBe(keys.length);
  for (const key of keys) expect(receiver.effective.get(key), key).toBe(1);
  expect(receiver.overlaps).toBe(0);
}

/** Sends beyond the first per key: each one needs a reason (a timeout, a killed worker). */
const repeatedDeliveries = () =>
  [...receiver.deliveries.values()].reduce((sum, n) => sum + n - 1, 0);

const timedOutAttempts = async () =>
  (
    await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reward_grant_events WHERE error LIKE '%timed out%'`,
    )
  ).rows[0]!.n;

describe('worker reward retries (real worker processes, real receiver)', () => {
  it('delivers every pending grant once after the receiver was down for a while', async () => {
    const keys = await owe(30);
    await receiver.down();
    const worker = await start();
    await waitFor('the pending gauge', async () =>
      (await metricsOf(worker)).includes('challenge_reward_grants_pending 30'),
    );
    // Several rounds of failed attempts, audited with the connection error.
    await waitFor('failed attempts', async () => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM reward_grant_events WHERE error LIKE '%unreachable%'`,
      );
      return rows[0]!.n >= 60;
    });
    expect(await countStatus('pending')).toBe(30);
    await receiver.up();
    await waitFor('all granted', async () => (await countStatus('granted')) === 30, 15_000);
    expectExactlyOnce(keys);
    // The receiver answers at once: each grant is sent successfully once, never again.
    expect(repeatedDeliveries()).toBe(await timedOutAttempts());
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(await metricsOf(worker)).toMatch(
      /challenge_reward_grants_total\{provider="webhook",outcome="granted"\} 30\b/,
    );
  });

  it('a worker killed mid-storm and a restart leave exactly one effective grant per claim', async () => {
    const keys = await owe(60);
    // A flaky backend: half the calls fail, successes answer late, so the kill lands between
    // "the receiver applied it" and "the worker recorded it".
    receiver.fallback = () =>
      Math.random() < 0.5 ? { status: 503, delayMs: 100 } : { status: 200, delayMs: 250 };
    const doomed = await start();
    await start(); // a second replica: SKIP LOCKED must keep them off each other's grants
    await waitFor('a storm in progress', () => receiver.effective.size >= 15 && true);
    await doomed.kill9();
    await start();
    await waitFor('all granted', async () => (await countStatus('granted')) === 60, 20_000);
    expectExactlyOnce(keys);
    // Retries really happened, and no key was ever sent by two replicas at once.
    expect(receiver.requests.length).toBeGreaterThan(60);
    // A key is sent again only when its first success went unrecorded: it was in flight in the
    // killed worker (at most its 10 lanes) or its answer came after the attempt timeout.
    expect(repeatedDeliveries()).toBeLessThanOrEqual(10 + (await timedOutAttempts()));
  });

  it('a permanent refusal goes to the dead letters without retries', async () => {
    await owe(3);
    receiver.fallback = { status: 422 };
    await start();
    await waitFor('dead letters', async () => (await countStatus('failed')) === 3);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.effective.size).toBe(0);
  });
});
