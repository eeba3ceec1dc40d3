import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeChallengesFile } from './testing/definitions-fixtures.ts';
import { TEST_INGEST_KEY, type TestApi } from './testing/test-api.ts';
import { startTestStack, type TestStack } from './testing/test-stack.ts';
import { signedIn, type TrpcTestClient } from './testing/trpc-client.ts';

// A publish that moves an audience stops progress at once (docs/definitions.md#audiences): the
// live switch deactivates the active rows of players now outside, so a real worker process no
// longer moves them, with no initialize in between.
const INGEST = { 'x-api-key': TEST_INGEST_KEY };
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

const content = (worldAudience?: object) => ({
  challenges: [
    { challengeId: 'open', name: 'Open', goals: [goal('open-kills')] },
    {
      challengeId: 'world',
      name: 'World',
      goals: [goal('world-kills', worldAudience ? { audience: worldAudience } : {})],
    },
  ],
});

let stack: TestStack;
let t: TestApi;
let editor: TrpcTestClient;

beforeAll(async () => {
  const path = writeChallengesFile('audience-publish', content());
  stack = await startTestStack({
    name: 'audience-publish',
    api: {
      CHALLENGES_FILE: path,
      ADMIN_EMAIL: 'aud@example.com',
      ADMIN_PASSWORD: 'aud-password-1',
    },
  });
  t = stack.t;
  editor = (await signedIn(t, 'aud@example.com', 'aud-password-1')).client;
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

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

/** Waits until the worker moved the player's `goalId` to `progress` (a batch applies whole). */
const progressAt = (userId: string, goalId: string, progress: number) =>
  vi.waitFor(
    async () => {
      const row = (await rowsOf(userId))[goalId];
      if (row?.progress !== progress) throw new Error(`${goalId}: ${JSON.stringify(row)}`);
    },
    { timeout: 20_000, interval: 50 },
  );

describe('a publish that moves an audience', () => {
  it('deactivates the rows of players now outside it; events no longer move them', async () => {
    const attributes = { us: { country: 'US' }, de: { country: 'DE' } };
    for (const [user, attrs] of Object.entries(attributes)) {
      const put = await t.call('PUT', `${BASE}/players/${user}/attributes`, {
        body: { attributes: attrs },
        headers: INGEST,
      });
      expect(put.status).toBe(200);
      const init = await t.call('POST', `${BASE}/challenges/initialize`, { user });
      expect(init.status).toBe(200);
      await kills(user, 3);
      await progressAt(user, 'world-kills', 3);
    }

    await editor.challenge.updateDraft.mutate({
      content: content({ all: [{ attr: 'country', in: ['DE'] }] }),
    });
    await editor.challenge.publish.mutate({ note: 'world-kills: DE only' });

    // Right after the publish, before any event or initialize.
    expect((await rowsOf('us'))['world-kills']).toEqual({ progress: 3, isActive: false });
    expect((await rowsOf('de'))['world-kills']).toEqual({ progress: 3, isActive: true });

    await kills('us', 10);
    await kills('de', 10);
    await progressAt('us', 'open-kills', 10);
    await progressAt('de', 'world-kills', 10);
    expect(await rowsOf('us')).toEqual({
      'open-kills': { progress: 10, isActive: true },
      'world-kills': { progress: 3, isActive: false },
    });
  }, 90_000);
});
