import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { markPushListening, pushListenersGate, pushListenersKey } from './push-listeners.ts';

// The publish gate's two sides against the real Redis (docs/push.md).
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefixes: string[] = [];
const newPrefix = () => {
  const prefix = `t18a-listeners-${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
};
afterAll(async () => {
  await redis.del(...prefixes.map(pushListenersKey));
  redis.disconnect();
});

describe('push listeners gate', () => {
  it('keeps when the gate opened across refreshes, for the life given', async () => {
    const prefix = newPrefix();
    expect(await markPushListening(redis, prefix, 60_000)).toBe(0);
    const opened = await redis.get(pushListenersKey(prefix));
    await redis.set(pushListenersKey(prefix), String(Number(opened) - 5_000), 'KEEPTTL');
    const age = await markPushListening(redis, prefix, 60_000);
    expect(age).toBeGreaterThanOrEqual(5_000);
    expect(age).toBeLessThan(6_000);
    expect(await redis.pttl(pushListenersKey(prefix))).toBeGreaterThan(59_000);
  });

  it('trusts a read for maxAgeMs, then reads again', async () => {
    const prefix = newPrefix();
    let now = 0;
    const gate = pushListenersGate({ redis, prefix, maxAgeMs: 1000, now: () => now });
    expect(await gate.open()).toBe(false);
    await markPushListening(redis, prefix, 60_000);
    now = 999;
    expect(await gate.open()).toBe(false);
    now = 1000;
    expect(await gate.open()).toBe(true);
    await redis.del(pushListenersKey(prefix));
    now = 1500;
    expect(await gate.open()).toBe(true);
    now = 2000;
    expect(await gate.open()).toBe(false);
  });

  it('counts a failed read as open', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    const gate = pushListenersGate({ redis: dead, prefix: newPrefix() });
    expect(await gate.open()).toBe(true);
    dead.disconnect();
  });
});
