import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IndependentClient, independentClient } from './grpc/testing/independent-client.ts';
import { writeChallengesFile } from './testing/definitions-fixtures.ts';
import { playerToken, TEST_JWT_SECRET } from './testing/player-tokens.ts';
import { startTestApi, type TestApi } from './testing/test-api.ts';
import { startTestStack, type TestStack } from './testing/test-stack.ts';

// Audiences end to end (docs/definitions.md#audiences): attributes from PUT and from JWT
// claims, REST and gRPC reads, assignment refusals, and events through a real worker process.
const INGEST = { 'x-api-key': 'audience-ingest-key-0123456789abcdef' };
const BASE = '/challenge/v1';

const goal = (goalId: string, extra: object = {}) => ({
  goalId,
  name: goalId,
  eventSource: 'statistic',
  requirement: { statCode: 'kills', targetValue: 100, progressMode: 'absolute' },
  reward: { type: 'ITEM', rewardId: 'badge', quantity: 1 },
  defaultAssigned: true,
  ...extra,
});

function challengesFile(): string {
  const file = {
    challenges: [
      { challengeId: 'open', name: 'Open', goals: [goal('open-kills')] },
      {
        challengeId: 'eu',
        name: 'EU only',
        audience: { all: [{ attr: 'country', in: ['DE', 'FR'] }] },
        goals: [
          goal('eu-kills'),
          goal('eu-vip', {
            defaultAssigned: false,
            audience: { any: [{ attr: 'vip', in: [true] }] },
          }),
        ],
      },
    ],
  };
  return writeChallengesFile('audiences', file);
}

let stack: TestStack;
let t: TestApi;
let jwtApi: TestApi;
let grpc: IndependentClient;
const file = challengesFile();

beforeAll(async () => {
  stack = await startTestStack({
    name: 'audiences',
    api: { CHALLENGES_FILE: file, INGEST_API_KEYS: INGEST['x-api-key'] },
  });
  t = stack.t;
  grpc = independentClient(t.grpcAddress);
}, 120_000);

afterAll(async () => {
  grpc?.close();
  await jwtApi?.close();
  await stack?.close();
});

const putAttributes = (api: TestApi, id: string, body: unknown, headers = INGEST) =>
  api.call('PUT', `${BASE}/players/${id}/attributes`, { body, headers });

const visibleGoals = async (
  api: TestApi,
  call: { user?: string; headers?: Record<string, string> },
) => {
  const res = await api.call('GET', `${BASE}/challenges`, call);
  expect(res.status).toBe(200);
  return res.body.challenges.flatMap((c: any) => c.goals.map((g: any) => g.goalId)).sort();
};

async function kills(userId: string, value: number) {
  const event = { id: randomUUID(), type: 'stat', userId, statCode: 'kills', value };
  const res = await t.call('POST', `${BASE}/events`, {
    body: { events: [event] },
    headers: INGEST,
  });
  expect(res.status).toBe(202);
}

const rowsOf = async (userId: string) =>
  Object.fromEntries(
    (await t.api.ctx.progress.listByUser(userId)).map((r) => [
      r.goalId,
      { progress: r.progress, isActive: r.isActive },
    ]),
  );

/** Waits until the worker moved open-kills (the batch is applied as a whole). */
const openKillsAt = (userId: string, progress: number) =>
  vi.waitFor(
    async () => {
      const row = (await rowsOf(userId))['open-kills'];
      if (row?.progress !== progress) throw new Error(`open-kills: ${JSON.stringify(row)}`);
    },
    { timeout: 20_000, interval: 50 },
  );

