import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from './testing/definitions-fixtures.ts';
import { startTestApi, type TestApi } from './testing/test-api.ts';
import { startToggleProxy, type ToggleProxy } from './testing/toggle-proxy.ts';

const QUEUE_PREFIX = `test-redis-outage-${process.pid}`;
// The rate limiter's clock, pinned mid-minute: the requests never straddle a window by chance.
const midMinute = Date.UTC(2030, 0, 1, 12, 0, 30);
const rateKey = (user: string) => `${QUEUE_PREFIX}:rate:${(midMinute - 30_000) / 60_000}:${user}`;

// Redis is down when the api starts (behind a proxy of our own; the shared server stays up).
describe('starting while Redis is down', () => {
  let proxy: ToggleProxy;
  let t: TestApi | undefined;
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('serves players, answers /healthz 503 naming Redis, and recovers when Redis returns', async () => {
    proxy = await startToggleProxy({ host: '127.0.0.1', port: 6379 });
    proxy.down();
    // Before the fix, start awaited a SUBSCRIBE queued on a client that never connected: no port.
    let timer: NodeJS.Timeout | undefined;
    const started = startTestApi(
      { REDIS_URL: proxy.url('redis://127.0.0.1:6379'), QUEUE_PREFIX, RATE_LIMIT_PER_MIN: '3' },
      { rateLimitNow: () => midMinute },
    );
    t = await Promise.race([
      started,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the api did not start within 20 s')), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));

    const health = await t.call('GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({
      status: 'unhealthy',
      checks: { database: 'ok', redis: 'unavailable' },
    });
    // The rate limit still holds, counted in the process, and no request waits on Redis.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const list = await t.call('GET', '/challenge/v1/challenges', { user: 'redis-down-player' });
      statuses.push(list.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);

    proxy.up();
    const api = t;
    await pollUntil(async () => (await api.call('GET', '/healthz')).status === 200, 15_000, 100);
    // The publish signal works again too: the subscriber connected once Redis came back.
    await pollUntil(async () => (await subscribers()) > 0, 15_000, 100);
    // The limit is counted in Redis again: a fresh budget there, shared with other replicas.
    const back = await t.call('GET', '/challenge/v1/challenges', { user: 'redis-back-player' });
    expect(back.status).toBe(200);
    expect(await shared((redis) => redis.get(rateKey('redis-back-player')))).toBe('1');
  }, 60_000);
});

/** Asks the real Redis through a fresh connection. */
async function shared<T>(ask: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    return await ask(redis);
  } finally {
    redis.disconnect();
  }
}

/** Subscribers of the definitions channel. */
async function subscribers(): Promise<number> {
  const channel = `${QUEUE_PREFIX}:definitions:published`;
  const [, count] = (await shared((redis) => redis.pubsub('NUMSUB', channel))) as [string, number];
  return Number(count);
}
