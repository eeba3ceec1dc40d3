import { describe, expect, it } from 'vitest';
import {
  compareStreamIds,
  parseStreamId,
  pushLastKey,
  pushShardOf,
  pushStreamKey,
} from './push-keys.ts';

describe('push keys', () => {
  it('puts a player in one shard, and spreads players over all of them', () => {
    expect(pushShardOf('alice')).toBe(pushShardOf('alice'));
    const shards = new Set(Array.from({ length: 1000 }, (_, i) => pushShardOf(`player-${i}`)));
    expect(shards.size).toBe(16);
  });

  it('gives a shard stream and its players one hash tag (one cluster slot)', () => {
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    expect(tag(pushStreamKey('p', 3))).toBe('push-3');
    expect(tag(pushLastKey('p', 3, 'alice'))).toBe('push-3');
  });

  it('orders stream ids by milliseconds, then sequence, and refuses junk', () => {
    expect(compareStreamIds('1-2', '1-10')).toBeLessThan(0);
    expect(compareStreamIds('2-0', '1-999')).toBeGreaterThan(0);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
    expect(parseStreamId('12-3')).toEqual([12, 3]);
    expect(parseStreamId('12')).toBeUndefined();
    expect(parseStreamId('x-1')).toBeUndefined();
    expect(parseStreamId(undefined)).toBeUndefined();
  });
});
