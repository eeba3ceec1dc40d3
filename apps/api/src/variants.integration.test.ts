import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type InitializeResponse, ServiceClient } from './gen/service/service.js';
import { TEST_INGEST_KEY, type TestApi } from './testing/test-api.ts';
import { startTestStack, type TestStack } from './testing/test-stack.ts';
import { signedIn, type TrpcTestClient } from './testing/trpc-client.ts';

// A/B variants through the real api and a real worker process (docs/definitions.md, "A/B
// variants"): fixtures/challenges.variants.json, goal kills-ab (easy: 3 of 4 players, target 2,
// 10 GOLD; hard: target 4, a SWORD; the goal itself: target 10, 50 GOLD).
const FIXTURE = fileURLToPath(
  new URL('../../../fixtures/challenges.variants.json', import.meta.url),
);
const INGEST = { 'x-api-key': TEST_INGEST_KEY };
const run = randomUUID().slice(0, 8);

let stack: TestStack;
let t: TestApi;
let editor: TrpcTestClient;

beforeAll(async () => {
  stack = await startTestStack({
    name: 'variants',
    api: {
      CHALLENGES_FILE: FIXTURE,
      ADMIN_EMAIL: 'ab@example.com',
      ADMIN_PASSWORD: 'ab-password-1',
    },
  });
  t = stack.t;
  editor = (await signedIn(t, 'ab@example.com', 'ab-password-1')).client;
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** The player's kills-ab as initialize answers it (REST). */
async function initializeKills(user: string) {
  const res = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
  expect(res.status).toBe(200);
  return res.body.assignedGoals.find((g: { goalId: string }) => g.goalId === 'kills-ab');
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

async function kill(user: string) {
  const event = { id: randomUUID(), type: 'stat', userId: user, statCode: 'ab_kills', inc: 1 };
  const res = await t.call('POST', '/challenge/v1/events', {
    body: { events: [event] },
    headers: INGEST,
  });
  expect(res.status).toBe(202);
}

/** The player's kills-ab in the list, once `check` holds (events are applied by the worker). */
async function listedKills(user: string, check: (goal: any) => boolean) {
  return vi.waitFor(
    async () => {
      const res = await t.call('GET', '/challenge/v1/challenges', { user });
      const goal = res.body.challenges[0].goals.find((g: any) => g.goalId === 'kills-ab');
      if (!check(goal)) throw new Error(JSON.stringify(goal));
      return goal;
    },
    { timeout: 20_000, interval: 50 },
  );
}

const variantOf = new Map<string, string>();

describe('A/B variants through the api', () => {
  it('lands 2,000 players in the variants by weight (3:1 within 4 standard deviations)', async () => {
    const users = Array.from({ length: 2_000 }, (_, i) => `ab-${run}-${i}`);
    await inParallel(users, 8, async (user) => {
      const goal = await initializeKills(user);
      variantOf.set(user, goal.variantId);
    });
    const easy = [...variantOf.values()].filter((v) => v === 'easy').length;
    const hard = [...variantOf.values()].filter((v) => v === 'hard').length;
    expect(easy + hard).toBe(2_000);
    // n·p·(1−p) = 375: sd ≈ 19.4 players.
    expect(Math.abs(easy - 1_500)).toBeLessThan(78);
    const funnel = await editor.challenge.funnel.query({ challengeId: 'arena-ab' });
    const kills = funnel.goals.find((g) => g.goalId === 'kills-ab')!;
    expect(kills.variants.map((v) => [v.variantId, v.assigned, v.active, v.targetValue])).toEqual([
      ['easy', easy, easy, 2],
      ['hard', hard, hard, 4],
    ]);
  }, 240_000);

  it('shows each player the variant’s target, reward and text in list and initialize (REST)', async () => {
    const [easyUser] = [...variantOf].find(([, v]) => v === 'easy')!;
    const [hardUser] = [...variantOf].find(([, v]) => v === 'hard')!;
    const easy = await initializeKills(easyUser);
    expect(easy).toMatchObject({
      variantId: 'easy',
      name: 'Defeat 2 enemies',
      target: 2,
      requirement: { targetValue: 2 },
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
    });
    const listed = await listedKills(hardUser, () => true);
    expect(listed).toMatchObject({
      variantId: 'hard',
      name: 'Defeat 4 enemies',
      description: 'The goal as defined; its variants override target, reward and text',
      requirement: { targetValue: 4 },
      reward: { type: 'ITEM', rewardId: 'SWORD', quantity: 1 },
    });
    // A goal without variants carries no variantId key.
    const plain = await t.call('GET', '/challenge/v1/challenges', { user: hardUser });
    const wins = plain.body.challenges[0].goals.find((g: any) => g.goalId === 'wins-plain');
    expect(wins).not.toHaveProperty('variantId');
  });

  it('answers the variant over gRPC (variant_id) with its target', async () => {
    const [easyUser] = [...variantOf].find(([, v]) => v === 'easy')!;
    const client = new ServiceClient(t.grpcAddress, credentials.createInsecure());
    try {
      const metadata = new Metadata();
      metadata.set('x-mock-user-id', easyUser);
      const answer = await new Promise<InitializeResponse>((resolve, reject) =>
        client.initializePlayer({}, metadata, (error, value) =>
          error ? reject(error) : resolve(value!),
        ),
      );
      const goal = answer.assignedGoals.find((g) => g.goalId === 'kills-ab')!;
      expect(goal).toMatchObject({ variantId: 'easy', target: 2, name: 'Defeat 2 enemies' });
      expect(answer.assignedGoals.find((g) => g.goalId === 'login-ab')!.variantId).toMatch(
        /^(plain|streak)$/,
      );
    } finally {
      client.close();
    }
  });

  it('completes each player at the variant’s target; a claim grants the variant’s reward', async () => {
    const [easyUser] = [...variantOf].find(([, v]) => v === 'easy')!;
    const [hardUser] = [...variantOf].find(([, v]) => v === 'hard')!;
    for (const user of [easyUser, hardUser]) {
      await kill(user);
      await kill(user);
    }
    await listedKills(easyUser, (g) => g.status === 'completed' && g.progress === 2);
    await listedKills(hardUser, (g) => g.status === 'in_progress' && g.progress === 2);
    await kill(hardUser);
    await kill(hardUser);
    await listedKills(hardUser, (g) => g.status === 'completed' && g.progress === 4);

    const claimed = await t.call('POST', '/challenge/v1/challenges/arena-ab/goals/kills-ab/claim', {
      user: easyUser,
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      variantId: 'easy',
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
    });
    const hard = await t.call('POST', '/challenge/v1/challenges/arena-ab/goals/kills-ab/claim', {
      user: hardUser,
    });
    expect(hard.body).toMatchObject({ variantId: 'hard', reward: { rewardId: 'SWORD' } });
    const grants = await t.api.ctx.rewardGrants.mockReceipt.countByUser(easyUser);
    expect(grants).toBe(1);

    const funnel = await editor.challenge.funnel.query({ challengeId: 'arena-ab' });
    const kills = funnel.goals.find((g) => g.goalId === 'kills-ab')!;
    for (const v of kills.variants) {
      expect(v.completed).toBe(1);
      expect(v.claimed).toBe(1);
      expect(v.claimRate).toBe(1);
      expect(v.medianSecondsToComplete).toBeGreaterThan(0);
    }
  });

  it('keeps every player’s variant across re-initialize and a re-weighting publish', async () => {
    const sample = [...variantOf].slice(0, 40);
    const file = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    // Now nearly everyone new would land in hard.
    file.challenges[0].goals[0].variants[0].weight = 1;
    file.challenges[0].goals[0].variants[1].weight = 1_000;
    await editor.challenge.updateDraft.mutate({ content: file });
    await editor.challenge.publish.mutate({ note: 're-weight kills-ab' });
    await vi.waitFor(
      () => {
        const goal = t.api.ctx.definitions.current().goalsById.get('kills-ab')!;
        if (goal.variants![1]!.weight !== 1_000) throw new Error('not live yet');
      },
      { timeout: 10_000, interval: 50 },
    );
    for (const [user, variant] of sample) {
      expect((await initializeKills(user)).variantId).toBe(variant);
    }
    const newcomers = Array.from({ length: 50 }, (_, i) => `ab-new-${run}-${i}`);
    let hard = 0;
    for (const user of newcomers) if ((await initializeKills(user)).variantId === 'hard') hard++;
    expect(hard).toBeGreaterThanOrEqual(48);
  });
});
