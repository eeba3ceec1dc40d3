import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type StreamEvent, type Subscription, subscribe } from '@challenges/client';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { PUSH_SHARDS, pushShardOf, pushStreamKey } from '@challenges/runtime';
import { startRedisCluster, type TestRedisCluster } from '@challenges/runtime/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './testing/spawn-service.ts';
import { TEST_CHALLENGES_FILE, TEST_INGEST_KEY } from './testing/test-api.ts';

// Issue 18: the push streams on a real 3-master + 3-replica Redis Cluster, where the 16 shard
// streams live in different slots and one multi-key XREAD is refused (docs/push.md). Two api
// processes and a worker; each api reads every shard with a blocking XREAD of its own.
const API_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../../worker/src/main.ts', import.meta.url));
const run = promisify(execFile);
const prefix = `t18c-push-${randomUUID().slice(0, 8)}`;

interface ApiProcess {
  service: SpawnedService;
  base: string;
}
let cluster: TestRedisCluster;
let database: TestDatabase;
let redisEnv: Record<string, string>;
let a: ApiProcess;
let b: ApiProcess;
let worker: SpawnedService;
const subscriptions: Subscription[] = [];

async function startApiProcess(): Promise<ApiProcess> {
  const service = spawnService(API_MAIN, {
    ...redisEnv,
    DATABASE_URL: database.url,
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    INGEST_API_KEYS: TEST_INGEST_KEY,
    AUTH_MODE: 'mock',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MIN: '0',
    ...EPHEMERAL_API_PORTS,
  });
  const rest = await service.waitForLog((line) => line.msg === 'REST API listening', 90_000);
  return { service, base: `http://127.0.0.1:${rest.line.port}` };
}

beforeAll(async () => {
  [cluster, database] = await Promise.all([
    startRedisCluster({ masters: 3, replicas: 1 }),
    createTestDatabase(),
  ]);
  redisEnv = {
    REDIS_CLUSTER_NODES: cluster.seeds.join(','),
    // Nothing listens here: a client that skipped the factory would never reach Redis.
    REDIS_URL: 'redis://127.0.0.1:1',
    QUEUE_PREFIX: prefix,
    EVENT_PARTITIONS: '1',
  };
  a = await startApiProcess();
  [b, worker] = await Promise.all([
    startApiProcess(),
    (async () => {
      const w = spawnService(WORKER_MAIN, {
        ...redisEnv,
        DATABASE_URL: database.url,
        WORKER_METRICS_PORT: '0',
        CHALLENGES_FILE: TEST_CHALLENGES_FILE,
        LOG_LEVEL: 'info',
      });
      await w.waitForLog((line) => line.msg === 'worker consuming event partitions', 90_000);
      return w;
    })(),
  ]);
}, 180_000);

