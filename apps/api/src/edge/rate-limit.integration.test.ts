import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../testing/definitions-fixtures.ts';
import { type OwnRedis, ownRedis } from '../testing/own-redis.ts';
import { playerRateLimiter } from './rate-limit.ts';

// As the api's client (start/stores.ts): request-path commands fail fast while Redis is away,
// and the api waits for the connection at start.
const client = async (url: string, connect = true) => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  clients.push(redis);
  if (connect) await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
};

const clients: Redis[] = [];
afterEach(() => {
  for (const redis of clients.splice(0)) redis.disconnect();
});

/** A limiter as one api replica builds it, with the log lines it writes. */
async function replica(options: {
  url: string;
  prefix: string;
  perMinute: number;
  now?: () => number;
}) {
  const redis = await client(options.url, options.perMinute !== 0);
  const logs: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const limiter = playerRateLimiter({ ...options, redis, log });
  /** How many of `n` requests of `userId` were let through. */
  const allowed = async (userId: string, n: number) => {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      ok += await limiter.check(userId).then(
        () => 1,
        () => 0,
      );
    }
    return ok;
  };
  return { limiter, logs, allowed };
}

const SHARED = 'redis://127.0.0.1:6379';
const prefix = () => `test-rate-limit-${process.pid}-${Math.random().toString(36).slice(2)}`;

describe('player rate limit in Redis', () => {
  it('two replicas share one budget per player: together they allow exactly the limit', async () => {
    const p = prefix();
    // Pinned mid-minute: the requests never straddle a window by chance.
    const now = () => Date.UTC(2030, 0, 1, 12, 0, 30);
    const a = await replica({ url: SHARED, prefix: p, perMinute: 10, now });
    const b = await replica({ url: SHARED, prefix: p, perMinute: 10, now });
    let ok = 0;
    for (let i = 0; i < 15; i++) ok += (await a.allowed('p1', 1)) + (await b.allowed('p1', 1));
    expect(ok).toBe(10);
    await expect(a.limiter.check('p1')).rejects.toThrow(/rate limit of 10 requests per minute/);
    expect(await b.allowed('p2', 1)).toBe(1);
  });

  it('windows are calendar minutes: the count resets exactly at the boundary', async () => {
    let t = Date.UTC(2030, 0, 1, 12, 0, 59, 0);
    const { allowed } = await replica({
      url: SHARED,
      prefix: prefix(),
      perMinute: 1,
      now: () => t,
    });
    expect(await allowed('a', 1)).toBe(1);
    t += 999; // 12:00:59.999, same minute
    expect(await allowed('a', 1)).toBe(0);
    t += 1; // 12:01:00.000, a new window although only 1 s passed since the first call
    expect(await allowed('a', 2)).toBe(1);
  });

  it('a counter expires shortly after its minute, whatever the clock says', async () => {
    const p = prefix();
    const t = Date.UTC(2030, 0, 1, 12, 0, 30);
    const { allowed } = await replica({ url: SHARED, prefix: p, perMinute: 5, now: () => t });
    await allowed('ttl', 3);
    const probe = await client(SHARED);
    const key = `${p}:rate:${(t - 30_000) / 60_000}:ttl`;
    expect(await probe.get(key)).toBe('3');
    const ttl = await probe.pttl(key);
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(35_000);
  });

  it('never refuses and never calls Redis when the limit is 0', async () => {
    const { allowed } = await replica({
      url: 'redis://127.0.0.1:1',
      prefix: prefix(),
      perMinute: 0,
    });
    expect(await allowed('a', 1000)).toBe(1000);
  });
});

describe('player rate limit while Redis is unreachable', () => {
  let own: OwnRedis;
  beforeAll(async () => {
    own = await ownRedis();
  });
  afterAll(async () => own?.kill());

  it('counts in the process, logs the switch once each way, and goes back to Redis', async () => {
    const t = Date.UTC(2030, 0, 1, 12, 0, 30);
    const p = prefix();
    const a = await replica({ url: own.url, prefix: p, perMinute: 4, now: () => t });
    expect(await a.allowed('p', 2)).toBe(2);

    await own.kill();
    const started = performance.now();
    // Counted from zero in this process: the 2 requests Redis saw are not known here.
    expect(await a.allowed('p', 10)).toBe(4);
    expect(await a.allowed('other', 1)).toBe(1);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(a.logs.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'player rate limit: Redis unavailable, counted per api process until it is back',
    ]);

    await own.start();
    await pollUntil(async () => {
      await a.allowed('back', 1);
      return a.logs.length === 2;
    }, 15_000);
    // The restarted Redis is empty (no persistence): a fresh budget, not the process's spent one.
    expect(await a.allowed('p', 10)).toBe(4);
    const probe = await client(own.url);
    expect(await probe.get(`${p}:rate:${(t - 30_000) / 60_000}:p`)).toBe('10');
    expect(a.logs.map((l) => l.msg)).toEqual([
      'player rate limit: Redis unavailable, counted per api process until it is back',
      'player rate limit: Redis is back, counted there again',
    ]);
  }, 30_000);

  it('does not wait on a stalled Redis: 250 ms at most, then the process counts for a second', async () => {
    await own.start();
    const a = await replica({ url: own.url, prefix: prefix(), perMinute: 2 });
    expect(await a.allowed('s', 1)).toBe(1);
    own.freeze();
    try {
      const started = performance.now();
      expect(await a.allowed('s', 4)).toBe(2);
      const elapsed = performance.now() - started;
      // The first request waits out the deadline; the next ones do not try Redis again yet
      // (each waiting would take 4 × 250 ms).
      expect(elapsed).toBeGreaterThanOrEqual(240);
      expect(elapsed).toBeLessThan(900);
    } finally {
      own.thaw();
    }
  }, 30_000);
});
