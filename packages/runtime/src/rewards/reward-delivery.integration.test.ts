import {
  createRewardDeliveryRepository,
  createRewardGrantListing,
  createRewardGrantRepository,
  type RewardGrant,
} from '@challenges/db';
import { useTestDatabase } from '@challenges/db/testing/vitest';
import type pg from 'pg';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capturingLogger } from '../testing/capturing-logger.ts';
import {
  RECEIVER_CLIENT,
  type RewardReceiver,
  startRewardReceiver,
} from '../testing/reward-receiver.ts';
import { accelbyteRewardProvider } from './accelbyte-provider.ts';
import { mockRewardProvider } from './mock-provider.ts';
import { rewardDelivery } from './reward-delivery.ts';
import type { RewardProvider } from './reward-provider.ts';
import { webhookRewardProvider } from './webhook-provider.ts';

const SECRET = 'webhook-test-secret';
const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let receiver: RewardReceiver;
const deliveries = () => createRewardDeliveryRepository(pool);
const grants = () => createRewardGrantRepository(pool);
const listing = () => createRewardGrantListing(database.prisma);

beforeAll(() => {
  pool = database.pool;
});
beforeEach(async () => {
  receiver = await startRewardReceiver({ secret: SECRET });
});
afterEach(async () => receiver.close());

