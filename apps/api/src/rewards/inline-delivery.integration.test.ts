import { rewardIdempotencyKey, testPlayerId } from '@challenges/core';
import { type RewardReceiver, startRewardReceiver } from '@challenges/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';
import { signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

const SECRET = 'inline-webhook-secret';
let t: TestApi;
let receiver: RewardReceiver;
let editor: TrpcTestClient;

beforeAll(async () => {
  receiver = await startRewardReceiver({ secret: SECRET });
  t = await startTestApi({
    REWARD_PROVIDER: 'webhook',
    REWARD_WEBHOOK_URL: receiver.webhookUrl,
    REWARD_WEBHOOK_SECRET: SECRET,
    REWARD_INLINE_TIMEOUT_MS: '300',
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'admin-password',
  });
  const admin = await signedIn(t, 'admin@example.com', 'admin-password');
  await admin.client.user.create.mutate({
    email: 'editor@example.com',
    password: 'password-123',
    role: 'editor',
  });
  editor = (await signedIn(t, 'editor@example.com', 'password-123')).client;
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/** Completes the `tutorial` goal for a fresh player and claims it through REST. */
async function claimTutorial(user: string) {
  await t.call('POST', '/challenge/v1/challenges/initialize', { user });
  await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
  const started = performance.now();
  const res = await t.call('POST', '/challenge/v1/challenges/season/goals/tutorial/claim', {
    user,
  });
  expect(res.status).toBe(200);
  const grant = (await t.api.ctx.rewardGrants.findByKey(`${user}:tutorial:once`))!;
  return { delivery: res.body.delivery as string, grant, ms: performance.now() - started };
}

describe('inline delivery through the REST claim', () => {
  it('a quick receiver: delivery granted, one effective grant, audited as api', async () => {
    const { delivery, grant } = await claimTutorial('inline-ok');
    expect(delivery).toBe('granted');
    expect([grant.status, grant.attempts]).toEqual(['granted', 1]);
    expect(receiver.effective.get('inline-ok:tutorial:once')).toBe(1);
    expect(receiver.deliveries.get('inline-ok:tutorial:once')).toBe(1);
    expect(receiver.requests.at(-1)!.signatureValid).toBe(true);
    const events = await editor.reward.events.query({ grantId: grant.id });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.actor])).toEqual([
      ['pending', 'granted', 'api'],
    ]);
  });

  it('a 503: delivery pending, attempt recorded with its error and a due time', async () => {
    receiver.respond({ status: 503 });
    const before = Date.now();
    const { delivery, grant } = await claimTutorial('inline-503');
    expect(delivery).toBe('pending');
    expect([grant.status, grant.attempts]).toEqual(['pending', 1]);
    expect(grant.lastError).toContain('503');
    expect(grant.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(receiver.effective.has('inline-503:tutorial:once')).toBe(false);
  });

  it('a slow receiver: the claim answers within the inline timeout, pending', async () => {
    // The receiver takes far longer than any busy machine adds to a claim: answering before it
    // did shows the claim stopped waiting, and the recorded error says the 300 ms timeout did it.
    receiver.respond({ status: 200, delayMs: 8000 });
    const { delivery, grant, ms } = await claimTutorial('inline-slow');
    expect(delivery).toBe('pending');
    expect(ms).toBeLessThan(8000);
    expect(grant.lastError).toContain('timed out after 300 ms');
  });

  it('live-ops see the dead letter, its trail, and retry it', async () => {
    receiver.respond({ status: 404 });
    const { grant } = await claimTutorial('inline-404');
    const failed = await editor.reward.list.query({ status: 'failed', limit: 10 });
    expect(failed.items.map((g) => g.userId)).toEqual(['inline-404']);
    expect(failed.items[0]).toMatchObject({ attempts: 1, provider: 'webhook' });
    expect(failed.items[0]!.lastError).toContain('404');

    expect(await editor.reward.retry.mutate({ ids: [grant.id, grant.id] })).toEqual({ retried: 1 });
    const [retried] = (await editor.reward.list.query({ userId: 'inline-404', limit: 10 })).items;
    expect([retried!.status, retried!.attempts]).toEqual(['pending', 0]);
    expect(Date.parse(retried!.nextAttemptAt!)).toBeLessThanOrEqual(Date.now());
    const trail = await editor.reward.events.query({ grantId: grant.id });
    expect(trail.map((e) => [e.fromStatus, e.toStatus, e.actor])).toEqual([
      ['pending', 'failed', 'api'],
      ['failed', 'pending', 'editor@example.com'],
    ]);
    // A granted grant is not retried.
    const ok = (await editor.reward.list.query({ status: 'granted', limit: 1 })).items[0]!;
    expect(await editor.reward.retry.mutate({ ids: [ok.id] })).toEqual({ retried: 0 });
  });

  it('lists newest first with a cursor', async () => {
    const first = await editor.reward.list.query({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await editor.reward.list.query({ limit: 50, cursor: first.nextCursor! });
    const ids = [...first.items, ...rest.items].map((g) => Number(g.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);
  });

  it('counts attempts by provider and outcome on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${t.api.metricsPort}/metrics`)).text();
    expect(text).toMatch(
      /challenge_reward_grants_total\{provider="webhook",outcome="granted"\} 1\b/,
    );
    expect(text).toMatch(/challenge_reward_grants_total\{provider="webhook",outcome="retry"\} 2\b/);
    expect(text).toMatch(
      /challenge_reward_grants_total\{provider="webhook",outcome="failed"\} 1\b/,
    );
    expect(text).toContain('challenge_reward_delivery_duration_seconds_bucket');
  });

  it('a load-test player: nothing reaches the provider, the grant is recorded as test', async () => {
    const user = testPlayerId(7);
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    const res = await t.call('POST', '/challenge/v1/challenges/season/goals/tutorial/claim', {
      user,
    });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toBe('granted');
    const key = rewardIdempotencyKey({ userId: user, goalId: 'tutorial', periodKey: null });
    const grant = (await t.api.ctx.rewardGrants.findByKey(key))!;
    expect([grant.status, grant.provider]).toEqual(['granted', 'test']);
    expect(receiver.deliveries.has(key)).toBe(false);
    expect(receiver.requests.some((r) => JSON.stringify(r).includes(user))).toBe(false);
  });
});

describe('mock provider through the REST claim', () => {
  let mock: TestApi;
  beforeAll(async () => {
    mock = await startTestApi({ MOCK_REWARD_FAILURES: '1' });
  });
  afterAll(async () => mock?.close());

  it('an injected failure leaves the first claim pending; the next one is granted', async () => {
    const claim = async (user: string) => {
      await mock.call('POST', '/challenge/v1/challenges/initialize', { user });
      await setProgress(mock, user, 'tutorial', { progress: 1, status: 'completed' });
      return (
        await mock.call('POST', '/challenge/v1/challenges/season/goals/tutorial/claim', { user })
      ).body.delivery;
    };
    expect(await claim('mock-1')).toBe('pending');
    expect(await claim('mock-2')).toBe('granted');
    expect(await mock.api.ctx.rewardGrants.mockReceipt.countByKey('mock-1:tutorial:once')).toBe(0);
    expect(await mock.api.ctx.rewardGrants.mockReceipt.countByKey('mock-2:tutorial:once')).toBe(1);
  });
});
