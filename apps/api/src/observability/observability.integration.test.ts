import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../testing/definitions-fixtures.ts';
import { histogramBounds, parsePrometheusText } from '../testing/prometheus-text.ts';
import type { SpawnedService } from '../testing/spawn-service.ts';
import {
  setProgress,
  TEST_CHALLENGES_FILE,
  TEST_INGEST_KEY,
  type TestApi,
} from '../testing/test-api.ts';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';
import { outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

const ADMIN_KEY = 'observability-admin-key';

let stack: TestStack;
let t: TestApi;
let admin: TrpcTestClient;
let viewer: TrpcTestClient;
let worker: SpawnedService;
let workerMetricsPort: number;
const apiId = `api:${hostname()}:${process.pid}`;
const workerId = () => `worker:${hostname()}:${worker.child.pid}`;

beforeAll(async () => {
  stack = await startTestStack({
    name: 'test-obs',
    api: {
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'admin-password',
      ADMIN_API_KEY: ADMIN_KEY,
    },
    worker: {
      CHALLENGES_FILE: TEST_CHALLENGES_FILE,
      METRICS_HOST: '127.0.0.1',
    },
    ready: 'worker consuming event partitions',
    readyTimeoutMs: 30_000,
  });
  ({ t, worker } = stack);
  workerMetricsPort = Number(stack.workerReady.line.metricsPort);
  admin = (await signedIn(t, 'admin@example.com', 'admin-password')).client;
  await admin.user.create.mutate({
    email: 'viewer@example.com',
    password: 'password-123',
    role: 'viewer',
  });
  viewer = (await signedIn(t, 'viewer@example.com', 'password-123')).client;
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const history = (input: { route?: string } = {}) =>
  viewer.live.history.query({ windowSeconds: 10, ...input });
const someNumber = (values: Array<number | null>, test: (v: number) => boolean) =>
  values.some((v) => v !== null && test(v));

describe('live snapshots', () => {
  it('publish the api every second, with requests/s and latency of a REST route', async () => {
    const route = 'REST GET /challenge/v1/challenges';
    await pollUntil(
      async () => {
        await Promise.all(
          [1, 2, 3].map(() => t.call('GET', '/challenge/v1/challenges', { user: 'a' })),
        );
        const h = await history({ route });
        // live.history itself shows up only in a snapshot published after an earlier call.
        const polled = h.routes.some((r) => r.endpoint === 'tRPC live.history' && r.internal);
        return someNumber(h.latency.p50, (v) => v > 0) && polled;
      },
      10_000,
      200,
    );
    const h = await history();
    expect(h.routes.find((r) => r.endpoint === route)).toMatchObject({ internal: false });
    const api = h.processes.find((p) => p.id === apiId)!;
    expect(someNumber(api.heapUsedBytes, (v) => v > 0)).toBe(true);
    expect(someNumber(api.rssBytes, (v) => v > 0)).toBe(true);
    expect(someNumber(api.cpuPercent, (v) => v >= 0)).toBe(true);
    expect(someNumber(api.eventLoopP99Ms, (v) => v > 0)).toBe(true);
    const processes = await viewer.live.processes.query();
    expect(processes.find((p) => p.id === apiId)).toMatchObject({
      role: 'api',
      hostname: hostname(),
      pid: process.pid,
    });
  });

  it('publish a worker process with its queue depth and lag per partition', async () => {
    await pollUntil(
      async () => (await history()).partitions.some((p) => someNumber(p.depth, (v) => v >= 0)),
      10_000,
      200,
    );
    const sent = await t.call('POST', '/challenge/v1/events', {
      headers: { 'x-api-key': TEST_INGEST_KEY },
      body: { events: [{ id: 'live-lag-1', type: 'login', userId: 'live-lag' }] },
    });
    expect(sent.status).toBe(202);
    await pollUntil(
      async () => (await history()).partitions.some((p) => someNumber(p.lagMs, (v) => v >= 0)),
      15_000,
      200,
    );
    const processes = await viewer.live.processes.query();
    const entry = processes.find((p) => p.id === workerId());
    expect(entry).toMatchObject({ role: 'worker', pid: worker.child.pid });
    expect(entry!.lastSeen).toBeGreaterThanOrEqual(entry!.startedAt);
  });
});

async function download(profileId: string): Promise<any> {
  const res = await t.call('GET', `/challenge/admin/v1/profiles/${profileId}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain(profileId);
  return res.body;
}

describe('profiling', () => {
  it('takes a CPU profile of the api itself with top functions and a raw .cpuprofile', async () => {
    const result = await admin.profile.cpu.mutate({ processId: apiId, seconds: 1 });
    expect(result.summary.unit).toBe('ms');
    // Percentages leave idle, program and GC time out; all of it adds up to the second.
    const { idle, program, gc } = result.summary.excluded;
    expect(result.summary.total + idle + program + gc).toBeGreaterThan(500);
    expect(idle).toBeGreaterThan(result.summary.total);
    expect(result.summary.byTotal.some((r) => !r.functionName.startsWith('('))).toBe(true);
    const raw = await download(result.profileId);
    expect(Array.isArray(raw.nodes) && raw.nodes.length > 0).toBe(true);
    expect(Array.isArray(raw.samples)).toBe(true);
  });

  it('profiles a worker process through Redis (CPU over tRPC, heap over REST)', async () => {
    const cpu = await admin.profile.cpu.mutate({ processId: workerId(), seconds: 1 });
    expect(cpu.processId).toBe(workerId());
    expect(cpu.summary.bySelf.length).toBeGreaterThan(0);
    const raw = await download(cpu.profileId);
    expect(raw.nodes.length).toBeGreaterThan(0);
    expect(raw.samples.length).toBeGreaterThan(0);

    const heap = await t.call('POST', '/challenge/admin/v1/profile', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      body: { processId: workerId(), kind: 'heap', seconds: 1 },
    });
    expect(heap.status).toBe(200);
    expect(heap.body.summary.unit).toBe('bytes');
    expect((await download(heap.body.profileId)).head.children).toBeDefined();
  });

  it('is refused to viewers, players and unknown processes', async () => {
    expect(await outcome(viewer.profile.cpu.mutate({ processId: apiId, seconds: 1 }))).toBe(
      'FORBIDDEN',
    );
    const body = { processId: apiId, kind: 'cpu', seconds: 1 };
    expect((await t.call('POST', '/challenge/admin/v1/profile', { body })).status).toBe(401);
    expect((await t.call('POST', '/challenge/admin/v1/profile', { body, user: 'p' })).status).toBe(
      403,
    );
    const missing = await t.call('POST', '/challenge/admin/v1/profile', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      body: { ...body, processId: 'worker:nowhere:1' },
    });
    expect(missing.status).toBe(404);
    expect(await outcome(admin.profile.heap.mutate({ processId: 'x', seconds: 31 }))).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('challenge.goalStats', () => {
  it('counts assigned, active, completed and claimed players per goal', async () => {
    for (const user of ['stats-a', 'stats-b']) {
      expect((await t.call('POST', '/challenge/v1/challenges/initialize', { user })).status).toBe(
        200,
      );
    }
    const rows = await t.api.ctx.progress.listByUser('stats-a');
    const goal = rows[0]!;
    await setProgress(t, 'stats-a', goal.goalId, { progress: 1, status: 'claimed' });
    const stats = await viewer.challenge.goalStats.query();
    const expectedGoals = new Set(rows.map((r) => r.goalId));
    expect(new Set(stats.map((s) => s.goalId))).toEqual(expectedGoals);
    expect(stats.find((s) => s.goalId === goal.goalId)).toMatchObject({
      assigned: 2,
      completed: 1,
      claimed: 1,
    });
    const active = rows.filter((r) => r.isActive).length * 2;
    expect(stats.reduce((sum, s) => sum + s.active, 0)).toBe(active);
  });
});

describe('/metrics', () => {
  async function scrape(port: number) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    return parsePrometheusText(await res.text());
  }

  function expectLatencyBuckets(families: ReturnType<typeof parsePrometheusText>, name: string) {
    const bounds = histogramBounds(families.get(name)!);
    expect(bounds[0], name).toBeLessThanOrEqual(0.001);
    expect(bounds.at(-1), name).toBeGreaterThanOrEqual(10);
  }

  it('of the api parse as Prometheus text, with tRPC latency per procedure', async () => {
    await viewer.live.processes.query();
    await t.call('GET', '/challenge/v1/challenges', { user: 'm' });
    const families = await scrape(t.api.metricsPort);
    const trpc = families.get('challenge_trpc_request_duration_seconds');
    expect(trpc?.type).toBe('histogram');
    expect(
      trpc!.samples.some(
        (s) => s.labels.procedure === 'live.processes' && s.labels.code === 'OK' && s.value > 0,
      ),
    ).toBe(true);
    expectLatencyBuckets(families, 'challenge_trpc_request_duration_seconds');
    expectLatencyBuckets(families, 'challenge_http_request_duration_seconds');
  });

  it('of the worker parse as Prometheus text, with sensible apply-duration buckets', async () => {
    const families = await scrape(workerMetricsPort);
    expect(families.get('challenge_events_applied_total')?.type).toBe('counter');
    expectLatencyBuckets(families, 'challenge_event_apply_duration_seconds');
  });
});
