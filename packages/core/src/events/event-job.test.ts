import { describe, expect, it } from 'vitest';
import { eventQueueName, partitionOf, ZEventBatchJob } from './event-job.ts';

describe('event job contract', () => {
  it('partitions a user always to the same queue, and spreads users evenly', () => {
    expect(partitionOf('player-1', 8)).toBe(partitionOf('player-1', 8));
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[partitionOf(`user-${i}`, 8)]++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
    expect(partitionOf('x', 1)).toBe(0);
  });

  it('pins the hash so a release never reorders a player’s events', () => {
    expect([partitionOf('alice', 8), partitionOf('bob', 8), partitionOf('玩家', 16)]).toEqual([
      7, 4, 6,
    ]);
    expect(partitionOf('', 8)).toBe(0x811c9dc5 % 8);
  });

  // The full 32-bit FNV-1a (partitions = 2^32 keeps every bit), computed outside this code with
  // an independent implementation (python3, over the UTF-16 code units of the id). '玩家' % 16
  // is 6 with UTF-8 bytes too; the full hash of an id with a surrogate pair tells all apart:
  // UTF-16 code units 360748080, UTF-8 bytes 3130535039, code points 4121370952.
  it('hashes UTF-16 code units, not UTF-8 bytes or code points (known answers)', () => {
    expect(partitionOf('alice', 2 ** 32)).toBe(2267157479);
    expect(partitionOf('玩家', 2 ** 32)).toBe(1357493558);
    expect(partitionOf('玩家🎮', 2 ** 32)).toBe(360748080);
    expect(partitionOf('player-é', 2 ** 32)).toBe(762154650);
  });

  it('validates jobs', () => {
    const ok = {
      batchId: 'b1',
      partition: 3,
      events: [
        { type: 'login', id: 'e1', userId: 'u1', receivedAt: 1 },
        { type: 'stat', id: 'e2', userId: 'u1', statCode: 'kills', value: 3, receivedAt: 2 },
      ],
    };
    expect(ZEventBatchJob.parse(ok)).toEqual(ok);
    expect(ZEventBatchJob.safeParse({ ...ok, events: [] }).success).toBe(false);
    expect(
      ZEventBatchJob.safeParse({
        ...ok,
        events: [{ type: 'stat', id: 'e', userId: 'u', receivedAt: 1 }],
      }).success,
    ).toBe(false);
    // The hash tag keeps every key of a partition's queue in one Redis Cluster slot.
    expect(eventQueueName(3)).toBe('{events.apply.v1.p3}');
  });
});
