import type { Clock } from '@challenges/runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';
import { type IndependentClient, independentClient } from './testing/independent-client.ts';
import { expectSame, ops } from './testing/parity.ts';

// Every test runs one scenario twice, for the twin players <name>-rest over REST and
// <name>-grpc over gRPC, through a client built from the original's field numbers alone.
let t: TestApi;
let client: IndependentClient;
let now: Date;

beforeAll(async () => {
  t = await startTestApi();
  client = independentClient(t.grpcAddress);
  // A frozen clock makes the twins' timestamps (assignedAt, claimedAt, expiresIn…) equal.
  const clock: Clock = { ...t.api.ctx.clock, now: () => now };
  t.api.ctx.clock = clock;
  // Random selection picks the same goals for both twins.
  t.api.ctx.randomInt = () => 0;
});
beforeEach(() => {
  now = new Date(Math.floor(Date.now() / 1000) * 1000);
});
afterAll(async () => {
  client?.close();
  await t?.close();
});

const OK = 0;
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const UNAUTHENTICATED = 16;
const LONG_ID = 'x'.repeat(129);

async function seed(name: string, goalId: string, change: Parameters<typeof setProgress>[3]) {
  await setProgress(t, `${name}-rest`, goalId, change);
  await setProgress(t, `${name}-grpc`, goalId, change);
}

describe('player gRPC facade answers as REST does', () => {
  it('GetUserChallenges and InitializePlayer', async () => {
    const name = 'list';
    const before = await expectSame(t, client, name, ops.list(), OK);
    expect(before.rest.body.challenges.length).toBeGreaterThan(1);
    await expectSame(t, client, name, ops.list(true), OK);
    const first = await expectSame(t, client, name, ops.initialize(), OK);
    expect(first.rest.body.newAssignments).toBeGreaterThan(0);
    const again = await expectSame(t, client, name, ops.initialize(), OK);
    expect(again.rest.body.newAssignments).toBe(0);
    await seed(name, 'tutorial', { progress: 1, status: 'completed' });
    const after = await expectSame(t, client, name, ops.list(), OK);
    expect(after.rest.body.challenges[0].goals[0]).toMatchObject({ status: 'completed' });
    const active = await expectSame(t, client, name, ops.list(true), OK);
    expect(active.rest.body.challenges.length).toBeGreaterThan(0);
  });

  it('SetGoalActive, with unknown ids and bad input', async () => {
    const name = 'active';
    await expectSame(t, client, name, ops.setActive('season', 'kill-10', true), OK);
    await expectSame(t, client, name, ops.setActive('season', 'kill-10', false), OK);
    await expectSame(t, client, name, ops.setActive('season', 'nope', true), NOT_FOUND);
    await expectSame(t, client, name, ops.setActive('nope', 'kill-10', true), NOT_FOUND);
    await expectSame(t, client, name, ops.setActive('pool', 'kill-10', true), NOT_FOUND);
    await expectSame(t, client, name, ops.setActive('season', LONG_ID, true), INVALID_ARGUMENT);
    await expectSame(t, client, name, ops.list(), OK);
  });

  it('ClaimGoalReward and each refusal in the contract’s order', async () => {
    const name = 'claim';
    await expectSame(t, client, name, ops.claim('season', 'nope'), NOT_FOUND);
    await expectSame(t, client, name, ops.claim('pool', 'tutorial'), NOT_FOUND);
    await expectSame(t, client, name, ops.claim('season', 'tutorial'), FAILED_PRECONDITION);
    await expectSame(t, client, name, ops.claim(LONG_ID, 'tutorial'), INVALID_ARGUMENT);
    await expectSame(t, client, name, ops.initialize(), OK);
    const notDone = await expectSame(t, client, name, ops.claim('season', 'tutorial'), 9);
    expect(notDone.rest.body.errorCode).toBe('NOT_COMPLETED');

    await expectSame(t, client, name, ops.setActive('season', 'kill-10', true), OK);
    await seed(name, 'kill-10', { progress: 10, status: 'completed' });
    const prereq = await expectSame(t, client, name, ops.claim('season', 'kill-10'), 9);
    expect(prereq.rest.body.errorCode).toBe('PREREQUISITES_NOT_MET');

    await seed(name, 'tutorial', { progress: 1, status: 'completed' });
    const claimed = await expectSame(t, client, name, ops.claim('season', 'tutorial'), OK);
    expect(claimed.rest.body).toMatchObject({ status: 'claimed', delivery: 'granted' });
    const twice = await expectSame(t, client, name, ops.claim('season', 'tutorial'), 6);
    expect(twice.rest.body.errorCode).toBe('ALREADY_CLAIMED');

    await expectSame(t, client, name, ops.setActive('season', 'kill-10', false), OK);
    const inactive = await expectSame(t, client, name, ops.claim('season', 'kill-10'), 9);
    expect(inactive.rest.body.errorCode).toBe('GOAL_INACTIVE');

    await seed(name, 'daily-reset', { progress: 2, status: 'completed' });
    now = new Date(now.getTime() + 86_400_000);
    const rotated = await expectSame(t, client, name, ops.claim('daily', 'daily-reset'), 9);
    expect(rotated.rest.body.errorCode).toBe('GOAL_ROTATED');
    await expectSame(t, client, name, ops.list(), OK);
  });

  it('ClaimGoalReward of a goal rotated since, after the next day’s login: GOAL_ROTATED (9)', async () => {
    const name = 'rotated-login';
    await expectSame(t, client, name, ops.initialize(), OK);
    await seed(name, 'daily-reset', { progress: 2, status: 'completed' });
    now = new Date(now.getTime() + 86_400_000);
    // InitializePlayer writes the reopened row back in the new period before the claim.
    await expectSame(t, client, name, ops.initialize(), OK);
    const rotated = await expectSame(t, client, name, ops.claim('daily', 'daily-reset'), 9);
    expect(rotated.rest.body.errorCode).toBe('GOAL_ROTATED');
    expect(rotated.grpc).toMatchObject({
      ok: false,
      code: FAILED_PRECONDITION,
      errorCode: 'GOAL_ROTATED',
      details: 'Goal has rotated and must be re-completed (goal_id: daily-reset)',
    });
  });

  it('concurrent ClaimGoalReward: one OK, the rest ALREADY_EXISTS, one grant', async () => {
    const user = 'race-grpc';
    await client.call('InitializePlayer', {}, { user });
    await setProgress(t, user, 'login-3', { progress: 3, status: 'completed' });
    const request = { challengeId: 'season', goalId: 'login-3' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.call('ClaimGoalReward', request, { user })),
    );
    const codes = answers.map((a) => (a.ok ? OK : a.code)).sort((a, b) => a - b);
    expect(codes).toEqual([OK, ...Array(7).fill(ALREADY_EXISTS)]);
    expect(await t.api.ctx.rewardGrants.findByKey(`${user}:login-3:once`)).toBeTruthy();
    expect(await t.api.ctx.rewardGrants.mockReceipt.countByKey(`${user}:login-3:once`)).toBe(1);
  });

  it('BatchSelectGoals, with empty, unknown and foreign goals', async () => {
    const name = 'batch';
    await expectSame(t, client, name, ops.batch('pool', ['pool-1', 'pool-2', 'pool-1']), OK);
    const replaced = await expectSame(t, client, name, ops.batch('pool', ['pool-3'], true), OK);
    expect(replaced.rest.body.replacedGoals).toEqual(['pool-1', 'pool-2']);
    await expectSame(t, client, name, ops.batch('pool', []), INVALID_ARGUMENT);
    await expectSame(t, client, name, ops.batch('pool', [LONG_ID]), INVALID_ARGUMENT);
    await expectSame(t, client, name, ops.batch('nope', ['pool-1']), NOT_FOUND);
    await expectSame(t, client, name, ops.batch('pool', ['pool-1', 'nope']), NOT_FOUND);
    await expectSame(t, client, name, ops.batch('pool', ['tutorial']), NOT_FOUND);
    await expectSame(t, client, name, ops.list(true), OK);
  });

  it('RandomSelectGoals, down to an empty pool', async () => {
    const name = 'random';
    await expectSame(t, client, name, ops.random('pool', 0, {}), INVALID_ARGUMENT);
    await expectSame(t, client, name, ops.random('pool', -1, {}), INVALID_ARGUMENT);
    await expectSame(t, client, name, ops.random('nope', 1, {}), NOT_FOUND);
    await expectSame(t, client, name, ops.random('pool', 2, { exclude: true }), OK);
    const rest = await expectSame(t, client, name, ops.random('pool', 9, { exclude: true }), OK);
    expect(rest.rest.body.selectedGoals).toHaveLength(3);
    const empty = await expectSame(t, client, name, ops.random('pool', 1, { exclude: true }), 9);
    expect(empty.rest.body.errorCode).toBe('INSUFFICIENT_GOALS');
    await expectSame(t, client, name, ops.random('pool', 2, { replace: true }), 9);
  });

  it('GetRotationStatus: rotating, not rotating, unknown', async () => {
    const name = 'rotation';
    const daily = await expectSame(t, client, name, ops.rotation('daily'), OK);
    expect(daily.rest.body.rotation.currentPeriod).not.toBeNull();
    const none = await expectSame(t, client, name, ops.rotation('season'), OK);
    expect(none.rest.body.rotation).toMatchObject({ enabled: false, currentPeriod: null });
    await expectSame(t, client, name, ops.rotation('nope'), NOT_FOUND);
    await expectSame(t, client, name, ops.rotation(LONG_ID), INVALID_ARGUMENT);
  });
});

