import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type StreamEvent, type Subscription, subscribe } from '@challenges/client';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChallengesEvent, ServiceClient } from './gen/service/service.js';
import { obliterateQueues } from './testing/event-clients.ts';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './testing/spawn-service.ts';
import { TEST_CHALLENGES_FILE, TEST_INGEST_KEY } from './testing/test-api.ts';

// Push streams end to end (docs/push.md): two api processes and a worker process on one
// database and Redis; events go in through POST /v1/events and come out of the streams.
const API_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../../worker/src/main.ts', import.meta.url));
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-push-${randomUUID()}`;

interface ApiProcess {
  service: SpawnedService;
  base: string;
  grpc: string;
}
let database: TestDatabase;
let a: ApiProcess;
let b: ApiProcess;
let worker: SpawnedService;
const subscriptions: Subscription[] = [];

async function startApiProcess(): Promise<ApiProcess> {
  const service = spawnService(API_MAIN, {
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    INGEST_API_KEYS: TEST_INGEST_KEY,
    AUTH_MODE: 'mock',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MIN: '0',
    EVENT_PARTITIONS: '1',
    STREAM_MAX_PER_PLAYER: '2',
    ...EPHEMERAL_API_PORTS,
  });
  const rest = await service.waitForLog((line) => line.msg === 'REST API listening', 90_000);
  const grpc = await service.waitForLog((line) => line.msg === 'player gRPC listening', 30_000);
  return {
    service,
    base: `http://127.0.0.1:${rest.line.port}`,
    grpc: `127.0.0.1:${grpc.line.port}`,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  a = await startApiProcess();
  [b, worker] = await Promise.all([
    startApiProcess(),
    (async () => {
      const w = spawnService(WORKER_MAIN, {
        DATABASE_URL: database.url,
        QUEUE_PREFIX: prefix,
        EVENT_PARTITIONS: '1',
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
  await Promise.all([a?.service.stop(), b?.service.stop(), worker?.stop()]);
  await obliterateQueues(REDIS_URL, prefix, 1);
  await database?.drop();
});

async function post(api: ApiProcess, method: string, path: string, user: string, body?: unknown) {
  const res = await fetch(`${api.base}/challenge${path}`, {
    method,
    headers: { 'x-mock-user-id': user, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function stat(userId: string, statCode: string, value: number, inc = 1) {
  const event = { id: randomUUID(), type: 'stat', userId, statCode, value, inc };
  const res = await fetch(`${a.base}/challenge/v1/events`, {
    method: 'POST',
    headers: { 'x-api-key': TEST_INGEST_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [event] }),
  });
  expect(res.status).toBe(202);
}

/** A subscription whose events are recorded with their arrival time. */
function open(baseUrls: string[], user: string, lastEventId?: string) {
  const events: (StreamEvent & { at: number })[] = [];
  const sub = subscribe(
    { baseUrls, mockUserId: user },
    { onEvent: (event) => events.push({ ...event, at: Date.now() }), lastEventId },
  );
  subscriptions.push(sub);
  return { sub, events };
}

/** Every goal of GET /v1/challenges as the stream's goal states. */
async function listed(api: ApiProcess, user: string) {
  const { body } = await post(api, 'GET', '/v1/challenges', user);
  const goals = new Map<string, unknown>();
  for (const c of body.challenges) {
    for (const g of c.goals) {
      const { name, description, requirement, reward, prerequisites, ...state } = g;
      goals.set(`${c.challengeId}/${g.goalId}`, { challengeId: c.challengeId, ...state });
    }
  }
  return goals;
}

const WAIT = { timeout: 15_000, interval: 20 };
const idMs = (id: string) => Number(id.split('-')[0]);
const strip = (goals: ReadonlyMap<string, any>) =>
  new Map([...goals].map(([k, { expiresInSeconds, ...g }]) => [k, g]));

describe('progress streams', { timeout: 60_000 }, () => {
  it('answers 401 without credentials', async () => {
    const res = await fetch(`${a.base}/challenge/v1/challenges/stream`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errorCode).toBe('UNAUTHENTICATED');
  });

  it('pushes a stat event to an open SSE stream and a gRPC stream within 250 ms of the commit', async () => {
    const user = `push-${randomUUID()}`;
    await post(a, 'POST', '/v1/challenges/initialize', user);
    const sse = open([a.base], user);
    const grpc = new ServiceClient(a.grpc, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('x-mock-user-id', user);
    const grpcEvents: (ChallengesEvent & { at: number })[] = [];
    const call = grpc.watchChallenges({ lastEventId: '' }, metadata);
    call.on('data', (event: ChallengesEvent) => grpcEvents.push({ ...event, at: Date.now() }));
    call.on('error', () => undefined);
    await vi.waitFor(() => {
      expect(sse.events[0]?.type).toBe('snapshot');
      expect(grpcEvents[0]?.type).toBe('snapshot');
    }, WAIT);
    expect(grpcEvents[0]!.challenges.length).toBeGreaterThan(0);

    await stat(user, 'tutorial_completed', 1);
    const completed = (goals: { goalId: string; status: string }[]) =>
      goals.some((g) => g.goalId === 'tutorial' && g.status === 'completed');
    const [sseChange, grpcChange] = await vi.waitFor(
      () => {
        const s = sse.events.find((e) => e.type === 'change' && completed(e.goals));
        const g = grpcEvents.find((e) => e.type === 'change' && completed(e.goals));
        if (!s || !g) throw new Error('not yet');
        return [s, g] as const;
      },
      { timeout: 15_000, interval: 10 },
    );
    // The event id is the stream entry's id: the worker's publish, right after its commit.
    expect(sseChange.at - idMs(sseChange.id)).toBeLessThan(250);
    expect(grpcChange.at - idMs(grpcChange.id)).toBeLessThan(250);
    expect(grpcChange.id).toBe(sseChange.id);
    call.cancel();
    grpc.close();
  });

  it('resumes with Last-Event-ID after a dropped connection and loses nothing', async () => {
    const user = `resume-${randomUUID()}`;
    await post(a, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = open([a.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), WAIT);
    sub.drop();
    // While it reconnects (after the server's retry: 1 s), two wins land.
    await stat(user, 'wins', 1);
    await stat(user, 'wins', 1);
    const expected = await vi.waitFor(
      async () => {
        const goals = await listed(a, user);
        expect(goals.get('daily/daily-reset')).toMatchObject({ progress: 2 });
        return goals;
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(() => expect(strip(sub.goals())).toEqual(strip(expected)), {
      timeout: 15_000,
    });
    // One snapshot only: the reconnect resumed rather than starting over.
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
  });

  it('caps open streams per player (429 beyond STREAM_MAX_PER_PLAYER)', async () => {
    const user = `limit-${randomUUID()}`;
    const first = open([a.base], user);
    const second = open([a.base], user);
    await Promise.all([first.sub.opened, second.sub.opened]);
    const third = await fetch(`${a.base}/challenge/v1/challenges/stream`, {
      headers: { 'x-mock-user-id': user },
    });
    expect(third.status).toBe(429);
    expect(((await third.json()) as any).errorCode).toBe('RATE_LIMITED');
    first.sub.close();
    // The slot frees once the server sees the close.
    await vi.waitFor(
      async () => {
        const res = await fetch(`${a.base}/challenge/v1/challenges/stream`, {
          headers: { 'x-mock-user-id': user },
        });
        await res.body?.cancel();
        expect(res.status).toBe(200);
      },
      { timeout: 10_000 },
    );
  });

  it('moves to another replica when one is killed mid-stream, and catches up', async () => {
    const user = `failover-${randomUUID()}`;
    await post(a, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = open([b.base, a.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), WAIT);
    await stat(user, 'wins', 1);
    await vi.waitFor(() => expect(sub.goals().get('daily/daily-reset')?.progress).toBe(1), {
      timeout: 15_000,
    });
    b.service.child.kill('SIGKILL');
    await b.service.exited;
    await stat(user, 'tutorial_completed', 1);
    await stat(user, 'wins', 1);
    const expected = await vi.waitFor(
      async () => {
        const goals = await listed(a, user);
        expect(goals.get('daily/daily-reset')).toMatchObject({ progress: 2 });
        expect(goals.get('season/tutorial')).toMatchObject({ status: 'completed' });
        return goals;
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(() => expect(strip(sub.goals())).toEqual(strip(expected)), {
      timeout: 15_000,
    });
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
  });
});
