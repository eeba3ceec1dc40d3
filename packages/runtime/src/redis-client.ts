import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A single Redis or a Redis Cluster: every client of the stack is one of the two (docs/operations.md). */
export type RedisClient = Redis | Cluster;

/** Where Redis is, as the env schemas parse it (env-fields.ts). */
export interface RedisConnection {
  /** A single node; with cluster seeds, only its credentials and `rediss:` (TLS) are used. */
  REDIS_URL: string;
  /** Seed nodes of a Redis Cluster (`host:port`, the rest are discovered); empty: single node. */
  REDIS_CLUSTER_NODES: readonly string[];
}

/** What a client's role decides (request path: fail fast; workers and subscribers: wait). */
export type RedisClientOptions = Pick<
  RedisOptions,
  'maxRetriesPerRequest' | 'enableOfflineQueue' | 'lazyConnect'
>;

/** User, password and TLS of REDIS_URL, which every cluster node is reached with. */
function credentials(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function clusterOptions(url: string, options: RedisClientOptions): ClusterOptions {
  const { enableOfflineQueue, lazyConnect, maxRetriesPerRequest } = options;
  return {
    // The offline queue is the Cluster's own option (ioredis always lets node connections queue).
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    redisOptions: {
      ...credentials(url),
      ...(maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest }),
    },
  };
}

/**
 * The one way the stack opens a Redis client: a single node from REDIS_URL, or an ioredis
 * Cluster from REDIS_CLUSTER_NODES with the same per-client options. Keys that one command or
 * script uses together carry a `{hash tag}` (docs/events.md), so both behave alike.
 */
export function createRedis(
  connection: RedisConnection,
  options: RedisClientOptions = {},
): RedisClient {
  const { REDIS_URL: url, REDIS_CLUSTER_NODES: nodes } = connection;
  if (nodes.length === 0) return new Redis(url, options);
  return new Cluster([...nodes], clusterOptions(url, options));
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** A second connection to the same Redis (blocking pops need one of their own). */
export function duplicateRedis(client: RedisClient, options: RedisClientOptions): RedisClient {
  if (isCluster(client)) {
    const base = client.options.redisOptions ?? {};
    const { maxRetriesPerRequest, ...clusterLevel } = options;
    return client.duplicate(undefined, {
      ...clusterLevel,
      redisOptions: {
        ...base,
        ...(maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest }),
      },
    });
  }
  return client.duplicate(options);
}
