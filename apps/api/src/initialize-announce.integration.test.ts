import { randomUUID } from 'node:crypto';
import { markPushListening, pushLastKey, pushShardOf, pushStreamKey } from '@challenges/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IndependentClient, independentClient } from './grpc/testing/independent-client.ts';
import { startTestApi, type TestApi } from './testing/test-api.ts';

// A player's writes reach their push streams (docs/push.md); an initialize that writes nothing
// (a returning player) is a read and announces nothing: no Redis script per login, and no
// re-derivation for the player's open streams.
const prefix = `test-t13h-announce-${randomUUID()}`;
let t: TestApi;
let grpc: IndependentClient;
let redis: Redis;

beforeAll(async () => {
  t = await startTestApi({ QUEUE_PREFIX: prefix });
  grpc = independentClient(t.grpcAddress);
  redis = new Redis('redis://127.0.0.1:6379');
}, 120_000);

afterAll(async () => {
  grpc?.close();
  await t?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis?.disconnect();
});

/** The entries of the player's shard stream that name the player. */
async function announcements(userId: string): Promise<number> {
  const entries = await redis.xrange(pushStreamKey(prefix, pushShardOf(userId)), '-', '+');
  return entries.filter(([, fields]) => (JSON.parse(fields[1]!) as string[]).includes(userId))
    .length;
}

/** Waits for a first announcement of `userId`: every one published before it is in Redis. */
async function announced(userId: string): Promise<void> {
  const key = pushLastKey(prefix, pushShardOf(userId), userId);
  await vi.waitFor(async () => expect(await redis.get(key)).not.toBeNull(), {
    timeout: 10_000,
    interval: 20,
  });
}

const cases = {
  REST: async (user: string) => {
    const res = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    expect(res.status).toBe(200);
    return res.body.newAssignments as number;
  },
  gRPC: async (user: string) => {
    const answer = await grpc.call('initializePlayer', {}, { user });
    if (!answer.ok) throw new Error(answer.details);
    return answer.value.newAssignments as number;
  },
};

describe('the publish gate', { timeout: 30_000 }, () => {
  it('publishes no write while no replica holds a stream, and publishes once one does', async () => {
    const unheard = `t13h-gate-${randomUUID()}`;
    expect(await cases.REST(unheard)).toBeGreaterThan(0);
    // The gate opens as a replica holding a stream opens it (docs/push.md); the api's cached
    // view of it follows within a second: fresh players' writes are announced from then on.
    await markPushListening(redis, prefix, 600_000);
    await vi.waitFor(
      async () => {
        const player = `t13h-gate-after-${randomUUID()}`;
        await cases.REST(player);
        expect(await announcements(player)).toBe(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await announcements(unheard)).toBe(0);
  });
});

describe('initialize announces only what it wrote', { timeout: 30_000 }, () => {
  for (const [edge, initialize] of Object.entries(cases)) {
    it(`${edge}: the first initialize is announced, a returning player's is not`, async () => {
      const player = `t13h-${edge}-${randomUUID()}`;
      expect(await initialize(player)).toBeGreaterThan(0);
      await announced(player);
      expect(await initialize(player)).toBe(0);
      // Announcements leave in the order of the calls, on one connection: once a later
      // player's is in Redis, one for the returning initialize would be too.
      const later = `t13h-${edge}-later-${randomUUID()}`;
      await initialize(later);
      await announced(later);
      expect(await announcements(player)).toBe(1);
    });
  }
});
