import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  createLoadTestRunRepository,
  createPool,
  createPrismaClient,
  type PrismaClient,
} from '@challenges/db';
import {
  createRedis,
  type LivePoint,
  liveIndexKey,
  liveKey,
  type RedisClient,
} from '@challenges/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../testing/definitions-fixtures.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

const prefix = `test-live-${process.pid}-${Math.random().toString(36).slice(2)}`;
const apiId = `api:${hostname()}:${process.pid}`;
const ROUTE = 'REST GET /challenge/v1/challenges';

let t: TestApi;
let admin: TrpcTestClient;
let redis: RedisClient;
let pool: ReturnType<typeof createPool>;
let prisma: PrismaClient;

beforeAll(async () => {
  t = await startTestApi({
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'admin-password',
    QUEUE_PREFIX: prefix,
  });
  admin = (await signedIn(t, 'admin@example.com', 'admin-password')).client;
  redis = createRedis({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: [] });
  pool = createPool({ databaseUrl: t.databaseUrl });
  prisma = createPrismaClient(pool);
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  redis?.disconnect();
  await t?.close();
});

const history = (input: { windowSeconds?: number; route?: string | null } = {}) =>
  admin.live.history.query({ windowSeconds: 60, ...input });
const numbers = (values: Array<number | null>) => values.filter((v): v is number => v !== null);

describe('live.history', () => {
  it('counts the dashboard’s own polling as internal, never as player requests', async () => {
    await pollUntil(
      async () => (await history()).routes.some((r) => r.endpoint === 'tRPC live.history'),
      10_000,
      200,
    );
    const h = await history();
    expect(numbers(h.traffic.internal).some((v) => v > 0)).toBe(true);
    expect(numbers(h.traffic.player).every((v) => v === 0)).toBe(true);
    expect(h.routes.find((r) => r.endpoint === 'tRPC live.history')).toMatchObject({
      internal: true,
    });
    expect(numbers(h.latency.p99)).toEqual([]);
  });

  it('keeps a profile call out of player latency, shows it on its own route and as a marker', async () => {
    let sending = true;
    const traffic = (async () => {
      while (sending) await t.call('GET', '/challenge/v1/challenges', { user: 'live-a' });
    })();
    try {
      await admin.profile.cpu.mutate({ processId: apiId, seconds: 2 });
      await pollUntil(
        async () => (await history()).routes.some((r) => r.endpoint === 'tRPC profile.cpu'),
        10_000,
        200,
      );
    } finally {
      sending = false;
      await traffic;
    }
    const player = await history();
    expect(numbers(player.latency.p50).length).toBeGreaterThan(0);
    expect(Math.max(...numbers(player.latency.p99))).toBeLessThan(2000);
    const profiled = await history({ route: 'tRPC profile.cpu' });
    expect(Math.max(...numbers(profiled.latency.p99))).toBeGreaterThanOrEqual(2000);
    const perRoute = await history({ route: ROUTE });
    expect(numbers(perRoute.latency.rps).some((v) => v > 0)).toBe(true);
    expect(player.routes[0]).toMatchObject({ endpoint: ROUTE, internal: false });
    const marker = player.markers.find((m) => m.kind === 'profile');
    expect(marker?.label).toContain(apiId);
    expect(marker!.until! - marker!.t).toBe(2000);
  });

  it('marks publishes and load tests', async () => {
    const { content } = await admin.challenge.export.query({});
    const changed = structuredClone(content) as { challenges: Array<{ name: string }> };
    changed.challenges[0]!.name += ' (marked)';
    const { published } = await admin.challenge.import.mutate({ content: changed, publish: true });
    expect(published).not.toBeNull();
    const runs = createLoadTestRunRepository(prisma);
    const id = randomUUID();
    await runs.create({ id, scenario: 'smoke', options: {} });
    const h = await history();
    const marker = h.markers.find(
      (m) => m.label === `v${published!.version} published by admin@example.com`,
    );
    expect(marker).toMatchObject({ kind: 'publish', until: null });
    // The answer's createdAt is whole seconds; the marker keeps the database's milliseconds.
    expect(Math.abs(marker!.t - new Date(published!.createdAt).getTime())).toBeLessThan(1000);
    expect(h.markers.find((m) => m.kind === 'loadtest')).toMatchObject({
      label: 'load test smoke (running)',
      until: null,
    });
  });

  it('leaves a gap where a process published nothing, and reads one an hour back', async () => {
    const id = `worker:gap-host:${process.pid}`;
    const now = Date.now();
    const point = (t: number): LivePoint => ({
      t,
      startedAt: now - 3_600_000,
      requestsPerSec: 0,
      internalRequestsPerSec: 0,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      eventsReceivedPerSec: 0,
      eventsAppliedPerSec: 0,
      queueDepth: 3,
      lagMs: null,
      cpuPercent: 50,
      heapUsedBytes: 1,
      heapTotalBytes: 1,
      rssBytes: 1,
      eventLoopP50Ms: 1,
      eventLoopP99Ms: 1,
      endpoints: [],
      partitions: [{ partition: 7, depth: 3, lagMs: 40 }],
    });
    // 50 minutes ago: 20 s of points, 20 s of nothing, 20 s of points.
    const start = now - 50 * 60_000;
    const times = [...Array(20).keys(), ...Array.from({ length: 20 }, (_, i) => 40 + i)].map(
      (s) => start + s * 1000,
    );
    await redis
      .pipeline()
      .rpush(liveKey(prefix, id), ...times.map((at) => JSON.stringify(point(at))))
      .zadd(liveIndexKey(prefix), times.at(-1)!, id)
      .exec();
    const h = await admin.live.history.query({ windowSeconds: 120, endAt: start + 90_000 });
    expect(h.stepSeconds).toBe(1);
    const cpu = h.processes.find((p) => p.id === id)!.cpuPercent;
    const at = (ms: number) => cpu[h.times.findIndex((x) => x <= ms && ms < x + 1000)];
    expect(at(start + 10_500)).toBe(50);
    expect(at(start + 30_500)).toBeNull();
    expect(at(start + 50_500)).toBe(50);
    const partition = h.partitions.find((p) => p.partition === 7)!;
    expect(numbers(partition.lagMs)).toContain(40);
    expect(partition.depth.filter((v) => v === null).length).toBeGreaterThan(19);
    // A whole hour is drawn in 12-second steps.
    expect((await admin.live.history.query({ windowSeconds: 3600 })).stepSeconds).toBe(12);
  });
});
