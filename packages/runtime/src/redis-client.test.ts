import { describe, expect, it } from 'vitest';
import { createRedis, duplicateRedis, isCluster } from './redis-client.ts';

// lazyConnect: nothing here opens a connection.
describe('createRedis', () => {
  it('is a single Redis from REDIS_URL without cluster seeds', () => {
    const redis = createRedis(
      { REDIS_URL: 'redis://127.0.0.1:6390', REDIS_CLUSTER_NODES: [] },
      { lazyConnect: true, maxRetriesPerRequest: 1 },
    );
    expect(isCluster(redis)).toBe(false);
    expect(redis.options).toMatchObject({ port: 6390, maxRetriesPerRequest: 1 });
  });

  it('is a Cluster with the same per-client options, reaching every node with the credentials and TLS of REDIS_URL', () => {
    const redis = createRedis(
      {
        REDIS_URL: 'rediss://app:p%40ss@ignored:1',
        REDIS_CLUSTER_NODES: ['10.0.0.1:7000', '10.0.0.2:7000'],
      },
      { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: null },
    );
    if (!isCluster(redis)) throw new Error('expected a Cluster');
    expect(redis.options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false });
    expect(redis.options.redisOptions).toMatchObject({
      username: 'app',
      password: 'p@ss',
      tls: {},
      maxRetriesPerRequest: null,
    });
    // A duplicate (profiling's blocking pops) keeps the credentials and takes its own options.
    const blocking = duplicateRedis(redis, { maxRetriesPerRequest: 5, enableOfflineQueue: true });
    if (!isCluster(blocking)) throw new Error('expected a Cluster');
    expect(blocking.options.enableOfflineQueue).toBe(true);
    expect(blocking.options.redisOptions).toMatchObject({
      password: 'p@ss',
      maxRetriesPerRequest: 5,
    });
  });
});
