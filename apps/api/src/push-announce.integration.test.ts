import { randomUUID } from 'node:crypto';
import { type StreamEvent, type Subscription, subscribe } from '@challenges/client';
import { credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServiceClient, type SetGoalActiveResponse } from './gen/service/service.js';
import { writeChallengesFile } from './testing/definitions-fixtures.ts';
import { setProgress, startTestApi, type TestApi } from './testing/test-api.ts';
import { signedIn, type TrpcTestClient } from './testing/trpc-client.ts';

// Writes announced to the push streams (docs/push.md) by the use cases: the player's own (REST
// and gRPC alike), a dashboard reset, and a publish, which announces every streamed player.
const BASE = '/challenge/v1';

const goal = (goalId: string, targetValue: number, defaultAssigned = true) => ({
  goalId,
  name: goalId,
  eventSource: 'statistic',
  requirement: { statCode: 'kills', targetValue, progressMode: 'absolute' },
  reward: { type: 'ITEM', rewardId: 'badge', quantity: 1 },
  defaultAssigned,
});
const content = (killsTarget: number) => ({
  challenges: [
    {
      challengeId: 'c',
      name: 'C',
      goals: [goal('kills', killsTarget), goal('optional', 5, false)],
    },
  ],
});

let t: TestApi;
let editor: TrpcTestClient;
const subscriptions: Subscription[] = [];

beforeAll(async () => {
  const path = writeChallengesFile('t18a-announce', content(100));
  t = await startTestApi({
    CHALLENGES_FILE: path,
    QUEUE_PREFIX: `t18a-announce-${process.pid}-${randomUUID()}`,
    ADMIN_EMAIL: 'push@example.com',
    ADMIN_PASSWORD: 'push-password-1',
  });
  editor = (await signedIn(t, 'push@example.com', 'push-password-1')).client;
}, 120_000);

afterAll(async () => {
  for (const s of subscriptions) s.close();
  await t?.close();
});

type Goal = { goalId: string; progress: number; status: string; isActive: boolean };

/** An initialized player with an open SSE stream, past its snapshot. */
async function streamed(user: string) {
  expect((await t.call('POST', `${BASE}/challenges/initialize`, { user })).status).toBe(200);
  const events: StreamEvent[] = [];
  const sub = subscribe(
    { baseUrls: [t.url('')], mockUserId: user },
    { onEvent: (event) => events.push(event) },
  );
  subscriptions.push(sub);
  await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), { timeout: 15_000 });
  /** Waits for a change event with a goal matching `want`. */
  const change = (want: Partial<Goal>) =>
    vi.waitFor(
      () => {
        const found = events.some(
          (e) => e.type === 'change' && e.goals.some((g) => matches(g as Goal, want)),
        );
        if (!found) throw new Error(`no change ${JSON.stringify(want)} in ${events.length}`);
      },
      { timeout: 15_000, interval: 20 },
    );
  /** Waits for a later snapshot whose `kills` goal has this target. */
  const snapshotWith = (target: number) =>
    vi.waitFor(
      () => {
        const found = events
          .slice(1)
          .some(
            (e) =>
              e.type === 'snapshot' &&
              e.challenges.some((c) =>
                c.goals.some((g) => g.goalId === 'kills' && g.requirement.targetValue === target),
              ),
          );
        if (!found) throw new Error(`no snapshot with target ${target} in ${events.length}`);
      },
      { timeout: 15_000, interval: 20 },
    );
  return { events, change, snapshotWith };
}

const matches = (g: Goal, want: Partial<Goal>) =>
  Object.entries(want).every(([k, v]) => g[k as keyof Goal] === v);

describe('writes announced to the streams', { timeout: 60_000 }, () => {
  it('pushes a REST activation and a gRPC deactivation of the player', async () => {
    const user = `t18a-own-${randomUUID()}`;
    const { change } = await streamed(user);
    const put = await t.call('PUT', `${BASE}/challenges/c/goals/optional/active`, {
      user,
      body: { isActive: true },
    });
    expect(put.status).toBe(200);
    await change({ goalId: 'optional', isActive: true });

    const grpc = new ServiceClient(t.grpcAddress, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('x-mock-user-id', user);
    await new Promise<SetGoalActiveResponse>((resolve, reject) =>
      grpc.setGoalActive(
        { challengeId: 'c', goalId: 'optional', isActive: false },
        metadata,
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    );
    grpc.close();
    await change({ goalId: 'optional', isActive: false });
  });

  it('pushes a dashboard reset of the player (tRPC)', async () => {
    const user = `t18a-reset-${randomUUID()}`;
    await t.call('POST', `${BASE}/challenges/initialize`, { user });
    await setProgress(t, user, 'kills', { progress: 7, status: 'in_progress' });
    const { events, change } = await streamed(user);
    expect(JSON.stringify(events[0])).toContain('"progress":7');
    const reset = await editor.player.resetGoal.mutate({ userId: user, goalId: 'kills' });
    expect(reset.reset).toBe(true);
    await change({ goalId: 'kills', progress: 0, status: 'not_started' });
  });

  it('sends every streamed player a snapshot with the new target after a publish', async () => {
    const users = [`t18a-pub-${randomUUID()}`, `t18a-pub-${randomUUID()}`];
    const streams = [];
    for (const user of users) {
      await t.call('POST', `${BASE}/challenges/initialize`, { user });
      streams.push(await streamed(user));
    }
    await editor.challenge.updateDraft.mutate({ content: content(3) });
    await editor.challenge.publish.mutate({ note: 'kills: target 3' });
    // The new target is in the definitions: the streams get them as a snapshot.
    await Promise.all(streams.map((s) => s.snapshotWith(3)));
  });

  it('sends the new target when a scheduled publish executes', async () => {
    const { snapshotWith } = await streamed(`t18a-sched-${randomUUID()}`);
    await editor.challenge.updateDraft.mutate({ content: content(4) });
    // The poller runs each second on the replica; the stream hears of it on every replica.
    const publishAt = new Date(Date.now() + 1500).toISOString();
    await editor.challenge.schedulePublish.mutate({ publishAt, note: 'kills: target 4' });
    await snapshotWith(4);
  });
});