async function owe(key: string, type: 'ITEM' | 'WALLET' = 'ITEM'): Promise<RewardGrant> {
  await pool.query(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider) VALUES ($1, 'u1', 'g1', 'c1', $2, $3, 5, 'test')`,
    [key, type, type === 'ITEM' ? 'sword' : 'GOLD'],
  );
  return (await grants().findByKey(key))!;
}

function delivery(
  provider: RewardProvider,
  maxAttempts = 8,
  extra: Partial<Parameters<typeof rewardDelivery>[0]> = {},
) {
  return rewardDelivery({
    provider,
    deliveries: deliveries(),
    log: pino({ level: 'silent' }),
    maxAttempts,
    backoffBaseMs: 10,
    backoffCapMs: 50,
    ...extra,
  });
}

/** Attempts until the grant leaves `pending` (as the worker would), at most `limit` times. */
async function deliverUntilSettled(d: ReturnType<typeof delivery>, key: string, limit = 10) {
  for (let i = 0; i < limit; i++) {
    const grant = (await grants().findByKey(key))!;
    if (grant.status !== 'pending') return grant;
    // Generous: only the tests about timeouts want one, and they pass their own.
    await d.attempt(grant, { timeoutMs: 5000, actor: 'test' });
  }
  return (await grants().findByKey(key))!;
}

const webhook = () => webhookRewardProvider({ url: receiver.webhookUrl, secret: SECRET });
const trail = async (grant: RewardGrant) =>
  (await listing().events(grant.id)).map((e) => `${e.fromStatus}>${e.toStatus}#${e.attempt}`);

describe('webhook provider', () => {
  it('delivers a signed payload with the idempotency key, once', async () => {
    const grant = await owe('k-ok');
    expect(await delivery(webhook()).attempt(grant, { timeoutMs: 1000, actor: 'test' })).toBe(
      'granted',
    );
    const [request] = receiver.requests;
    expect(request!.signatureValid).toBe(true);
    expect(request!.headers['idempotency-key']).toBe('k-ok');
    expect(receiver.deliveries.get('k-ok')).toBe(1);
    expect(JSON.parse(request!.body)).toEqual({
      idempotencyKey: 'k-ok',
      userId: 'u1',
      goalId: 'g1',
      challengeId: 'c1',
      reward: { type: 'ITEM', rewardId: 'sword', quantity: 5 },
      claimedAt: grant.createdAt.toISOString(),
    });
    const stored = (await grants().findByKey('k-ok'))!;
    expect([stored.status, stored.attempts, stored.grantedAt !== null]).toEqual([
      'granted',
      1,
      true,
    ]);
    expect(await trail(grant)).toEqual(['pending>granted#1']);
  });

  it('is named webhook, posts JSON, and takes a 204 without a body as granted', async () => {
    const provider = webhook();
    expect(provider.name).toBe('webhook');
    const grant = await owe('k-204');
    receiver.respond({ status: 204 });
    expect(await delivery(provider).attempt(grant, { timeoutMs: 1000, actor: 'test' })).toBe(
      'granted',
    );
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('logs each retry and the dead letter with the key, attempt and error; reports each attempt', async () => {
    const grant = await owe('k-logged');
    receiver.fallback = { status: 500 };
    const { log, lines } = capturingLogger();
    const attempts: { provider: string; outcome: string; seconds: number }[] = [];
    const d = delivery(webhook(), 2, { log, onAttempt: (a) => attempts.push(a) });
    await deliverUntilSettled(d, 'k-logged');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'reward delivery will be retried',
        key: 'k-logged',
        attempts: 1,
        provider: 'webhook',
        error: expect.stringMatching(/^webhook answered 500/),
      }),
      expect.objectContaining({
        level: 40,
        msg: 'reward grant failed: dead letter',
        key: 'k-logged',
        attempts: 2,
      }),
    ]);
    expect(attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['webhook', 'retry'],
      ['webhook', 'failed'],
    ]);
    // Seconds, measured per attempt (a local round trip: well under a minute, never negative).
    for (const a of attempts) {
      expect(a.seconds).toBeGreaterThanOrEqual(0);
      expect(a.seconds).toBeLessThan(60);
    }
    expect(grant.status).toBe('pending');
  });

  it('a provider that rejects without a reason is recorded as "provider failed"', async () => {
    const grant = await owe('k-silent');
    const silent: RewardProvider = { name: 'silent', grant: () => Promise.reject(undefined) };
    expect(await delivery(silent).attempt(grant, { timeoutMs: 1000, actor: 'test' })).toBe('retry');
    expect((await grants().findByKey('k-silent'))!.lastError).toBe('provider failed');
  });

  it('a wrong secret does not verify at the receiver', async () => {
    const grant = await owe('k-sig');
    const forged = webhookRewardProvider({ url: receiver.webhookUrl, secret: 'other' });
    await delivery(forged).attempt(grant, { timeoutMs: 1000, actor: 'test' });
    expect(receiver.requests[0]!.signatureValid).toBe(false);
  });

  it('503 twice then 200: pending twice with backoff, then granted once', async () => {
    const grant = await owe('k-503');
    receiver.respond({ status: 503 }, { status: 503 });
    const settled = await deliverUntilSettled(delivery(webhook()), 'k-503');
    expect([settled.status, settled.attempts]).toEqual(['granted', 3]);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.effective.get('k-503')).toBe(1);
    expect(receiver.deliveries.get('k-503')).toBe(1);
    expect(await trail(grant)).toEqual([
      'pending>pending#1',
      'pending>pending#2',
      'pending>granted#3',
    ]);
    const events = await listing().events(grant.id);
    expect(events[0]!.error).toContain('503');
  });

  it('a failed attempt is due again after the jittered backoff, from the injected clock and draw', async () => {
    const grant = await owe('k-backoff');
    receiver.respond({ status: 503 }, { status: 503 });
    const now = new Date('2030-01-01T00:00:00.000Z');
    const draws = [0.5, 0.25];
    const d = rewardDelivery({
      provider: webhook(),
      deliveries: deliveries(),
      log: pino({ level: 'silent' }),
      maxAttempts: 8,
      backoffBaseMs: 1000,
      backoffCapMs: 300_000,
      random: () => draws.shift()!,
      now: () => now,
    });
    // Attempt 1: ceiling 1000 ms, draw 0.5 → due 500 ms later.
    expect(await d.attempt(grant, { timeoutMs: 1000, actor: 'test' })).toBe('retry');
    const first = (await grants().findByKey('k-backoff'))!;
    expect([first.attempts, first.nextAttemptAt, first.updatedAt]).toEqual([
      1,
      new Date(now.getTime() + 500),
      now,
    ]);
    // Attempt 2: ceiling 2000 ms, draw 0.25 → due 500 ms later again.
    expect(await d.attempt(first, { timeoutMs: 1000, actor: 'test' })).toBe('retry');
    const second = (await grants().findByKey('k-backoff'))!;
    expect([second.attempts, second.nextAttemptAt]).toEqual([2, new Date(now.getTime() + 500)]);
    expect(draws).toEqual([]);
  });

  it('404 is permanent: failed at once, no retry', async () => {
    const grant = await owe('k-404');
    receiver.respond({ status: 404 });
    const settled = await deliverUntilSettled(delivery(webhook()), 'k-404');
    expect([settled.status, settled.attempts, settled.nextAttemptAt]).toEqual(['failed', 1, null]);
    expect(settled.lastError).toContain('404');
    expect(receiver.requests).toHaveLength(1);
    expect(await trail(grant)).toEqual(['pending>failed#1']);
  });

  it('a timeout is retried; the late success is not applied twice', async () => {
    const grant = await owe('k-slow');
    receiver.respond({ status: 200, delayMs: 600 });
    const d = delivery(webhook());
    expect(await d.attempt(grant, { timeoutMs: 100, actor: 'test' })).toBe('retry');
    const pending = (await grants().findByKey('k-slow'))!;
    expect(pending.lastError).toContain('timed out');
    expect(pending.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    const settled = await deliverUntilSettled(d, 'k-slow');
    expect(settled.status).toBe('granted');
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    // The late success was applied, then sent again (the timeout left it pending): two deliveries,
    // one effective grant thanks to the key.
    expect(receiver.deliveries.get('k-slow')).toBe(2);
    expect(receiver.effective.get('k-slow')).toBe(1);
  });

  it('after max attempts the grant is a dead letter', async () => {
    const grant = await owe('k-dead');
    receiver.fallback = { status: 500 };
    const settled = await deliverUntilSettled(delivery(webhook(), 3), 'k-dead');
    expect([settled.status, settled.attempts]).toEqual(['failed', 3]);
    expect(await trail(grant)).toEqual([
      'pending>pending#1',
      'pending>pending#2',
      'pending>failed#3',
    ]);
  });

  it('an unreachable receiver is retried', async () => {
    const grant = await owe('k-down');
    await receiver.down();
    expect(await delivery(webhook()).attempt(grant, { timeoutMs: 500, actor: 'test' })).toBe(
      'retry',
    );
    // The cause names what failed underneath fetch's generic message.
    expect((await grants().findByKey('k-down'))!.lastError).toMatch(
      /^webhook unreachable: fetch failed \(.*ECONNREFUSED/,
    );
    await receiver.up();
  });
});

