import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => t?.close());

const goalsOf = (body: any) =>
  new Map<string, any>(body.challenges.flatMap((c: any) => c.goals.map((g: any) => [g.goalId, g])));

describe('GET /v1/challenges', () => {
  it('lists every challenge and goal in definition order for a player without rows', async () => {
    const res = await t.call('GET', '/challenge/v1/challenges', { user: 'list-new' });
    expect(res.status).toBe(200);
    expect(res.body.challenges.map((c: any) => c.challengeId)).toEqual(['season', 'daily', 'pool']);
    expect(res.body.challenges[0].goals.map((g: any) => g.goalId)).toEqual([
      'tutorial',
      'kill-10',
      'reach-5',
      'login-3',
    ]);
    const tutorial = res.body.challenges[0].goals[0];
    expect(tutorial).toEqual({
      goalId: 'tutorial',
      name: 'Complete Tutorial',
      description: 'Complete Tutorial description',
      requirement: { statCode: 'tutorial_completed', operator: '>=', targetValue: 1 },
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
      prerequisites: [],
      progress: 0,
      status: 'not_started',
      locked: false,
      completedAt: '',
      claimedAt: '',
      isActive: false,
      expiresAt: '',
      expiresInSeconds: 0,
    });
    const goals = goalsOf(res.body);
    expect(goals.get('kill-10').locked).toBe(true);
    const daily = goals.get('daily-reset');
    expect(daily.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
    expect(daily.expiresInSeconds).toBeGreaterThan(0);
    expect(daily.expiresInSeconds).toBeLessThanOrEqual(86_400);
  });

  it('merges the caller’s rows and unlocks goals whose prerequisites are completed', async () => {
    const user = 'list-merge';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    const res = await t.call('GET', '/challenge/v1/challenges', { user });
    const goals = goalsOf(res.body);
    expect(goals.get('tutorial')).toMatchObject({
      progress: 1,
      status: 'completed',
      isActive: true,
    });
    expect(goals.get('tutorial').completedAt).toMatch(/Z$/);
    expect(goals.get('kill-10').locked).toBe(false);
    expect(goals.get('reach-5').locked).toBe(true);
  });

  it('active_only=true returns only active goals and omits empty challenges', async () => {
    const user = 'list-active';
    await t.call('PUT', '/challenge/v1/challenges/pool/goals/pool-2/active', {
      user,
      body: { isActive: true },
    });
    for (const query of ['active_only=true', 'activeOnly=true']) {
      const res = await t.call('GET', `/challenge/v1/challenges?${query}`, { user });
      expect(res.status).toBe(200);
      expect(res.body.challenges.map((c: any) => c.challengeId)).toEqual(['pool']);
      expect(res.body.challenges[0].goals.map((g: any) => g.goalId)).toEqual(['pool-2']);
    }
    const none = await t.call('GET', '/challenge/v1/challenges?active_only=true', {
      user: 'nobody',
    });
    expect(none.body).toEqual({ challenges: [] });
  });

  it('shows only the caller’s own rows', async () => {
    await t.call('POST', '/challenge/v1/challenges/initialize', { user: 'owner-a' });
    const res = await t.call('GET', '/challenge/v1/challenges', { user: 'owner-b' });
    expect(goalsOf(res.body).get('tutorial').isActive).toBe(false);
  });
});

describe('POST /v1/challenges/initialize', () => {
  it('assigns default goals once, then is an idempotent fast path', async () => {
    const user = 'init-1';
    const first = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    expect(first.status).toBe(200);
    expect(first.body.newAssignments).toBe(4);
    expect(first.body.totalActive).toBe(4);
    expect(first.body.assignedGoals.map((g: any) => g.goalId)).toEqual([
      'tutorial',
      'login-3',
      'daily-reset',
      'daily-keep',
    ]);
    expect(first.body.assignedGoals[0]).toEqual({
      challengeId: 'season',
      goalId: 'tutorial',
      name: 'Complete Tutorial',
      description: 'Complete Tutorial description',
      isActive: true,
      assignedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expiresAt: '',
      progress: 0,
      target: 1,
      status: 'not_started',
      requirement: { statCode: 'tutorial_completed', operator: '>=', targetValue: 1 },
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
    });
    const again = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    expect(again.body.newAssignments).toBe(0);
    expect(again.body.totalActive).toBe(4);
    expect(again.body.assignedGoals).toEqual(first.body.assignedGoals);
  });

  it('keeps a default goal the player deactivated inactive, and lists active non-default goals', async () => {
    const user = 'init-2';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await t.call('PUT', '/challenge/v1/challenges/season/goals/tutorial/active', {
      user,
      body: { isActive: false },
    });
    await t.call('PUT', '/challenge/v1/challenges/pool/goals/pool-1/active', {
      user,
      body: { is_active: true },
    });
    const res = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    expect(res.body.newAssignments).toBe(0);
    expect(res.body.assignedGoals.map((g: any) => g.goalId)).toEqual([
      'login-3',
      'daily-reset',
      'daily-keep',
      'pool-1',
    ]);
  });

  it('concurrent first logins create each row once', async () => {
    const user = 'init-race';
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.call('POST', '/challenge/v1/challenges/initialize', { user }),
      ),
    );
    expect(results.every((r) => r.status === 200 && r.body.totalActive === 4)).toBe(true);
    expect(results.reduce((sum, r) => sum + r.body.newAssignments, 0)).toBe(4);
  });
});

