import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { benchPrefix, clearRedisPrefix } from './api-process.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
afterAll(() => redis.disconnect());

describe('bench Redis prefixes', () => {
  it('clears the keys of its own prefix and leaves those of a prefix that starts the same', async () => {
    const own = `bench-test-${randomUUID()}`;
    const other = `${own}-apply`;
    await redis.set(`${own}:events.apply.v1.p0:meta`, '1');
    await redis.set(`${other}:events.apply.v1.p0:meta`, '1');
    try {
      clearRedisPrefix(redisUrl, own);
      expect(await redis.exists(`${own}:events.apply.v1.p0:meta`)).toBe(0);
      expect(await redis.exists(`${other}:events.apply.v1.p0:meta`)).toBe(1);
    } finally {
      await redis.del(`${own}:events.apply.v1.p0:meta`, `${other}:events.apply.v1.p0:meta`);
    }
  });

  it('gives each bench process prefixes of its own, none the start of another', () => {
    const prefixes = ['http', 'apply', 'ingest'].map(benchPrefix);
    expect(new Set(prefixes).size).toBe(3);
    for (const prefix of prefixes) {
      expect(prefix).toContain(String(process.pid));
      expect(prefixes.filter((p) => p !== prefix && p.startsWith(prefix))).toEqual([]);
    }
  });
});