describe('player gRPC auth', () => {
  const calls: [string, object][] = [
    ['GetUserChallenges', {}],
    ['InitializePlayer', {}],
    ['SetGoalActive', { challengeId: 'season', goalId: 'kill-10', isActive: true }],
    ['ClaimGoalReward', { challengeId: 'season', goalId: 'tutorial' }],
    ['BatchSelectGoals', { challengeId: 'pool', goalIds: ['pool-1'] }],
    ['RandomSelectGoals', { challengeId: 'pool', count: 1 }],
    ['GetRotationStatus', { challengeId: 'daily' }],
  ];

  it('every player method refuses missing or empty credentials with UNAUTHENTICATED', async () => {
    for (const [method, request] of calls) {
      for (const auth of [{}, { user: '' }, { user: '   ' }]) {
        const answer = await client.call(method, request, auth);
        expect(answer, `${method} ${JSON.stringify(auth)}`).toMatchObject({
          ok: false,
          code: UNAUTHENTICATED,
          errorCode: 'UNAUTHENTICATED',
        });
      }
    }
    const rest = await t.call('GET', '/challenge/v1/challenges');
    expect(rest.body.code).toBe(UNAUTHENTICATED);
  });

  it('HealthCheck needs no credentials and answers as /healthz', async () => {
    const rest = await t.call('GET', '/healthz');
    expect(rest.status).toBe(200);
    expect(await client.call('HealthCheck')).toEqual({ ok: true, value: rest.body });
  });
});
