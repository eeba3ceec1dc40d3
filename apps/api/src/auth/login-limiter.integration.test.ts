import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoginLimiter, type LoginLimits, redisLoginLimiter } from './login-limiter.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A client that never reaches a server, failing each command at once, as the api's does. */
const unreachable = () =>
  new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });

// Every case runs against Redis and against the in-process budgets that stand in while Redis
// is unreachable: the two implementations of the rules cannot drift apart.
describe.each([
  { where: 'in Redis', connect: () => new Redis(REDIS_URL) },
  { where: 'in the process while Redis is unreachable', connect: unreachable },
])('the sign-in limiter $where', ({ connect }) => {
  let redis: Redis;
  const prefix = `test-signin-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const log = pino({ level: 'silent' });
  let n = 0;
  /** A limiter with small budgets and a key space of its own. */
  const limiter = (limits: Partial<LoginLimits>): LoginLimiter =>
    redisLoginLimiter({ redis, prefix: `${prefix}-${++n}`, log, limits });

  beforeAll(() => {
    redis = connect();
  });
  afterAll(async () => {
    if (redis.status === 'ready') {
      const keys = await redis.keys(`${prefix}-*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it('lets exactly the budget through when many attempts race', async () => {
    const l = limiter({ perEmailAndAddress: 5 });
    const attempt = { email: 'race@example.com', ip: '192.0.2.1' };
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => l.reserve(attempt)));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(5);
    expect(verdicts.filter((v) => v === 'locked')).toHaveLength(35);
  });

  it('a success refunds its attempt and clears the pair, so people who mistype are not locked', async () => {
    const l = limiter({ perEmailAndAddress: 3, perAddress: 10 });
    const attempt = { email: 'typo@example.com', ip: '192.0.2.2' };
    for (let round = 0; round < 5; round++) {
      expect(await l.reserve(attempt)).toBe('ok'); // a typo
      expect(await l.reserve(attempt)).toBe('ok'); // then the right one
      await l.succeeded(attempt);
    }
    // The pair would have locked in round two without the reset; the address holds the five
    // typos only, its budget (10) would be gone had the successes not been refunded.
    expect(await l.reserve({ email: 'other@example.com', ip: '192.0.2.2' })).toBe('ok');
  });

  it('over the per-email budget, unknown addresses are slowed, known ones are not', async () => {
    const l = limiter({ perEmailAndAddress: 100, perEmail: 3, slowIntervalMs: 60_000 });
    const email = 'target@example.com';
    await l.reserve({ email, ip: '198.51.100.1' });
    await l.succeeded({ email, ip: '198.51.100.1' }); // the admin's usual address
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect(await l.reserve({ email, ip })).toBe('ok');
    }
    // Slowed, not locked: one attempt per interval still gets through from anywhere.
    expect(await l.reserve({ email, ip: '203.0.113.4' })).toBe('ok');
    expect(await l.reserve({ email, ip: '203.0.113.5' })).toBe('slow');
    expect(await l.reserve({ email, ip: '203.0.113.4' })).toBe('slow');
    expect(await l.reserve({ email, ip: '198.51.100.1' })).toBe('ok');
    expect(await l.reserve({ email: 'someone-else@example.com', ip: '203.0.113.5' })).toBe('ok');
  });

  it('counts an IPv6 /64 as one address', async () => {
    const l = limiter({ perAddress: 2 });
    expect(await l.reserve({ email: 'a@example.com', ip: '2001:db8:1:2::1' })).toBe('ok');
    expect(await l.reserve({ email: 'b@example.com', ip: '2001:db8:1:2:ffff::9' })).toBe('ok');
    expect(await l.reserve({ email: 'c@example.com', ip: '2001:db8:1:2::77' })).toBe('ip');
    expect(await l.reserve({ email: 'c@example.com', ip: '2001:db8:1:3::1' })).toBe('ok');
  });
});

describe('the sign-in limiter while Redis is unreachable', () => {
  it('counts each attempt in the process and logs the switch once', async () => {
    const down = unreachable();
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const l = redisLoginLimiter({
      redis: down,
      prefix: 'unreachable',
      log,
      limits: { perAddress: 3 },
    });
    const verdicts = [];
    for (let i = 0; i < 5; i++) {
      verdicts.push(await l.reserve({ email: `spray-${i}@example.com`, ip: '192.0.2.3' }));
    }
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ip', 'ip']);
    expect(lines.map((l) => l.msg)).toEqual([
      'sign-in limits: Redis unavailable, counted per api process until it is back',
    ]);
    down.disconnect();
  });
});
