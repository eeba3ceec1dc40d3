import { setTimeout as delay } from 'node:timers/promises';
import { PUSH_SHARDS, pushStreamKey, type RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';

export interface ShardReader {
  /** The id of the last entry read from the shard ('0-0' before any). */
  cursor(shard: number): string;
  close(): Promise<void>;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Reads every shard's stream with one blocking XREAD per round trip, on a connection of its own.
 * Every replica reads every shard (docs/push.md says why): an entry naming no player connected
 * here costs a map lookup per player. After a Redis outage it resumes from its cursors.
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
  const index = new Map(keys.map((key, shard) => [key, shard]));
  const cursors = keys.map(() => '0-0');
  let stopped = false;
  let started = false;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  // Where each stream ends now: older entries were before any stream this replica serves.
  const start = async () => {
    const ends = await Promise.all(
      keys.map(async (key) => {
        const last = (await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
        return last[0]?.[0] ?? '0-0';
      }),
    );
    ends.forEach((id, shard) => {
      cursors[shard] = id;
    });
    started = true;
    markReady();
  };

  const loop = async () => {
    let backoff = 100;
    while (!stopped) {
      try {
        if (!started) await start();
        const reply = (await redis.xread(
          'COUNT',
          1000,
          'BLOCK',
          options.blockMs ?? 5_000,
          'STREAMS',
          ...keys,
          ...cursors,
        )) as XReadReply;
        backoff = 100;
        for (const [key, entries] of reply ?? []) {
          const shard = index.get(key)!;
          for (const [id, fields] of entries) {
            cursors[shard] = id;
            const users = fields[0] === 'u' ? parseUsers(fields[1]) : [];
            options.onEntry(id, users);
          }
        }
      } catch (error) {
        if (stopped) return;
        log.warn({ err: error, retryInMs: backoff }, 'push: reading the shard streams failed');
        await delay(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  };
  const done = loop();
  // Start waits for the first cursors while Redis answers (a few ms); without Redis it goes on.
  const waiting = new AbortController();
  await Promise.race([ready, delay(2_000, undefined, { signal: waiting.signal }).catch(() => {})]);
  waiting.abort();

  return {
    cursor: (shard) => cursors[shard]!,
    async close() {
      stopped = true;
      redis.disconnect();
      await done;
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
