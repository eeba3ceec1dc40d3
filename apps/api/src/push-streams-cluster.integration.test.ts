import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { PUSH_SHARDS, pushShardOf, pushStreamKey } from '@challenges/runtime';
import { startRedisCluster, type TestRedisCluster } from '@challenges/runtime/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ApiProcess,
  idMs,
  listedGoals,
  playerCall,
  STREAM_WAIT,
  sendStat,
  spawnApi,
  spawnWorkerConsuming,
  sseSubscriptions,
  tutorialCompleted,
  withoutExpiry,
} from './testing/push-streams.ts';
import type { SpawnedService } from './testing/spawn-service.ts';

// Issue 18: the push streams on a real 3-master + 3-replica Redis Cluster, where the 16 shard
// streams live in different slots and one multi-key XREAD is refused (docs/push.md). Two api
// processes and a worker; each api reads every shard with a blocking XREAD of its own.
const run = promisify(execFile);
const prefix = `t18c-push-${randomUUID().slice(0, 8)}`;

let cluster: TestRedisCluster;
let database: TestDatabase;
let a: ApiProcess;
let b: ApiProcess;
let worker: SpawnedService;
const streams = sseSubscriptions();

beforeAll(async () => {
  [cluster, database] = await Promise.all([
    startRedisCluster({ masters: 3, replicas: 1 }),
    createTestDatabase(),
  ]);
  const env = {
    DATABASE_URL: database.url,
    REDIS_CLUSTER_NODES: cluster.seeds.join(','),
    // Nothing listens here: a client that skipped the factory would never reach Redis.
    REDIS_URL: 'redis://127.0.0.1:1',
    QUEUE_PREFIX: prefix,
    EVENT_PARTITIONS: '1',
  };
  a = await spawnApi(env);
  [b, worker] = await Promise.all([spawnApi(env), spawnWorkerConsuming(env)]);
}, 180_000);

afterAll(async () => {
  streams.closeAll();
  const stops = Promise.allSettled([a?.service.stop(), b?.service.stop(), worker?.stop()]);
  await Promise.race([stops, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  for (const p of [a?.service, b?.service, worker]) p?.child.kill('SIGKILL');
  await Promise.all([cluster?.close(), database?.drop()]);
}, 60_000);

/** Connections, over every live node, whose last command was XREAD. */
async function xreadConnections(): Promise<number> {
  let total = 0;
  for (const seed of cluster.seeds) {
    const port = seed.split(':')[1]!;
    const listed = await run('redis-cli', ['-p', port, 'CLIENT', 'LIST']).catch(() => undefined);
    total += (listed?.stdout ?? '')
      .split('\n')
      .filter((line) => line.includes(' cmd=xread')).length;
  }
  return total;
}

describe('progress streams on a Redis Cluster', { timeout: 90_000 }, () => {
  it('reads each of the 16 shards with a blocking XREAD on a connection of its own, per api', async () => {
    await vi.waitFor(
      async () => expect(await xreadConnections()).toBe(2 * PUSH_SHARDS),
      STREAM_WAIT,
    );
  });

  it('pushes a stat event to an open SSE stream within 250 ms of the commit', async () => {
    const user = `push-${randomUUID()}`;
    await playerCall(b, 'POST', '/v1/challenges/initialize', user);
    const { events } = streams.open([b.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), STREAM_WAIT);
    await sendStat(a, user, 'tutorial_completed', 1);
    const change = await vi.waitFor(() => {
      const found = events.find((e) => e.type === 'change' && tutorialCompleted(e.goals));
      if (!found) throw new Error('not yet');
      return found;
    }, STREAM_WAIT);
    // The event id is the stream entry's id: the worker's publish, right after its commit.
    expect(change.at - idMs(change.id)).toBeLessThan(250);
  });

  it('resumes with Last-Event-ID after a dropped connection and loses nothing', async () => {
    const user = `resume-${randomUUID()}`;
    await playerCall(a, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = streams.open([a.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), STREAM_WAIT);
    sub.drop();
    await sendStat(a, user, 'wins', 1);
    await sendStat(a, user, 'wins', 1);
    const expected = await vi.waitFor(async () => {
      const goals = await listedGoals(a, user);
      expect(goals.get('daily/daily-reset')).toMatchObject({ progress: 2 });
      return goals;
    }, STREAM_WAIT);
    await vi.waitFor(
      () => expect(withoutExpiry(sub.goals())).toEqual(withoutExpiry(expected)),
      STREAM_WAIT,
    );
    // The resumed stream goes on with the live changes, read from the shard's stream.
    await sendStat(a, user, 'tutorial_completed', 1);
    await vi.waitFor(
      () => expect(sub.goals().get('season/tutorial')).toMatchObject({ status: 'completed' }),
      STREAM_WAIT,
    );
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
  });

  it("keeps pushing on the same stream when its shard's master fails over", async () => {
    const user = `failover-${randomUUID()}`;
    await playerCall(b, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = streams.open([b.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), STREAM_WAIT);
    await sendStat(a, user, 'wins', 1);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'change')).toBe(true), STREAM_WAIT);

    const victim = await cluster.masterOf(pushStreamKey(prefix, pushShardOf(user)));
    cluster.kill(victim);
    await cluster.waitForPromotion(victim, 30_000);
    // Published on the promoted replica while the reader may still be backing off: it reads on
    // from its cursor.
    await sendStat(a, user, 'tutorial_completed', 1);
    await vi.waitFor(
      () =>
        expect(events.some((e) => e.type === 'change' && tutorialCompleted(e.goals))).toBe(true),
      { timeout: 30_000, interval: 20 },
    );
    expect(withoutExpiry(sub.goals())).toEqual(withoutExpiry(await listedGoals(b, user)));
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
    // Every shard is read again, on as many connections as before.
    await vi.waitFor(async () => expect(await xreadConnections()).toBe(2 * PUSH_SHARDS), {
      timeout: 30_000,
      interval: 100,
    });
  });

  it('stops cleanly on SIGTERM with every shard loop running', async () => {
    await b.service.stop();
    expect(await b.service.exited).toBe(0);
  });
});
