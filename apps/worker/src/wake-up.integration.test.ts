import { capturingLogger } from '@challenges/runtime/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, uniquePrefix, waitFor } from './testing/harness.ts';
import { QueueWakeUp } from './wake-up.ts';

// The idle wait's edges against the real Redis: a marker of a partition given away mid-read,
// and a read left out for partitions no longer held.

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

function wakeUp(held: () => readonly number[]) {
  const prefix = uniquePrefix('wake-up');
  // Named: the wake-up's own connection (a duplicate) shows under the name in CLIENT LIST.
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, connectionName: prefix });
  const closing = new AbortController();
  const marker = (p: number) => `${prefix}:{p${p}}:marker`;
  const w = QueueWakeUp.create({
    redis,
    marker,
    held,
    pollMs: 20,
    closing: closing.signal,
    log: capturingLogger().log,
  })!;
  cleanup.push(() => {
    closing.abort();
    void redis.del(marker(0), marker(1)).finally(() => redis.disconnect());
  });
  const reading = async () =>
    String(await redis.client('LIST'))
      .split('\n')
      .some((line) => line.includes(`name=${prefix} `) && line.includes('cmd=bzpopmin'));
  return { w, redis, marker, reading };
}

describe('the idle wait', () => {
  it('puts back the marker of a partition given away during its read, for the new holder', async () => {
    let held = [0];
    const { w, redis, marker, reading } = wakeUp(() => held);
    const woken = w.wait([0], 5_000);
    await waitFor('the read out', reading);
    held = [];
    await redis.zadd(marker(0), 0, '0');
    expect(await woken).toBe('marker');
    await waitFor('the marker back', async () => (await redis.zcard(marker(0))) === 1, 2_000);
  });

  it('polls while a read for partitions no longer held is still out, then blocks again', async () => {
    const { w, redis, marker } = wakeUp(() => [1]);
    void w.wait([0], 600);
    w.interrupt();
    const started = performance.now();
    // The first read (partition 0) is still out: this wait is one poll period, not a read.
    expect(await w.wait([1], 600)).toBe('polled');
    expect(performance.now() - started).toBeLessThan(400);
    await waitFor('the old read ended', async () => (await w.wait([1], 600)) !== 'polled', 3_000);
    const woken = w.wait([1], 5_000);
    await redis.zadd(marker(1), 0, '0');
    expect(await woken).toBe('marker');
  });
});
