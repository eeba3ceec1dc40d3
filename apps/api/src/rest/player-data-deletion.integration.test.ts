import { readFileSync } from 'node:fs';
import { createPool, ERASED_BEFORE_DELIVERY } from '@challenges/db';
import { type RewardReceiver, startRewardReceiver } from '@challenges/runtime/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeChallengesFile } from '../testing/definitions-fixtures.ts';
import {
  setProgress,
  startTestApi,
  TEST_CHALLENGES_FILE,
  type TestApi,
} from '../testing/test-api.ts';

// DELETE /v1/users/me/data and reward grants (security review finding 7), through a webhook
// provider the tests steer, and with goal ids containing ':'.
const SECRET = 'deletion-webhook-secret';
let t: TestApi;
let receiver: RewardReceiver;
let pool: pg.Pool;

/** The test definitions plus goals `c` and `b:c`: ids the first key format could confuse. */
function challengesFile(): string {
  const file = JSON.parse(readFileSync(TEST_CHALLENGES_FILE, 'utf8'));
  const goal = (goalId: string) => ({
    goalId,
    name: goalId,
    description: goalId,
    eventSource: 'statistic',
    requirement: { statCode: 'gems', operator: '>=', targetValue: 1, progressMode: 'absolute' },
    reward: { type: 'ITEM', rewardId: 'gem-box', quantity: 1 },
    prerequisites: [],
    defaultAssigned: true,
  });
  file.challenges.push({
    challengeId: 'colon',
    name: 'Colon',
    description: 'Colon',
    goals: [goal('c'), goal('b:c')],
  });
  return writeChallengesFile('deletion', file);
}

beforeAll(async () => {
  receiver = await startRewardReceiver({ secret: SECRET });
  t = await startTestApi({
    CHALLENGES_FILE: challengesFile(),
    REWARD_PROVIDER: 'webhook',
    REWARD_WEBHOOK_URL: receiver.webhookUrl,
    REWARD_WEBHOOK_SECRET: SECRET,
    // Long enough for a busy machine: only the receiver's own answers decide pending here.
    REWARD_INLINE_TIMEOUT_MS: '5000',
  });
  pool = createPool({ databaseUrl: t.databaseUrl, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await t?.close();
  await receiver?.close();
});

async function completeAndClaim(user: string, challengeId: string, goalId: string) {
  await t.call('POST', '/challenge/v1/challenges/initialize', { user });
  await setProgress(t, user, goalId, { progress: 1, status: 'completed' });
  return t.call('POST', `/challenge/v1/challenges/${challengeId}/goals/${goalId}/claim`, { user });
}

const deleteData = (user: string) => t.call('DELETE', '/challenge/v1/users/me/data', { user });

async function grantsOf(userIds: string[], goalId: string) {
  const { rows } = await pool.query(
    `SELECT idempotency_key, user_id, status, last_error, erased_at FROM reward_grants
      WHERE user_id = ANY($1) AND goal_id = $2 ORDER BY id`,
    [userIds, goalId],
  );
  return rows;
}

/** Rows of each reward table that mention the id anywhere, plain or key-encoded. */
async function mentions(userId: string): Promise<number> {
  const forms = [userId, userId.replaceAll('%', '%25').replaceAll(':', '%3A')];
  let total = 0;
  for (const table of ['reward_grants', 'reward_grant_events', 'mock_reward_receipts']) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} r
        WHERE strpos(r::text, $1) > 0 OR strpos(r::text, $2) > 0`,
      forms,
    );
    total += rows[0]!.n;
  }
  return total;
}

/** A grant as the first key format stored it (`user:goal:period`, unencoded). */
async function legacyGrant(userId: string, goalId: string, status: string, attempts: number) {
  await pool.query(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, status, attempts, created_at)
     VALUES ($1, $2, $3, 'season', 'WALLET', 'GOLD', 10, 'webhook', $4, $5,
             '2026-01-02T03:04:05.678Z')`,
    [`${userId}:${goalId}:once`, userId, goalId, status, attempts],
  );
}

