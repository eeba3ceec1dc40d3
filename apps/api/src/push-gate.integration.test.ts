import { randomUUID } from 'node:crypto';
import { type StreamEvent, type Subscription, subscribe } from '@challenges/client';
import {
  PUSH_GATE_MAX_AGE_MS,
  PUSH_REPLAY_WINDOW_MS,
  PUSH_SHARDS,
  pushLastKey,
  pushListenersKey,
  pushShardOf,
  pushStreamKey,
} from '@challenges/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SpawnedService } from './testing/spawn-service.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from './testing/test-api.ts';
import { spawnWorker } from './testing/test-stack.ts';

// The publish gate (docs/push.md): the worker names a batch's players in the push streams only
// while some api replica holds a stream, or held one within the replay window.
const BASE = '/challenge/v1';
const prefix = `t18a-gate-${process.pid}-${randomUUID()}`;

let t: TestApi;
let worker: SpawnedService;
let redis: Redis;
let subscription: Subscription | undefined;

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379');
  t = await startTestApi({ QUEUE_PREFIX: prefix });
  ({ worker } = await spawnWorker(
    { DATABASE_URL: t.databaseUrl, QUEUE_PREFIX: prefix },
    'worker consuming event partitions',
  ));
}, 120_000);

afterAll(async () => {
  subscription?.close();
  await worker?.stop();
  await t?.close();
  const keys = await redis.keys(`${prefix}:push:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** Entries in all the shard streams. */
async function entries(): Promise<number> {
  const lengths = await Promise.all(
    Array.from({ length: PUSH_SHARDS }, (_, shard) => redis.xlen(pushStreamKey(prefix, shard))),
  );
  return lengths.reduce((sum, n) => sum + n, 0);
}

const lastChange = (user: string) => redis.get(pushLastKey(prefix, pushShardOf(user), user));

const wins = new Map<string, number>();
/** One win for the player; resolves once the worker committed it. */
async function win(user: string) {
  const expected = (wins.get(user) ?? 0) + 1;
  wins.set(user, expected);
  const event = { id: randomUUID(), type: 'stat', userId: user, statCode: 'wins', value: 1 };
  const res = await t.call('POST', `${BASE}/events`, {
    body: { events: [event] },
    headers: { 'x-api-key': TEST_INGEST_KEY },
  });
  expect(res.status).toBe(202);
  await vi.waitFor(
    async () => {
      const rows = await t.api.ctx.progress.listByUser(user);
      const row = rows.find((r) => r.goalId === 'daily-keep');
      if (row?.progress !== expected) throw new Error(`progress ${row?.progress}`);
    },
    { timeout: 20_000, interval: 25 },
  );
}

describe('the publish gate', { timeout: 90_000 }, () => {
  const player = `t18a-gate-${randomUUID()}`;
  const other = `t18a-gate-other-${randomUUID()}`;

  it('writes no push entry for a batch while no stream was ever opened', async () => {
    // Both players initialized: the api's own writes are behind the same gate.
    for (const user of [player, other]) {
      expect((await t.call('POST', `${BASE}/challenges/initialize`, { user })).status).toBe(200);
    }
    const before = await entries();
    const announced = await lastChange(player);
    // Two batches in a row: the first one's publish (if any) was sent before the second commit.
    await win(player);
    await win(player);
    expect(await redis.exists(pushListenersKey(prefix))).toBe(0);
    expect(await entries()).toBe(before);
    expect(await lastChange(player)).toBe(announced);
    expect(announced).toBeNull();
  });

  it('writes entries while a stream is open, and a replay window after it closed', async () => {
    const events: StreamEvent[] = [];
    subscription = subscribe(
      { baseUrls: [t.url('')], mockUserId: other },
      { onEvent: (event) => events.push(event) },
    );
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), { timeout: 15_000 });
    // Right as the gate opens the worker may still skip this commit (its view is up to 1 s
    // old): the replica re-derives the stream's player once the workers have seen the key.
    await win(other);
    await vi.waitFor(
      () => {
        const won = events.some(
          (e) =>
            e.type === 'change' &&
            e.goals.some((g) => g.goalId === 'daily-keep' && g.progress === 1),
        );
        if (!won) throw new Error('no change');
      },
      { timeout: 5_000, interval: 25 },
    );
    // The key holds Redis's clock when the gate opened; workers may go on skipping for as long
    // as their view of it may be stale (the stream's own player is re-derived after that).
    const since = await vi.waitFor(async () => {
      const value = await redis.get(pushListenersKey(prefix));
      if (value === null) throw new Error('gate closed');
      return Number(value);
    });
    await vi.waitFor(
      async () => {
        const [seconds, micros] = await redis.time();
        const now = Number(seconds) * 1000 + Number(micros) / 1000;
        if (now <= since + PUSH_GATE_MAX_AGE_MS) throw new Error('gate still settling');
      },
      { timeout: 5_000, interval: 50 },
    );

    // The stream is another player's: only the worker names this one.
    const before = await lastChange(player);
    await win(player);
    const open = await vi.waitFor(
      async () => {
        const id = await lastChange(player);
        if (id === before) throw new Error('not published');
        return id;
      },
      { timeout: 5_000, interval: 25 },
    );

    subscription.close();
    await vi.waitFor(() => expect(t.api.push.hub?.connections()).toBe(0), { timeout: 10_000 });
    // The key outlives the last stream by the replay window.
    const ttl = await redis.pttl(pushListenersKey(prefix));
    expect(ttl).toBeGreaterThan(PUSH_REPLAY_WINDOW_MS - 60_000);
    await win(player);
    await vi.waitFor(
      async () => {
        if ((await lastChange(player)) === open) throw new Error('not published');
      },
      { timeout: 5_000, interval: 25 },
    );
  });
});
