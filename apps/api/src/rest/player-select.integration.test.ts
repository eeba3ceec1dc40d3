import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => t?.close());

const batch = (user: string, challenge: string, body: unknown) =>
  t.call('POST', `/challenge/v1/challenges/${challenge}/goals/batch-select`, { user, body });
const random = (user: string, challenge: string, body: unknown) =>
  t.call('POST', `/challenge/v1/challenges/${challenge}/goals/random-select`, { user, body });
const activeIds = async (user: string) => {
  const res = await t.call('GET', '/challenge/v1/challenges?active_only=true', { user });
  return res.body.challenges.flatMap((c: any) => c.goals.map((g: any) => g.goalId));
};

describe('POST /v1/challenges/{c}/goals/batch-select', () => {
  it('activates the goals, collapsing duplicates in order of first appearance', async () => {
    const user = 'batch-1';
    const res = await batch(user, 'pool', { goalIds: ['pool-3', 'pool-1', 'pool-3'] });
    expect(res.status).toBe(200);
    expect(res.body.challengeId).toBe('pool');
    expect(res.body.totalActiveGoals).toBe(2);
    expect(res.body.replacedGoals).toEqual([]);
    expect(res.body.selectedGoals.map((g: any) => g.goalId)).toEqual(['pool-3', 'pool-1']);
    expect(res.body.selectedGoals[0]).toEqual({
      goalId: 'pool-3',
      name: 'Pool 3',
      description: 'Pool 3 description',
      requirement: { statCode: 'stat_3', operator: '>=', targetValue: 3 },
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
      status: 'not_started',
      progress: 0,
      target: 3,
      isActive: true,
      assignedAt: expect.stringMatching(/Z$/),
      expiresAt: '',
    });
  });

  it('with replace deactivates the challenge’s other goals and keeps their progress', async () => {
    const user = 'batch-2';
    await batch(user, 'pool', { goal_ids: ['pool-1', 'pool-2'] });
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'pool-2', { progress: 1, status: 'in_progress' });
    const res = await batch(user, 'pool', {
      goalIds: ['pool-2', 'pool-4'],
      replace_existing: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.replacedGoals).toEqual(['pool-1']);
    expect(res.body.totalActiveGoals).toBe(2);
    expect(res.body.selectedGoals[0]).toMatchObject({
      goalId: 'pool-2',
      progress: 1,
      status: 'in_progress',
    });
    const active = await activeIds(user);
    expect(active).toContain('tutorial');
    expect(active.filter((id: string) => id.startsWith('pool'))).toEqual(['pool-2', 'pool-4']);
  });

  it('is all-or-nothing on bad input', async () => {
    const user = 'batch-3';
    const empty = await batch(user, 'pool', { goalIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 3, message: 'goal_ids cannot be empty' });
    const noChallenge = await batch(user, 'nope', { goalIds: ['pool-1'] });
    expect(noChallenge.status).toBe(404);
    expect(noChallenge.body.message).toBe("challenge 'nope' not found");
    const foreign = await batch(user, 'pool', { goalIds: ['pool-1', 'tutorial'] });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe("goal 'tutorial' not found");
    const unknown = await batch(user, 'pool', { goalIds: ['pool-1', 'ghost'] });
    expect(unknown.body.message).toBe("goal 'ghost' not found");
    expect(await activeIds(user)).toEqual([]);
  });
});

describe('POST /v1/challenges/{c}/goals/random-select', () => {
  it('picks distinct goals from the pool', async () => {
    const user = 'random-1';
    const res = await random(user, 'pool', { count: 3 });
    expect(res.status).toBe(200);
    const ids = res.body.selectedGoals.map((g: any) => g.goalId);
    expect(new Set(ids).size).toBe(3);
    expect(res.body.totalActiveGoals).toBe(3);
  });

  it('excludes active goals and gives a partial result from a small pool', async () => {
    const user = 'random-2';
    await batch(user, 'pool', { goalIds: ['pool-1', 'pool-2', 'pool-3'] });
    const res = await random(user, 'pool', { count: 5, excludeActive: true });
    expect(res.status).toBe(200);
    expect(res.body.selectedGoals.map((g: any) => g.goalId).sort()).toEqual(['pool-4', 'pool-5']);
    expect(res.body.totalActiveGoals).toBe(5);
    const empty = await random(user, 'pool', { count: 1, exclude_active: true });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({
      code: 9,
      errorCode: 'INSUFFICIENT_GOALS',
      message: 'INSUFFICIENT_GOALS: no goals available for selection (available: 0, requested: 1)',
    });
  });

  it('leaves out completed goals and goals with unmet prerequisites', async () => {
    const user = 'random-3';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    await setProgress(t, user, 'login-3', { progress: 3, status: 'completed' });
    const res = await random(user, 'season', { count: 10 });
    expect(res.body.selectedGoals.map((g: any) => g.goalId)).toEqual(['kill-10']);
  });

  it('with replace deactivates what it did not pick', async () => {
    const user = 'random-4';
    await batch(user, 'pool', { goalIds: ['pool-1', 'pool-2'] });
    const res = await random(user, 'pool', { count: 2, replaceExisting: true });
    expect(res.status).toBe(200);
    const picked = res.body.selectedGoals.map((g: any) => g.goalId);
    expect(picked).not.toContain('pool-1');
    expect(picked).not.toContain('pool-2');
    expect(res.body.replacedGoals.sort()).toEqual(['pool-1', 'pool-2']);
    expect((await activeIds(user)).sort()).toEqual([...picked].sort());
  });

  it('rejects a non-positive count and an unknown challenge', async () => {
    for (const body of [{ count: 0 }, { count: -2 }, {}]) {
      const res = await random('random-5', 'pool', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('count must be greater than 0');
    }
    const missing = await random('random-5', 'nope', { count: 1 });
    expect(missing.status).toBe(404);
  });
});