describe('mock provider', () => {
  it('fails as told, then records one receipt per key', async () => {
    const provider = mockRewardProvider({ receipts: grants().mockReceipt, failures: 2 });
    await owe('k-mock');
    const settled = await deliverUntilSettled(delivery(provider), 'k-mock');
    expect([settled.status, settled.attempts]).toEqual(['granted', 3]);
    await provider.grant(settled, AbortSignal.timeout(1000));
    expect(await grants().mockReceipt.countByKey('k-mock')).toBe(1);
  });
});

describe('accelbyte provider', () => {
  let clock = 0;
  const provider = () =>
    accelbyteRewardProvider({
      baseUrl: receiver.baseUrl,
      clientId: RECEIVER_CLIENT.id,
      clientSecret: RECEIVER_CLIENT.secret,
      namespace: 'game',
      now: () => clock,
    });

  it('grants ITEM as an entitlement and WALLET as a credit, with one cached token', async () => {
    const p = provider();
    const d = delivery(p);
    await d.attempt(await owe('k-item'), { timeoutMs: 1000, actor: 'test' });
    await d.attempt(await owe('k-gold', 'WALLET'), { timeoutMs: 1000, actor: 'test' });
    const calls = receiver.requests.filter((r) => r.path.startsWith('/platform/'));
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /platform/admin/namespaces/game/users/u1/entitlements',
      'PUT /platform/admin/namespaces/game/users/u1/wallets/GOLD/credit',
    ]);
    expect(JSON.parse(calls[0]!.body)).toEqual([
      { itemId: 'sword', itemNamespace: 'game', quantity: 5, source: 'REWARD' },
    ]);
    expect(JSON.parse(calls[1]!.body)).toMatchObject({ amount: 5, source: 'REWARD' });
    expect(calls.map((r) => r.headers['idempotency-key'])).toEqual(['k-item', 'k-gold']);
    expect(receiver.tokenCalls).toBe(1);
    expect(receiver.requests[0]!.body).toBe('grant_type=client_credentials');
    expect((await grants().findByKey('k-gold'))!.status).toBe('granted');
  });

  it('refreshes the token shortly before expiry and after a 401', async () => {
    receiver.tokenLifetimeSeconds = 600;
    const p = provider();
    const grant = await owe('k-tok');
    const again = () => p.grant(grant, AbortSignal.timeout(1000));
    clock = 0;
    await again();
    clock = 500_000; // 100 s before expiry: still cached
    await again();
    expect(receiver.tokenCalls).toBe(1);
    clock = 545_000; // within the last minute: refreshed
    await again();
    expect(receiver.tokenCalls).toBe(2);
    receiver.revokeTokens();
    await again();
    expect(receiver.tokenCalls).toBe(3);
    expect(receiver.effective.get('k-tok')).toBe(1);
  });

  it('treats "already granted" (409) as success', async () => {
    const p = provider();
    const grant = await owe('k-409');
    await p.grant(grant, AbortSignal.timeout(1000));
    await expect(p.grant(grant, AbortSignal.timeout(1000))).resolves.toBeUndefined();
    expect(receiver.requests.filter((r) => r.path.includes('entitlements'))).toHaveLength(2);
    expect(receiver.effective.get('k-409')).toBe(1);
  });
});