describe('reward keys of ids containing ":"', () => {
  it('two claims that shared one key in the first format both succeed, one grant each', async () => {
    const first = await completeAndClaim('a:b', 'colon', 'c');
    const second = await completeAndClaim('a', 'colon', 'b:c');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await grantsOf(['a:b'], 'c')).map((g) => g.idempotency_key)).toEqual(['a%3Ab:c:once']);
    expect((await grantsOf(['a'], 'b:c')).map((g) => g.idempotency_key)).toEqual(['a:b%3Ac:once']);
  });

  it('recognises a grant stored under the first format as the same claim', async () => {
    await legacyGrant('old:timer', 'tutorial', 'pending', 1);
    const res = await completeAndClaim('old:timer', 'season', 'tutorial');
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      'Reward has already been claimed (goal_id: tutorial, claimed_at: 2026-01-02T03:04:05Z)',
    );
    expect(await grantsOf(['old:timer'], 'tutorial')).toHaveLength(1);
  });

  it('does not mistake another pair’s first-format key for this claim', async () => {
    // User `x`, goal `b:c` stored `x:b:c:once`: the first format's key of user `x:b`, goal `c`.
    await legacyGrant('x', 'b:c', 'granted', 1);
    const res = await completeAndClaim('x:b', 'colon', 'c');
    expect(res.status).toBe(200);
    expect((await grantsOf(['x:b'], 'c')).map((g) => g.idempotency_key)).toEqual(['x%3Ab:c:once']);
  });
});

describe('DELETE /v1/users/me/data and reward grants', () => {
  it('pseudonymises delivered grants; the same reward can never be claimed again', async () => {
    const user = 'gdpr:delivered';
    const first = await completeAndClaim(user, 'season', 'tutorial');
    expect(first.body.delivery).toBe('granted');
    const deleted = await deleteData(user);
    expect(deleted.status).toBe(200);
    expect(await mentions(user)).toBe(0);
    const pseudonym = t.api.ctx.pseudonymise(user);
    expect(await grantsOf([user, pseudonym], 'tutorial')).toEqual([
      expect.objectContaining({
        user_id: pseudonym,
        idempotency_key: `${pseudonym}:tutorial:once`,
        status: 'granted',
        erased_at: expect.any(Date),
      }),
    ]);
    const again = await completeAndClaim(user, 'season', 'tutorial');
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(
      `Reward has already been claimed (goal_id: tutorial, claimed_at: ${first.body.claimedAt})`,
    );
    expect(await grantsOf([user, pseudonym], 'tutorial')).toHaveLength(1);
    // Deleting again (the row of the second attempt, and nothing else to pseudonymise) is fine.
    expect((await deleteData(user)).status).toBe(200);
    expect(await mentions(user)).toBe(0);
  });

  it('delivers a pending grant first, to the player, then pseudonymises it', async () => {
    const user = 'gdpr:pending';
    receiver.respond({ status: 503 });
    expect((await completeAndClaim(user, 'season', 'tutorial')).body.delivery).toBe('pending');
    expect((await deleteData(user)).status).toBe(200);
    const delivered = receiver.requests.at(-1)!;
    expect(JSON.parse(delivered.body)).toMatchObject({ userId: user, goalId: 'tutorial' });
    expect(receiver.effective.get('gdpr%3Apending:tutorial:once')).toBe(1);
    const [grant] = await grantsOf([t.api.ctx.pseudonymise(user)], 'tutorial');
    expect(grant).toMatchObject({ status: 'granted', erased_at: expect.any(Date) });
    expect(await mentions(user)).toBe(0);
  });

  it('cancels a grant still undeliverable, audits it and never sends it again', async () => {
    const user = 'gdpr:undeliverable';
    receiver.respond({ status: 503 }, { status: 503 });
    expect((await completeAndClaim(user, 'season', 'tutorial')).body.delivery).toBe('pending');
    expect((await deleteData(user)).status).toBe(200);
    expect(await mentions(user)).toBe(0);
    const [grant] = await grantsOf([t.api.ctx.pseudonymise(user)], 'tutorial');
    expect(grant).toMatchObject({ status: 'failed', last_error: ERASED_BEFORE_DELIVERY });
    const { items } = await t.api.ctx.rewardGrantListing.list({ status: 'failed', limit: 50 });
    const cancelled = items.find((g) => g.userId === t.api.ctx.pseudonymise(user))!;
    const trail = await t.api.ctx.rewardGrantListing.events(cancelled.id);
    expect(trail.map((e) => [e.fromStatus, e.toStatus, e.actor])).toEqual([
      ['pending', 'pending', 'api'],
      ['pending', 'pending', 'erasure'],
      ['pending', 'failed', 'erasure'],
    ]);
    const retried = await t.api.ctx.rewardDeliveries.retry({
      ids: [cancelled.id],
      actor: 'live-ops',
      at: new Date(),
    });
    expect(retried).toBe(0);
  });
});
