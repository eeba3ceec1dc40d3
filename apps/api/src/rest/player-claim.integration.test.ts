import { createPool } from '@challenges/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ QA_CLOCK: 'enabled', ADMIN_API_KEY: 'admin-secret' });
});
afterAll(async () => t?.close());

const claim = (user: string, challenge: string, goal: string) =>
  t.call('POST', `/challenge/v1/challenges/${challenge}/goals/${goal}/claim`, { user });

async function grantsOf(user: string, goalId: string) {
  const grant = await t.api.ctx.rewardGrants.findByKey(`${user}:${goalId}:once`);
  return grant ? [grant] : [];
}

describe('POST /v1/challenges/{c}/goals/{g}/claim', () => {
  it('claims a completed goal once, records and delivers one grant', async () => {
    const user = 'claim-ok';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    const res = await claim(user, 'season', 'tutorial');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      goalId: 'tutorial',
      status: 'claimed',
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
      claimedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      delivery: 'granted',
    });
    const grants = await grantsOf(user, 'tutorial');
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ status: 'granted', idempotencyKey: `${user}:tutorial:once` });
    expect(await t.api.ctx.rewardGrants.mockReceipt.countByKey(`${user}:tutorial:once`)).toBe(1);

    const again = await claim(user, 'season', 'tutorial');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 6, errorCode: 'ALREADY_CLAIMED' });
    expect(again.body.message).toBe(
      `Reward has already been claimed (goal_id: tutorial, claimed_at: ${res.body.claimedAt})`,
    );
    const list = await t.call('GET', '/challenge/v1/challenges', { user });
    const tutorial = list.body.challenges[0].goals[0];
    expect(tutorial).toMatchObject({ status: 'claimed', claimedAt: res.body.claimedAt });
  });

  it('answers each refusal in the contract’s order', async () => {
    const user = 'claim-order';
    const unknown = await claim(user, 'season', 'nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/^Goal not found/);
    const foreign = await claim(user, 'pool', 'tutorial');
    expect(foreign.status).toBe(404);

    const noRow = await claim(user, 'season', 'tutorial');
    expect(noRow.status).toBe(400);
    expect(noRow.body).toMatchObject({ code: 9, errorCode: 'NOT_COMPLETED' });
    expect(noRow.body.message).toBe('Goal not completed (goal_id: tutorial, status: not_started)');

    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    const notDone = await claim(user, 'season', 'tutorial');
    expect(notDone.body.message).toBe(
      'Goal not completed (goal_id: tutorial, status: not_started)',
    );

    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    await t.call('PUT', '/challenge/v1/challenges/season/goals/tutorial/active', {
      user,
      body: { isActive: false },
    });
    const inactive = await claim(user, 'season', 'tutorial');
    expect(inactive.status).toBe(400);
    expect(inactive.body.errorCode).toBe('GOAL_INACTIVE');
    expect(inactive.body.message).toMatch(/^Goal must be active to claim reward/);

    await t.call('PUT', '/challenge/v1/challenges/season/goals/kill-10/active', {
      user,
      body: { isActive: true },
    });
    await setProgress(t, user, 'kill-10', { progress: 10, status: 'completed' });
    await setProgress(t, user, 'tutorial', { progress: 0, status: 'in_progress' });
    const prereq = await claim(user, 'season', 'kill-10');
    expect(prereq.status).toBe(400);
    expect(prereq.body).toMatchObject({
      errorCode: 'PREREQUISITES_NOT_MET',
      message: 'Prerequisites not completed (goal_id: kill-10)',
    });
    expect(await grantsOf(user, 'kill-10')).toHaveLength(0);

    // Prerequisite completed: the same claim goes through.
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    const met = await claim(user, 'season', 'kill-10');
    expect(met.status).toBe(200);
    expect(met.body).toMatchObject({ goalId: 'kill-10', status: 'claimed' });
  });

  it('a grant under the same key that the earlier-claim lookup misses still answers 409', async () => {
    // The unique key is the last word: here a row written under this claim's key for another
    // goal (which the lookup, keyed on user and goal too, does not find).
    const user = 'claim-key-taken';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    const pool = createPool({ databaseUrl: t.databaseUrl, max: 1 });
    try {
      await pool.query(
        `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
           reward_id, quantity, provider, claimed_at)
         VALUES ($1, $2, 'another-goal', 'season', 'ITEM', 'hat', 1, 'mock',
                 '2026-01-02T03:04:05Z')`,
        [`${user}:tutorial:once`, user],
      );
    } finally {
      await pool.end();
    }
    const res = await claim(user, 'season', 'tutorial');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      errorCode: 'ALREADY_CLAIMED',
      message:
        'Reward has already been claimed (goal_id: tutorial, claimed_at: 2026-01-02T03:04:05Z)',
    });
    // Rolled back with the grant: the row is still completed, not claimed.
    const rows = await t.api.ctx.progress.listByUser(user);
    expect(rows.find((r) => r.goalId === 'tutorial')?.status).toBe('completed');
  });

  it('concurrent claims: exactly one 200, the rest 409, one grant', async () => {
    const user = 'claim-race';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'login-3', { progress: 3, status: 'completed' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => claim(user, 'season', 'login-3')),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(await grantsOf(user, 'login-3')).toHaveLength(1);
    expect(await t.api.ctx.rewardGrants.mockReceipt.countByKey(`${user}:login-3:once`)).toBe(1);
  });

  it('a rotated goal must be re-completed; a claimed goal without reselection stays claimed', async () => {
    const user = 'claim-rotate';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'daily-reset', { progress: 2, status: 'completed' });
    await setProgress(t, user, 'daily-keep', { progress: 2, status: 'completed' });
    const keep = await claim(user, 'daily', 'daily-keep');
    expect(keep.status).toBe(200);

    const shift = await t.call('POST', '/challenge/admin/v1/clock', {
      headers: { authorization: 'Bearer admin-secret' },
      body: { offsetSeconds: 86_400 },
    });
    expect(shift.status).toBe(200);
    try {
      const rotated = await claim(user, 'daily', 'daily-reset');
      expect(rotated.status).toBe(400);
      expect(rotated.body).toMatchObject({ errorCode: 'GOAL_ROTATED' });
      expect(rotated.body.message).toMatch(/^Goal has rotated and must be re-completed/);
      const stillClaimed = await claim(user, 'daily', 'daily-keep');
      expect(stillClaimed.status).toBe(409);
      const list = await t.call('GET', '/challenge/v1/challenges', { user });
      const daily = list.body.challenges[1].goals;
      expect(daily[0]).toMatchObject({ goalId: 'daily-reset', progress: 0, status: 'not_started' });
      expect(daily[1]).toMatchObject({ goalId: 'daily-keep', status: 'claimed' });
    } finally {
      await t.call('POST', '/challenge/admin/v1/clock', {
        headers: { authorization: 'Bearer admin-secret' },
        body: { offsetSeconds: 0 },
      });
    }
  });

  it('a rotated goal claimed after the next day’s login answers GOAL_ROTATED (QA clock)', async () => {
    const user = 'claim-rotate-login';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'daily-reset', { progress: 2, status: 'completed' });
    await setProgress(t, user, 'daily-keep', { progress: 2, status: 'completed' });
    expect((await claim(user, 'daily', 'daily-keep')).status).toBe(200);
    const clock = (offsetSeconds: number) =>
      t.call('POST', '/challenge/admin/v1/clock', {
        headers: { authorization: 'Bearer admin-secret' },
        body: { offsetSeconds },
      });
    expect((await clock(86_400)).status).toBe(200);
    try {
      // Initialize (every login) writes the rotated rows back in the new period.
      const login = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
      expect(login.status).toBe(200);
      const rotated = await claim(user, 'daily', 'daily-reset');
      expect(rotated.status).toBe(400);
      expect(rotated.body).toEqual({
        code: 9,
        errorCode: 'GOAL_ROTATED',
        message: 'Goal has rotated and must be re-completed (goal_id: daily-reset)',
        details: [],
      });
      // Claimed yesterday and not reselectable: still claimed, with yesterday's time.
      const kept = await claim(user, 'daily', 'daily-keep');
      expect(kept.status).toBe(409);
      // Re-completed today: claimable, under today's period key.
      await setProgress(t, user, 'daily-reset', { progress: 2, status: 'completed' });
      const today = await claim(user, 'daily', 'daily-reset');
      expect(today.status).toBe(200);
      const period = new Date(Date.parse(today.body.claimedAt)).toISOString().slice(0, 10);
      expect(
        await t.api.ctx.rewardGrants.findByKey(`${user}:daily-reset:${period}T00:00:00.000Z`),
      ).toMatchObject({ status: 'granted' });
    } finally {
      await clock(0);
    }
  });
});
