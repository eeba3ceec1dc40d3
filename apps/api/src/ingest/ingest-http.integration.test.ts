import { randomUUID } from 'node:crypto';
import { partitionOf } from '@challenges/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 8;
const KEY = 'ingest-key-2';

describe('POST /v1/events', () => {
  let t: TestApi;
  let prefix: string;

  beforeAll(async () => {
    prefix = `ingest-http-${randomUUID()}`;
    t = await startTestApi({ QUEUE_PREFIX: prefix, INGEST_API_KEYS: `ingest-key-1, ${KEY}` });
  });
  afterEach(async () => {
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: unknown, key: string | null = KEY) =>
    t.call('POST', '/challenge/v1/events', {
      body,
      headers: key === null ? {} : { 'x-api-key': key },
    });
  const queuedEvents = async () =>
    (await queuedJobs(REDIS_URL, prefix, PARTITIONS)).flatMap((j) =>
      j.data.events.map((e) => ({ ...e, partition: j.partition })),
    );
  const stat = (id: string, userId: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'stat',
    userId,
    statCode: 'kills',
    value: 3,
    ...extra,
  });

  it('answers 401 code 16 without a key or with a wrong one, and queues nothing', async () => {
    for (const key of [null, 'wrong', '', `${KEY}x`]) {
      const res = await post({ events: [stat('a', 'alice')] }, key);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 16, errorCode: 'UNAUTHENTICATED' });
    }
    expect(await queuedEvents()).toEqual([]);
  });

  it('accepts a batch with 202 and counts skipped events', async () => {
    const res = await post({
      events: [
        stat('e1', 'alice', { timestamp: '2026-01-01T10:00:00+02:00' }),
        { id: 'e2', type: 'login', userId: 'bob' },
        stat('e3', 'carol', { statCode: 'nobody-tracks-this' }),
        stat('e4', 'dave', { namespace: 'other-game' }),
        { id: 'e5', type: 'stat', user_id: 'erin', stat_code: 'wins', inc: 1 },
        stat('e1', 'alice'),
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 4, skipped: 2 });
    const events = await queuedEvents();
    expect(events.map((e) => e.id).sort()).toEqual(['e1', 'e1', 'e2', 'e5']);
    const e5 = events.find((e) => e.id === 'e5');
    expect(e5).toMatchObject({
      userId: 'erin',
      statCode: 'wins',
      inc: 1,
      partition: partitionOf('erin', PARTITIONS),
    });
  });

  it('refuses a whole batch with 400 code 3 when one event is invalid, queueing nothing', async () => {
    const bad = [
      {},
      { events: [] },
      { events: 'nope' },
      { events: [stat('ok', 'alice'), { id: 'x', type: 'stat', userId: 'bob', value: 1 }] },
      {
        events: [stat('ok', 'alice'), { id: 'x', type: 'stat', userId: 'bob', statCode: 'kills' }],
      },
      { events: [stat('ok', 'alice'), { id: 'x', type: 'jump', userId: 'bob' }] },
      { events: [stat('ok', 'alice'), { id: '', type: 'login', userId: 'bob' }] },
      { events: [stat('ok', 'alice'), { id: 'x', type: 'login' }] },
      { events: [stat('ok', 'alice', { timestamp: 'yesterday' })] },
      { events: [stat('ok', 'alice', { value: '3' })] },
      { events: Array.from({ length: 1001 }, (_, i) => stat(`e${i}`, 'alice')) },
    ];
    for (const body of bad) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(res.body).toMatchObject({ code: 3, errorCode: 'INVALID_ARGUMENT' });
    }
    const malformed = await t.call('POST', '/challenge/v1/events', {
      rawBody: '{"events": [',
      headers: { 'x-api-key': KEY },
    });
    expect(malformed.status).toBe(400);
    expect(await queuedEvents()).toEqual([]);
  });

  it('takes 1000 events in one request (above the player API body limit)', async () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      stat(`big-${i}-${'x'.repeat(40)}`, `player-${i % 97}`, { timestamp: '2026-01-01T00:00:00Z' }),
    );
    expect(JSON.stringify({ events }).length).toBeGreaterThan(64 * 1024);
    const res = await post({ events });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1000, skipped: 0 });
    const queued = await queuedJobs(REDIS_URL, prefix, PARTITIONS);
    expect(queued.flatMap((j) => j.data.events)).toHaveLength(1000);
    expect(queued.length).toBeLessThanOrEqual(2 * PARTITIONS);
  });

  it('queues a batch that spans every partition with one Redis command', async () => {
    // MONITOR lists every command Redis runs, in order: the api's own and, tagged `lua`, those
    // its scripts run. A command of our own sent after the 202 marks the end of the batch's.
    const monitor = await new Redis(REDIS_URL).monitor();
    const fromApi: string[] = [];
    let sentinelSeen = false;
    const sentinel = `${prefix}:sentinel`;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args.includes(sentinel)) sentinelSeen = true;
      else if (source !== 'lua' && args.some((a) => a.startsWith(`${prefix}:`)))
        fromApi.push(args[0]!);
    });
    const redis = new Redis(REDIS_URL);
    try {
      const users = Array.from({ length: 64 }, (_, i) => `spread-${i}`);
      expect(new Set(users.map((u) => partitionOf(u, PARTITIONS))).size).toBe(PARTITIONS);
      const res = await post({ events: users.map((u, i) => stat(`s${i}`, u)) });
      expect(res.status).toBe(202);
      await redis.get(sentinel);
      await expect.poll(() => sentinelSeen, { timeout: 5000, interval: 10 }).toBe(true);
      expect(fromApi).toHaveLength(1);
      const queued = await queuedJobs(REDIS_URL, prefix, PARTITIONS);
      expect(queued.map((j) => j.partition).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      redis.disconnect();
      monitor.disconnect();
    }
  });
});

describe('ROLE', () => {
  it('api: no event gRPC listener and no POST /v1/events', async () => {
    const t = await startTestApi({ ROLE: 'api', INGEST_API_KEYS: KEY });
    try {
      expect(t.api.eventsGrpcPort).toBeUndefined();
      const res = await t.call('POST', '/challenge/v1/events', {
        body: { events: [{ id: 'a', type: 'login', userId: 'alice' }] },
        headers: { 'x-api-key': KEY },
      });
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('ingest: the event gRPC listener and POST /v1/events', async () => {
    const prefix = `ingest-role-${randomUUID()}`;
    const t = await startTestApi({ ROLE: 'ingest', INGEST_API_KEYS: KEY, QUEUE_PREFIX: prefix });
    try {
      expect(t.api.eventsGrpcPort).toBeGreaterThan(0);
      const res = await t.call('POST', '/challenge/v1/events', {
        body: { events: [{ id: 'a', type: 'login', userId: 'alice' }] },
        headers: { 'x-api-key': KEY },
      });
      expect(res.status).toBe(202);
    } finally {
      await t.close();
      await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
    }
  });
});
