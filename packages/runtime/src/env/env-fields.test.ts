import { describe, expect, it } from 'vitest';
import { redisClusterNodes } from './env-fields.ts';

describe('REDIS_CLUSTER_NODES', () => {
  it('is no cluster when unset or blank', () => {
    expect(redisClusterNodes.parse(undefined)).toEqual([]);
    expect(redisClusterNodes.parse(' ')).toEqual([]);
  });

  it('takes comma-separated host:port seeds', () => {
    expect(redisClusterNodes.parse('10.0.0.1:6379, redis-2.internal:7000,')).toEqual([
      '10.0.0.1:6379',
      'redis-2.internal:7000',
    ]);
  });

  it('refuses a seed that is not host:port (a URL belongs in REDIS_URL)', () => {
    expect(redisClusterNodes.safeParse('redis://10.0.0.1:6379').success).toBe(false);
    expect(redisClusterNodes.safeParse('10.0.0.1').success).toBe(false);
    expect(redisClusterNodes.safeParse(':pw@10.0.0.1:6379').success).toBe(false);
  });
});