describe('PUT /v1/players/{id}/attributes', () => {
  it('needs an ingest key and a valid body (standard error body)', async () => {
    expect((await putAttributes(t, 'p', { attributes: {} }, { 'x-api-key': 'wrong' })).status).toBe(
      401,
    );
    for (const body of [
      {},
      { attributes: { country: ['DE'] } },
      { attributes: { 'bad key': 1 } },
      { attributes: { a: 1 }, extra: true },
      { attributes: { level: 'x'.repeat(257) } },
    ]) {
      const res = await putAttributes(t, 'p', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({
        errorCode: 'INVALID_ARGUMENT',
        message: expect.any(String),
      });
    }
    const ok = await putAttributes(t, 'p', { attributes: { country: 'DE', level: 3, vip: false } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      userId: 'p',
      attributes: { country: 'DE', level: 3, vip: false },
      deactivatedGoals: 0,
    });
  });
});

describe('a challenge with an audience', () => {
  it('is seen, assigned and progressed only by players inside it, over REST and gRPC', async () => {
    await putAttributes(t, 'alice', { attributes: { country: 'DE' } });
    await putAttributes(t, 'bob', { attributes: { country: 'US' } });
    expect(await visibleGoals(t, { user: 'alice' })).toEqual(['eu-kills', 'open-kills']);
    expect(await visibleGoals(t, { user: 'bob' })).toEqual(['open-kills']);
    expect(await visibleGoals(t, { user: 'nobody' })).toEqual(['open-kills']);
    const viaGrpc = await grpc.call('getUserChallenges', {}, { user: 'bob' });
    expect(viaGrpc.ok && viaGrpc.value.challenges.map((c: any) => c.challengeId)).toEqual(['open']);

    const init = await t.call('POST', `${BASE}/challenges/initialize`, { user: 'bob' });
    expect(init.body.assignedGoals.map((g: any) => g.goalId)).toEqual(['open-kills']);
    await t.call('POST', `${BASE}/challenges/initialize`, { user: 'alice' });

    // Never assigned: a clear error, on every way in.
    const refused = await t.call('PUT', `${BASE}/challenges/eu/goals/eu-kills/active`, {
      user: 'bob',
      body: { isActive: true },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toBe("challenge 'eu' is not available to this player (audience)");
    const vip = await t.call('POST', `${BASE}/challenges/eu/goals/batch-select`, {
      user: 'alice',
      body: { goalIds: ['eu-vip'] },
    });
    expect(vip.body.message).toBe(
      "goal 'eu-vip' of challenge 'eu' is not available to this player (audience)",
    );
    const random = await t.call('POST', `${BASE}/challenges/eu/goals/random-select`, {
      user: 'bob',
      body: { count: 1 },
    });
    expect(random.status).toBe(404);
    const rotation = await t.call('GET', `${BASE}/challenges/eu/rotation`, { user: 'bob' });
    expect(rotation.status).toBe(404);
    expect((await t.call('GET', `${BASE}/challenges/eu/rotation`, { user: 'alice' })).status).toBe(
      200,
    );
    const viaGrpcRotation = await grpc.call(
      'getRotationStatus',
      { challengeId: 'eu' },
      { user: 'bob' },
    );
    expect(viaGrpcRotation).toMatchObject({ ok: false, code: 5 });
    const viaGrpcSet = await grpc.call(
      'setGoalActive',
      { challengeId: 'eu', goalId: 'eu-kills', isActive: true },
      { user: 'bob' },
    );
    expect(viaGrpcSet).toMatchObject({ ok: false, code: 5 });

    // An event for a player outside the audience changes nothing of it.
    await kills('bob', 7);
    await kills('alice', 7);
    await openKillsAt('bob', 7);
    await openKillsAt('alice', 7);
    expect(await rowsOf('bob')).toEqual({ 'open-kills': { progress: 7, isActive: true } });
    expect((await rowsOf('alice'))['eu-kills']).toEqual({ progress: 7, isActive: true });
  }, 60_000);

  it('moving a player out deactivates their rows; events no longer move them', async () => {
    await putAttributes(t, 'carol', { attributes: { country: 'FR', vip: true } });
    await t.call('POST', `${BASE}/challenges/initialize`, { user: 'carol' });
    const selected = await t.call('POST', `${BASE}/challenges/eu/goals/batch-select`, {
      user: 'carol',
      body: { goalIds: ['eu-vip'] },
    });
    expect(selected.status).toBe(200);
    expect(await visibleGoals(t, { user: 'carol' })).toEqual(['eu-kills', 'eu-vip', 'open-kills']);

    const moved = await putAttributes(t, 'carol', { attributes: { country: 'US', vip: true } });
    expect(moved.body.deactivatedGoals).toBe(2);
    expect(await visibleGoals(t, { user: 'carol' })).toEqual(['open-kills']);
    await kills('carol', 9);
    await openKillsAt('carol', 9);
    expect(await rowsOf('carol')).toEqual({
      'open-kills': { progress: 9, isActive: true },
      'eu-kills': { progress: 0, isActive: false },
      'eu-vip': { progress: 0, isActive: false },
    });
  }, 60_000);
});

describe('AUDIENCE_JWT_CLAIMS', () => {
  it('copies the configured claims of a call into the attributes', async () => {
    jwtApi = await startTestApi({
      CHALLENGES_FILE: file,
      AUTH_MODE: 'jwt',
      JWT_SECRET: TEST_JWT_SECRET,
      AUDIENCE_JWT_CLAIMS: 'country, vip',
      INGEST_API_KEYS: INGEST['x-api-key'],
    });
    const as = async (claims: Record<string, unknown>) => ({
      authorization: `Bearer ${await playerToken('dora', { claims })}`,
    });
    const de = await as({ country: 'DE', role: 'ignored' });
    expect(await visibleGoals(jwtApi, { headers: de })).toEqual(['eu-kills', 'open-kills']);
    expect(await jwtApi.api.ctx.playerAttributes.get('dora')).toEqual({ country: 'DE' });
    await jwtApi.call('POST', `${BASE}/challenges/initialize`, { headers: de });
    expect((await jwtApi.api.ctx.progress.listByUser('dora')).map((r) => r.goalId).sort()).toEqual([
      'eu-kills',
      'open-kills',
    ]);

    // A token with another country: out of the audience, and the row no longer active.
    const us = await as({ country: 'US' });
    expect(await visibleGoals(jwtApi, { headers: us })).toEqual(['open-kills']);
    const rows = await jwtApi.api.ctx.progress.listByUser('dora');
    expect(rows.find((r) => r.goalId === 'eu-kills')?.isActive).toBe(false);
    // Attributes PUT by the backend stay beside the claims.
    await putAttributes(jwtApi, 'dora', { attributes: { vip: true, level: 9 } });
    await visibleGoals(jwtApi, { headers: us });
    expect(await jwtApi.api.ctx.playerAttributes.get('dora')).toEqual({
      vip: true,
      level: 9,
      country: 'US',
    });
  }, 60_000);
});
