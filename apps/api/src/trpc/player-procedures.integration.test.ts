import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';
import { cookieClient, outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

describe('me.* (the player API over tRPC) answers like REST', () => {
  let t: TestApi;
  const me = (user: string) => cookieClient(t, { headers: { 'x-mock-user-id': user } }).client;

  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('list and initialize give exactly the REST JSON', async () => {
    // expiresInSeconds counts from now: a second boundary between the two calls would differ.
    const clock = t.api.ctx.clock;
    const now = clock.now();
    t.api.ctx.clock = { ...clock, now: () => now };
    onTestFinished(() => {
      t.api.ctx.clock = clock;
    });
    const player = me('me-1');
    const initialized = await player.me.initialize.mutate();
    const rest = await t.call('POST', '/challenge/v1/challenges/initialize', { user: 'me-1' });
    // The second call (REST) finds nothing new; otherwise the answers are the same.
    expect(initialized.newAssignments).toBeGreaterThan(0);
    expect(rest.body.newAssignments).toBe(0);
    expect({ ...initialized, newAssignments: 0 }).toEqual(rest.body);

    for (const activeOnly of [false, true]) {
      const listed = await player.me.list.query({ activeOnly });
      const restList = await t.call('GET', `/challenge/v1/challenges?active_only=${activeOnly}`, {
        user: 'me-1',
      });
      expect(listed).toEqual(restList.body);
    }
  });

  it('setActive, batchSelect, randomSelect and rotation have the REST shapes', async () => {
    const player = me('me-2');
    const active = await player.me.setActive.mutate({
      challengeId: 'season',
      goalId: 'kill-10',
      isActive: true,
    });
    expect(active).toMatchObject({ isActive: true, message: 'Goal activated successfully' });
    expect(active.assignedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const batch = await player.me.batchSelect.mutate({
      challengeId: 'pool',
      goalIds: ['pool-1', 'pool-2', 'pool-1'],
    });
    expect(batch.selectedGoals.map((g) => g.goalId)).toEqual(['pool-1', 'pool-2']);
    expect(batch.totalActiveGoals).toBe(2);

    const random = await player.me.randomSelect.mutate({
      challengeId: 'pool',
      count: 2,
      excludeActive: true,
    });
    expect(random.selectedGoals).toHaveLength(2);
    expect(random.selectedGoals.every((g) => !['pool-1', 'pool-2'].includes(g.goalId))).toBe(true);

    const rotation = await player.me.rotation.query({ challengeId: 'daily' });
    const rest = await t.call('GET', '/challenge/v1/challenges/daily/rotation', { user: 'me-2' });
    expect(rotation).toEqual(rest.body);
  });

  it('claim: core errors keep their message and map through the error table', async () => {
    const player = me('me-3');
    await player.me.initialize.mutate();
    const early = player.me.claim.mutate({ challengeId: 'season', goalId: 'tutorial' });
    await expect(early).rejects.toMatchObject({
      message: expect.stringContaining('Goal not completed'),
      data: { code: 'PRECONDITION_FAILED', httpStatus: 412, errorCode: 'NOT_COMPLETED' },
    });
    await setProgress(t, 'me-3', 'tutorial', { progress: 1, status: 'completed' });
    const claimed = await player.me.claim.mutate({ challengeId: 'season', goalId: 'tutorial' });
    expect(claimed).toMatchObject({ goalId: 'tutorial', status: 'claimed', delivery: 'granted' });
    const again = player.me.claim.mutate({ challengeId: 'season', goalId: 'tutorial' });
    await expect(again).rejects.toMatchObject({
      data: { code: 'CONFLICT', httpStatus: 409, errorCode: 'ALREADY_CLAIMED' },
    });
    const unknown = player.me.claim.mutate({ challengeId: 'season', goalId: 'nope' });
    await expect(unknown).rejects.toMatchObject({ data: { code: 'NOT_FOUND', httpStatus: 404 } });
  });

  it('without credentials a player call is UNAUTHORIZED (empty mock id counts as missing)', async () => {
    expect(await outcome(me('').me.list.query({ activeOnly: false }))).toBe('UNAUTHORIZED');
  });
});

describe('player.* (live-ops look-up and fixes)', () => {
  let t: TestApi;
  let editor: TrpcTestClient;

  beforeAll(async () => {
    t = await startTestApi({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'ops-password' });
    editor = (await signedIn(t, 'ops@example.com', 'ops-password')).client;
  });
  afterAll(async () => {
    await t?.close();
  });

  const goal = async (userId: string, goalId: string) => {
    const { challenges } = await editor.player.goals.query({ userId });
    return challenges.flatMap((c) => c.goals).find((g) => g.goalId === goalId)!;
  };

  it('goals shows every goal with activation, progress, status and expiry', async () => {
    await t.call('POST', '/challenge/v1/challenges/initialize', { user: 'p-1' });
    const result = await editor.player.goals.query({ userId: 'p-1' });
    const rest = await t.call('GET', '/challenge/v1/challenges', { user: 'p-1' });
    expect(result.userId).toBe('p-1');
    expect(result.challenges.map((c) => c.goals.length)).toEqual(
      rest.body.challenges.map((c: { goals: unknown[] }) => c.goals.length),
    );
    expect(await goal('p-1', 'tutorial')).toMatchObject({ isActive: true, status: 'not_started' });
    expect((await goal('p-1', 'tutorial')).assignedAt).not.toBe('');
    expect(await goal('p-1', 'kill-10')).toMatchObject({ isActive: false, assignedAt: '' });
    expect((await goal('p-1', 'daily-reset')).expiresAt).not.toBe('');
  });

  it('setActive, resetGoal and deleteData change what the player sees', async () => {
    await editor.player.setActive.mutate({
      userId: 'p-2',
      challengeId: 'season',
      goalId: 'kill-10',
      isActive: true,
    });
    const rest = await t.call('GET', '/challenge/v1/challenges?active_only=true', { user: 'p-2' });
    expect(rest.body.challenges[0].goals.map((g: { goalId: string }) => g.goalId)).toEqual([
      'kill-10',
    ]);

    await setProgress(t, 'p-2', 'kill-10', { progress: 10, status: 'claimed' });
    const reset = await editor.player.resetGoal.mutate({ userId: 'p-2', goalId: 'kill-10' });
    expect(reset).toEqual({ userId: 'p-2', goalId: 'kill-10', reset: true });
    expect(await goal('p-2', 'kill-10')).toMatchObject({
      progress: 0,
      status: 'not_started',
      claimedAt: '',
      completedAt: '',
      isActive: true,
    });
    expect(await editor.player.resetGoal.mutate({ userId: 'p-2', goalId: 'reach-5' })).toEqual({
      userId: 'p-2',
      goalId: 'reach-5',
      reset: false,
    });

    expect(await editor.player.deleteData.mutate({ userId: 'p-2' })).toEqual({ deletedRows: 1 });
    expect(await goal('p-2', 'kill-10')).toMatchObject({ isActive: false, assignedAt: '' });
  });
});
