import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChallengesEvent, ServiceClient } from './gen/service/service.js';
import { obliterateQueues } from './testing/event-clients.ts';
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

// Push streams end to end (docs/push.md): two api processes and a worker process on one
// database and Redis; events go in through POST /v1/events and come out of the streams.
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-push-${randomUUID()}`;

let database: TestDatabase;
let a: ApiProcess;
let b: ApiProcess;
let worker: SpawnedService;
const streams = sseSubscriptions();

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, QUEUE_PREFIX: prefix, EVENT_PARTITIONS: '1' };
  a = await spawnApi({ ...env, STREAM_MAX_PER_PLAYER: '2' });
  [b, worker] = await Promise.all([
    spawnApi({ ...env, STREAM_MAX_PER_PLAYER: '2' }),
    spawnWorkerConsuming(env),
  ]);
}, 180_000);

afterAll(async () => {
  streams.closeAll();
  await Promise.all([a?.service.stop(), b?.service.stop(), worker?.stop()]);
  await obliterateQueues(REDIS_URL, prefix, 1);
  await database?.drop();
});

describe('progress streams', { timeout: 60_000 }, () => {
  it('answers 401 without credentials', async () => {
    const res = await fetch(`${a.base}/challenge/v1/challenges/stream`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errorCode).toBe('UNAUTHENTICATED');
  });

  it('pushes a stat event to an open SSE stream and a gRPC stream within 250 ms of the commit', async () => {
    const user = `push-${randomUUID()}`;
    await playerCall(a, 'POST', '/v1/challenges/initialize', user);
    const sse = streams.open([a.base], user);
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
    }, STREAM_WAIT);
    expect(grpcEvents[0]!.challenges.length).toBeGreaterThan(0);

    await sendStat(a, user, 'tutorial_completed', 1);
    const [sseChange, grpcChange] = await vi.waitFor(
      () => {
        const s = sse.events.find((e) => e.type === 'change' && tutorialCompleted(e.goals));
        const g = grpcEvents.find((e) => e.type === 'change' && tutorialCompleted(e.goals));
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
    await playerCall(a, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = streams.open([a.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), STREAM_WAIT);
    sub.drop();
    // While it reconnects (after the server's retry: 1 s), two wins land.
    await sendStat(a, user, 'wins', 1);
    await sendStat(a, user, 'wins', 1);
    const expected = await vi.waitFor(
      async () => {
        const goals = await listedGoals(a, user);
        expect(goals.get('daily/daily-reset')).toMatchObject({ progress: 2 });
        return goals;
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(() => expect(withoutExpiry(sub.goals())).toEqual(withoutExpiry(expected)), {
      timeout: 15_000,
    });
    // One snapshot only: the reconnect resumed rather than starting over.
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
  });

  it('caps open streams per player (429 beyond STREAM_MAX_PER_PLAYER)', async () => {
    const user = `limit-${randomUUID()}`;
    const first = streams.open([a.base], user);
    const second = streams.open([a.base], user);
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
    await playerCall(a, 'POST', '/v1/challenges/initialize', user);
    const { sub, events } = streams.open([b.base, a.base], user);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'), STREAM_WAIT);
    await sendStat(a, user, 'wins', 1);
    await vi.waitFor(() => expect(sub.goals().get('daily/daily-reset')?.progress).toBe(1), {
      timeout: 15_000,
    });
    b.service.child.kill('SIGKILL');
    await b.service.exited;
    await sendStat(a, user, 'tutorial_completed', 1);
    await sendStat(a, user, 'wins', 1);
    const expected = await vi.waitFor(
      async () => {
        const goals = await listedGoals(a, user);
        expect(goals.get('daily/daily-reset')).toMatchObject({ progress: 2 });
        expect(goals.get('season/tutorial')).toMatchObject({ status: 'completed' });
        return goals;
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(() => expect(withoutExpiry(sub.goals())).toEqual(withoutExpiry(expected)), {
      timeout: 15_000,
    });
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
  });
});
