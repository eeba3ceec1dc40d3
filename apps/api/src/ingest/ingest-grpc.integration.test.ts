import { randomUUID } from 'node:crypto';
import { partitionOf } from '@challenges/core';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventClients, obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 4;

describe('event ingest over gRPC', () => {
  let t: TestApi;
  let prefix: string;
  let clients: ReturnType<typeof eventClients>;

  // Its own QUEUE_PREFIX, emptied after each test, so every test reads only its own jobs.
  beforeAll(async () => {
    prefix = `ingest-grpc-${randomUUID()}`;
    t = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_PARTITIONS: String(PARTITIONS) });
    clients = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, TEST_INGEST_KEY);
  });
  afterEach(async () => {
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
  });
  afterAll(async () => {
    clients.close();
    await t.close();
  });

  const jobs = () => queuedJobs(REDIS_URL, prefix, PARTITIONS);

  it('queues a stat event in its user partition with the normalised payload, acked after the write', async () => {
    await clients.stat({
      id: 'ev-1',
      namespace: 'test',
      timestamp: '2026-01-01T00:00:00Z',
      userId: 'alice',
      payload: { statCode: 'kills', latestValue: 7, inc: 2 },
    });
    // No waiting: the OK came only after Redis confirmed the job.
    const queued = await jobs();
    expect(queued).toHaveLength(1);
    const job = queued[0]!;
    expect(job.partition).toBe(partitionOf('alice', PARTITIONS));
    expect(job.name).toBe('events.apply.v1');
    expect(job.id).toBe(job.data.batchId);
    expect(job.attempts).toBe(20);
    expect(job.data.partition).toBe(job.partition);
    expect(job.data.events).toEqual([
      {
        type: 'stat',
        id: 'ev-1',
        userId: 'alice',
        statCode: 'kills',
        value: 7,
        inc: 2,
        timestamp: '2026-01-01T00:00:00Z',
        receivedAt: expect.any(Number),
      },
    ]);
  });

  it('queues a login event', async () => {
    await clients.login({ id: 'login-1', namespace: 'test', userId: 'bob' });
    const queued = await jobs();
    expect(queued.map((j) => j.partition)).toEqual([partitionOf('bob', PARTITIONS)]);
    expect(queued[0]!.data.events).toEqual([
      { type: 'login', id: 'login-1', userId: 'bob', receivedAt: expect.any(Number) },
    ]);
  });

  it('answers OK but queues nothing for another namespace or a stat no goal tracks', async () => {
    await clients.stat({
      id: 'ev-ns',
      namespace: 'other-game',
      userId: 'alice',
      payload: { statCode: 'kills', latestValue: 1, inc: 1 },
    });
    await clients.login({ id: 'login-ns', namespace: 'other-game', userId: 'alice' });
    await clients.stat({
      id: 'ev-unknown',
      namespace: 'test',
      userId: 'alice',
      payload: { statCode: 'nobody-tracks-this', latestValue: 1, inc: 1 },
    });
    // A tracked event afterwards proves the earlier ones were skipped, not merely not yet written.
    await clients.stat({
      id: 'ev-ok',
      namespace: 'test',
      userId: 'alice',
      payload: { statCode: 'wins', latestValue: 1, inc: 1 },
    });
    const queued = await jobs();
    expect(queued.flatMap((j) => j.data.events.map((e) => e.id))).toEqual(['ev-ok']);
  });

  it('refuses an empty user id or stat code with InvalidArgument', async () => {
    await expect(
      clients.stat({
        id: 'x',
        namespace: 'test',
        userId: '',
        payload: { statCode: 'kills', latestValue: 1, inc: 0 },
      }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      clients.stat({
        id: 'x',
        namespace: 'test',
        userId: 'alice',
        payload: { statCode: '', latestValue: 1, inc: 0 },
      }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      clients.stat({ id: 'x', namespace: 'test', userId: 'alice' }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(clients.login({ id: 'x', namespace: 'test', userId: '' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    expect(await jobs()).toEqual([]);
  });

  it('coalesces concurrent events into far fewer jobs, keeping each user in arrival order', async () => {
    const users = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        clients.stat({
          id: `burst-${i}`,
          namespace: 'test',
          userId: users[i % users.length]!,
          payload: { statCode: 'kills', latestValue: i, inc: 1 },
        }),
      ),
    );
    const queued = await jobs();
    const events = queued.flatMap((j) => j.data.events);
    expect(events).toHaveLength(100);
    expect(queued.length).toBeLessThanOrEqual(25);
    for (const job of queued) {
      for (const e of job.data.events)
        expect(partitionOf(e.userId, PARTITIONS)).toBe(job.partition);
    }
    // Sent in index order on one channel: within a job, each user's values ascend.
    for (const job of queued) {
      for (const user of users) {
        const values = job.data.events.flatMap((e) =>
          e.userId === user && e.type === 'stat' ? [e.value ?? -1] : [],
        );
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
    }
  });
});