afterAll(async () => {
  for (const s of subscriptions) s.close();
  const stops = Promise.allSettled([a?.service.stop(), b?.service.stop(), worker?.stop()]);
  await Promise.race([stops, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  for (const p of [a?.service, b?.service, worker]) p?.child.kill('SIGKILL');
  await Promise.all([cluster?.close(), database?.drop()]);
}, 60_000);

async function post(api: ApiProcess, method: string, path: string, user: string) {
  const res = await fetch(`${api.base}/challenge${path}`, {
    method,
    headers: { 'x-mock-user-id': user },
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Sends a stat event, again while the ingest refuses it (a failover under way). */
async function stat(userId: string, statCode: string, value: number) {
  const event = { id: randomUUID(), type: 'stat', userId, statCode, value, inc: 1 };
  await vi.waitFor(
    async () => {
      const res = await fetch(`${a.base}/challenge/v1/events`, {
        method: 'POST',
        headers: { 'x-api-key': TEST_INGEST_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [event] }),
      });
      expect(res.status).toBe(202);
    },
    { timeout: 30_000, interval: 100 },
  );
}

function open(baseUrls: string[], user: string) {
  const events: (StreamEvent & { at: number })[] = [];
  const sub = subscribe(
    { baseUrls, mockUserId: user },
    { onEvent: (event) => events.push({ ...event, at: Date.now() }) },
  );
  subscriptions.push(sub);
  return { sub, events };
}

/** Every goal of GET /v1/challenges as the stream's goal states (without the ticking field). */
async function listed(api: ApiProcess, user: string) {
  const { body } = await post(api, 'GET', '/v1/challenges', user);
  const goals = new Map<string, unknown>();
  for (const c of body.challenges) {
    for (const g of c.goals) {
      const { name, description, requirement, reward, prerequisites, expiresInSeconds, ...state } =
        g;
      goals.set(`${c.challengeId}/${g.goalId}`, { challengeId: c.challengeId, ...state });
    }
  }
  return goals;
}
const strip = (goals: ReadonlyMap<string, any>) =>
  new Map([...goals].map(([k, { expiresInSeconds, ...g }]) => [k, g]));

const WAIT = { timeout: 15_000, interval: 20 };
const idMs = (id: string) => Number(id.split('-')[0]);

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

const completed = (goals: { goalId: string; status: string }[]) =>
  goals.some((g) => g.goalId === 'tutorial' && g.status === 'completed');

describe('progress streams on a Redis Cluster', { timeout: 90_000 }, () => {
  it('reads each of the 16 shards with a blocking XREAD on a connection of its own, per api', async () => {
    await vi.waitFor(async () => expect(await xreadConnections()).toBe(2 * PUSH_SHARDS), WAIT);
  });

  it('pushes a stat event to an open SSE stream within 250 ms of the commit', async () => {
    const user = `push-${randomUUID()}`;
    await post(b, 'POST', '/v1/challenges/initialize', user);
    const { events } = open([b.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), WAIT);
    await stat(user, 'tutorial_completed', 1);
    const change = await vi.waitFor(() => {
      const found = events.find((e) => e.type === 'change' && completed(e.goals));
      if (!found) throw new Error('not yet');
      return found;
    }, WAIT);
    // The event id is the stream entry's id: the worker's publish, right after its commit.
    expect(change.at - idMs(change.id)).toBeLessThan(250);
  });

  it('resumes with Last-Event-ID after a dropped connection and loses nothing', async () => {
    const user = `resume-${randomUUID()}`;
    await post(a, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = open([a.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), WAIT);
    sub.drop();
    await stat(user, 'wins', 1);
    await stat(user, 'wins', 1);
    const expected = await vi.waitFor(async () => {
      const goals = await listed(a, user);
      expect(goals.get('daily/daily-reset')).toMatchObject({ progress: 2 });
      return goals;
    }, WAIT);
    await vi.waitFor(() => expect(strip(sub.goals())).toEqual(strip(expected)), WAIT);
    // The resumed stream goes on with the live changes, read from the shard's stream.
    await stat(user, 'tutorial_completed', 1);
    await vi.waitFor(
      () => expect(sub.goals().get('season/tutorial')).toMatchObject({ status: 'completed' }),
      WAIT,
    );
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
  });

  it("keeps pushing on the same stream when its shard's master fails over", async () => {
    const user = `failover-${randomUUID()}`;
    await post(b, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = open([b.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), WAIT);
    await stat(user, 'wins', 1);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'change')).toBe(true), WAIT);

    const victim = await cluster.masterOf(pushStreamKey(prefix, pushShardOf(user)));
    cluster.kill(victim);
    await cluster.waitForPromotion(victim, 30_000);
    // Published on the promoted replica while the reader may still be backing off: it reads on
    // from its cursor.
    await stat(user, 'tutorial_completed', 1);
    await vi.waitFor(
      () => expect(events.some((e) => e.type === 'change' && completed(e.goals))).toBe(true),
      { timeout: 30_000, interval: 20 },
    );
    expect(strip(sub.goals())).toEqual(strip(await listed(b, user)));
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