describe('PUT /v1/challenges/{c}/goals/{g}/active', () => {
  it('creates the assignment, then flips it and keeps progress', async () => {
    const user = 'active-1';
    const on = await t.call('PUT', '/challenge/v1/challenges/pool/goals/pool-3/active', {
      user,
      body: { isActive: true },
    });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({
      challengeId: 'pool',
      goalId: 'pool-3',
      isActive: true,
      assignedAt: expect.stringMatching(/Z$/),
      message: 'Goal activated successfully',
    });
    await setProgress(t, user, 'pool-3', { progress: 2, status: 'in_progress' });
    const off = await t.call('PUT', '/challenge/v1/challenges/pool/goals/pool-3/active', {
      user,
      body: { isActive: false },
    });
    expect(off.body.message).toBe('Goal deactivated successfully');
    expect(off.body.assignedAt).toBe(on.body.assignedAt);
    const list = await t.call('GET', '/challenge/v1/challenges', { user });
    expect(goalsOf(list.body).get('pool-3')).toMatchObject({
      isActive: false,
      progress: 2,
      status: 'in_progress',
    });
  });

  it('answers 400 without isActive and 404 for unknown or foreign goals', async () => {
    const user = 'active-2';
    const missing = await t.call('PUT', '/challenge/v1/challenges/pool/goals/pool-1/active', {
      user,
      body: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 3, errorCode: 'INVALID_ARGUMENT' });
    expect(missing.body.message).toMatch(/isActive/);
    const wrongType = await t.call('PUT', '/challenge/v1/challenges/pool/goals/pool-1/active', {
      user,
      body: { isActive: 'yes' },
    });
    expect(wrongType.status).toBe(400);
    for (const path of ['nope/goals/pool-1', 'pool/goals/nope', 'season/goals/pool-1']) {
      const res = await t.call('PUT', `/challenge/v1/challenges/${path}/active`, {
        user,
        body: { isActive: true },
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 5, errorCode: 'NOT_FOUND', details: [] });
    }
    const list = await t.call('GET', '/challenge/v1/challenges?active_only=true', { user });
    expect(list.body.challenges).toEqual([]);
  });
});

describe('GET /v1/challenges/{c}/rotation', () => {
  it('describes the current and next period of a rotating challenge', async () => {
    const res = await t.call('GET', '/challenge/v1/challenges/daily/rotation', { user: 'rot' });
    expect(res.status).toBe(200);
    expect(res.body.challengeId).toBe('daily');
    const { rotation } = res.body;
    expect(rotation).toMatchObject({
      enabled: true,
      type: 'global',
      schedule: 'daily',
      timezone: 'UTC',
    });
    const start = Date.parse(rotation.currentPeriod.startTime);
    const end = Date.parse(rotation.currentPeriod.endTime);
    expect(end - start).toBe(86_400_000);
    expect(rotation.nextPeriod.startTime).toBe(rotation.currentPeriod.endTime);
    expect(rotation.currentPeriod.expiresInSeconds).toBeGreaterThan(0);
  });

  it('reports disabled rotation and 404 for an unknown challenge', async () => {
    const off = await t.call('GET', '/challenge/v1/challenges/pool/rotation', { user: 'rot' });
    expect(off.body.rotation).toMatchObject({
      enabled: false,
      currentPeriod: null,
      nextPeriod: null,
    });
    const missing = await t.call('GET', '/challenge/v1/challenges/nope/rotation', { user: 'rot' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("challenge 'nope' not found");
  });
});

describe('DELETE /v1/users/me/data', () => {
  it('deletes every row of the caller and only theirs', async () => {
    await t.call('POST', '/challenge/v1/challenges/initialize', { user: 'gdpr-a' });
    await t.call('POST', '/challenge/v1/challenges/initialize', { user: 'gdpr-b' });
    const res = await t.call('DELETE', '/challenge/v1/users/me/data', { user: 'gdpr-a' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deletedRows: 4 });
    expect(await t.api.ctx.progress.listByUser('gdpr-a')).toEqual([]);
    expect(await t.api.ctx.progress.listByUser('gdpr-b')).toHaveLength(4);
    const again = await t.call('DELETE', '/challenge/v1/users/me/data', { user: 'gdpr-a' });
    expect(again.body).toEqual({ deletedRows: 0 });
  });
});

describe('GET /healthz', () => {
  it('answers healthy at the root and under the base path, without auth', async () => {
    for (const path of ['/healthz', '/challenge/healthz']) {
      const res = await t.call('GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'healthy' });
    }
  });
});
