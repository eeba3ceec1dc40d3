import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EPHEMERAL_API_PORTS,
  type SpawnedService,
  spawnService,
} from '../testing/spawn-service.ts';
import { TEST_CHALLENGES_FILE } from '../testing/test-api.ts';
import { streamSlotsKey } from './stream-slots.ts';

// STREAM_MAX_PER_PLAYER across replicas (docs/push.md): two api processes on one Redis.
const API_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `t18m-slots-${randomUUID()}`;
const SLOT_TTL_MS = 3_000;

interface ApiProcess {
  service: SpawnedService;
  base: string;
}
let database: TestDatabase;
let a: ApiProcess;
let b: ApiProcess;
let redis: Redis;
const open: AbortController[] = [];

async function startApiProcess(): Promise<ApiProcess> {
  const service = spawnService(API_MAIN, {
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    AUTH_MODE: 'mock',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MIN: '0',
    EVENT_PARTITIONS: '1',
    ROLE: 'api',
    STREAM_MAX_PER_PLAYER: '2',
    STREAM_SLOT_TTL_MS: String(SLOT_TTL_MS),
    ...EPHEMERAL_API_PORTS,
  });
  const rest = await service.waitForLog((line) => line.msg === 'REST API listening', 90_000);
  return { service, base: `http://127.0.0.1:${rest.line.port}` };
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = new Redis(REDIS_URL);
  a = await startApiProcess();
  b = await startApiProcess();
}, 180_000);

afterAll(async () => {
  for (const c of open) c.abort();
  await Promise.all([a?.service.stop(), b?.service.stop()]);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await database?.drop();
});

/** Opens a stream; the status, and (when 200) the stream stays open until the test ends. */
async function stream(api: ApiProcess, user: string): Promise<number> {
  const controller = new AbortController();
  const res = await fetch(`${api.base}/challenge/v1/challenges/stream`, {
    headers: { 'x-mock-user-id': user },
    signal: controller.signal,
  });
  if (res.status === 200) {
    // Left unread: the connection stays open until the test aborts it.
    open.push(controller);
  } else {
    await res.text();
  }
  return res.status;
}

describe('per-player stream limit across replicas', { timeout: 60_000 }, () => {
  it('holds across two api processes, and a SIGKILLed one frees its slots within the TTL', async () => {
    const user = `slots-${randomUUID()}`;
    expect(await stream(a, user)).toBe(200);
    expect(await stream(b, user)).toBe(200);
    // One stream on each replica: the limit of 2 is reached on both.
    expect(await stream(a, user)).toBe(429);
    expect(await stream(b, user)).toBe(429);
    expect(await redis.zcard(streamSlotsKey(prefix, user))).toBe(2);

    b.service.child.kill('SIGKILL');
    await b.service.exited;
    const killedAt = Date.now();
    // Its slot stays taken until it expires (nobody refreshes it any more) ...
    expect(await stream(a, user)).toBe(429);
    // ... and then frees itself, while a's slot, refreshed, holds.
    await vi.waitFor(async () => expect(await stream(a, user)).toBe(200), {
      timeout: SLOT_TTL_MS * 3,
      interval: 100,
    });
    expect(Date.now() - killedAt).toBeLessThan(SLOT_TTL_MS + 1_000);
    expect(await stream(a, user)).toBe(429);
  });
});
