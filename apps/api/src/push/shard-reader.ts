import { once, setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { isCluster, PUSH_SHARDS, pushStreamKey, type RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';
import { ClusterShardConnection } from './cluster-shard-connection.ts';

export interface ShardReader {
  /** The id of the last entry read from the shard ('0-0' before any). */
  cursor(shard: number): string;
  close(): Promise<void>;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/** Shards read by one blocking XREAD, on a connection no other blocking read shares. */
interface ReadLoop {
  shards: number[];
  /** The connection for the next command. */
  client(): RedisClient;
  /** After a failed command: whether to retry at once (a redirect) rather than back off. */
  failed(error: unknown): boolean;
  close(): void;
}

/**
 * Reads every shard's stream (docs/push.md): single-node Redis, one blocking XREAD over the 16
 * streams per round trip; a Redis Cluster refuses keys of different slots in one command, so
 * there each shard has its own loop on its own connection to the shard's master (a blocking
 * XREAD holds its connection: loops sharing one would wait for each other's timeouts). Every
 * replica reads every shard: an entry naming no player connected here costs a map lookup per
 * player. After a Redis outage or a failover each loop resumes from its shards' cursors.
 */
export async function startShardReader(options: {
  redis: RedisClient;
  prefix: string;
  log: Logger;
  onEntry: (id: string, userIds: readonly string[]) => void;
  blockMs?: number;
}): Promise<ShardReader> {
  const { redis, prefix, log } = options;
  const keys = Array.from({ length: PUSH_SHARDS }, (_, shard) => pushStreamKey(prefix, shard));
  const cursors = keys.map(() => '0-0');
  const all = keys.map((_, shard) => shard);
  const cluster = isCluster(redis) ? redis : undefined;
  // The shard connections start from the nodes the cluster client knows once it read the slots.
  if (cluster && cluster.status !== 'ready') {
    await Promise.race([once(cluster, 'ready').catch(() => {}), delay(2_000)]);
  }
  const loops: ReadLoop[] = cluster
    ? all.map((shard) => {
        const connection = new ClusterShardConnection(cluster, log);
        return {
          shards: [shard],
          client: () => connection.current(),
          failed: (error) => connection.failed(error),
          close: () => connection.close(),
        };
      })
    : [{ shards: all, client: () => redis, failed: () => false, close: () => redis.disconnect() }];
  const stopping = new AbortController();
  // Each loop's backoff listens to it, and its command in flight.
  setMaxListeners(2 * loops.length + 1, stopping.signal);
  // ioredis 6.0.0's disconnect() between two reconnect attempts cancels the next attempt but
  // settles none of the queued commands (the client stays 'reconnecting'): a loop awaits its
  // command or the stop, whichever comes first, so close() never waits on Redis. The stop is a
  // listener removed when the command settles — not a race against one long-lived promise, which
  // would keep a reaction (~300 bytes) per read until shutdown.
  /** The connection of each loop's command in flight, if any. */
  const waitingOn = new Map<ReadLoop, RedisClient>();
  const command = <T>(loop: ReadLoop, client: RedisClient, sent: Promise<T>): Promise<T> => {
    // A stop between two commands of a loop (the start's XREVRANGEs) must not wait either: an
    // aborted signal never fires 'abort' again.
    if (stopping.signal.aborted) {
      sent.catch(() => {}); // settled (or not) by the disconnect: nobody reads it
      return Promise.reject(new Error('shard reader stopped'));
    }
    waitingOn.set(loop, client);
    return new Promise<T>((resolve, reject) => {
      const onStop = () => reject(new Error('shard reader stopped'));
      stopping.signal.addEventListener('abort', onStop, { once: true });
      // Cleared before the caller resumes: its next command is then the one waited on.
      const settled = () => {
        stopping.signal.removeEventListener('abort', onStop);
        waitingOn.delete(loop);
      };
      sent.then(
        (value) => {
          settled();
          resolve(value);
        },
        (error: unknown) => {
          settled();
          reject(error);
        },
      );
    });
  };

  const run = async (loop: ReadLoop, markReady: () => void) => {
    const loopKeys = loop.shards.map((shard) => keys[shard]!);
    let started = false;
    let backoff = 100;
    let redirects = 0;
    while (!stopping.signal.aborted) {
      try {
        const client = loop.client();
        // Where each stream ends now: older entries were before any stream this replica serves.
        if (!started) {
          for (const shard of loop.shards) {
            const last = (await command(
              loop,
              client,
              client.xrevrange(keys[shard]!, '+', '-', 'COUNT', 1),
            )) as [string, string[]][];
            cursors[shard] = last[0]?.[0] ?? '0-0';
          }
          started = true;
          markReady();
        }
        const reply = (await command(
          loop,
          client,
          client.xread(
            'COUNT',
            1000,
            'BLOCK',
            options.blockMs ?? 5_000,
            'STREAMS',
            ...loopKeys,
            ...loop.shards.map((shard) => cursors[shard]!),
          ),
        )) as XReadReply;
        backoff = 100;
        redirects = 0;
        for (const [key, entries] of reply ?? []) {
          const shard = loop.shards[loopKeys.indexOf(key)]!;
          for (const [id, fields] of entries) {
            cursors[shard] = id;
            const users = fields[0] === 'u' ? parseUsers(fields[1]) : [];
            options.onEntry(id, users);
          }
        }
      } catch (error) {
        if (stopping.signal.aborted) return;
        // A redirect is retried at once, a few times in a row (a slot being moved may bounce).
        redirects = loop.failed(error) ? redirects + 1 : 0;
        if (redirects > 0 && redirects <= 3) continue;
        const shards = loop.shards;
        // One warning per outage and loop; its retries at debug level.
        log[backoff === 100 ? 'warn' : 'debug'](
          { err: error, shards, retryInMs: backoff },
          'push: reading the shard streams failed',
        );
        await delay(backoff, undefined, { signal: stopping.signal }).catch(() => {});
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  };
  const ready: Promise<void>[] = [];
  const done = loops.map((loop) => {
    let markReady = () => {};
    ready.push(
      new Promise<void>((resolve) => {
        markReady = resolve;
      }),
    );
    return run(loop, markReady);
  });
  // Start waits for the first cursors while Redis answers (a few ms); without Redis it goes on.
  const waiting = new AbortController();
  await Promise.race([
    Promise.all(ready),
    delay(2_000, undefined, { signal: waiting.signal }).catch(() => {}),
  ]);
  waiting.abort();

  return {
    cursor: (shard) => cursors[shard]!,
    async close() {
      // Nothing is lost with such a read: the hub ended every stream before it closes the reader.
      const unreachable = [...waitingOn.values()].filter((client) => client.status !== 'ready');
      stopping.abort();
      for (const loop of loops) loop.close();
      // The cluster client only told the shard connections where the nodes are.
      if (cluster) cluster.disconnect();
      await Promise.all(done);
      if (unreachable.length > 0) {
        log.info(
          { loops: unreachable.length, status: unreachable[0]!.status },
          'push: shard reader stopped with a read pending on an unreachable Redis (dropped)',
        );
      }
    },
  };
}

function parseUsers(json: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string') : [];
  } catch {
    return [];
  }
}
