import type { RedisClient } from '../redis-client.ts';
import {
  PUSH_SHARDS,
  PUSH_STREAM_MAXLEN,
  pushLastKey,
  pushShardOf,
  pushStreamKey,
} from './push-keys.ts';

const PUBLISH_COMMAND = 'challengesPushChanged';

/**
 * KEYS[1]: the shard's stream; KEYS[2..]: each player's last-change key. ARGV[1]: MAXLEN,
 * ARGV[2]: how long a last-change key lives (ms), ARGV[3]: the user ids as a JSON array. One entry names every
 * player; the keys are set in the same atomic step, so a reader that sees the entry sees them.
 */
const PUBLISH_LUA = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'u', ARGV[3])
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], id, 'PX', ARGV[2])
end
return id
`;

type PushRedis = RedisClient & {
  [PUBLISH_COMMAND](...args: (string | number)[]): Promise<string>;
};

export interface PushPublisher {
  /** Announces that these players' goals may have changed: one stream entry per shard. */
  changed(userIds: Iterable<string>): Promise<void>;
}

/** How long a reconnect may resume from its Last-Event-ID (the last-change keys live this long). */
export const PUSH_REPLAY_WINDOW_MS = 10 * 60_000;

/** Publishes after a commit (the worker's batch, the api's own writes); see docs/push.md. */
export function createPushPublisher(options: {
  redis: RedisClient;
  prefix: string;
  shards?: number;
  maxLen?: number;
  windowMs?: number;
}): PushPublisher {
  const { redis, prefix } = options;
  const shards = options.shards ?? PUSH_SHARDS;
  const maxLen = options.maxLen ?? PUSH_STREAM_MAXLEN;
  const windowMs = options.windowMs ?? PUSH_REPLAY_WINDOW_MS;
  if (!(PUBLISH_COMMAND in redis)) redis.defineCommand(PUBLISH_COMMAND, { lua: PUBLISH_LUA });
  const push = redis as PushRedis;
  return {
    async changed(userIds) {
      const byShard = new Map<number, string[]>();
      for (const userId of new Set(userIds)) {
        const shard = pushShardOf(userId, shards);
        const list = byShard.get(shard);
        if (list) list.push(userId);
        else byShard.set(shard, [userId]);
      }
      await Promise.all(
        [...byShard].map(([shard, users]) =>
          push[PUBLISH_COMMAND](
            1 + users.length,
            pushStreamKey(prefix, shard),
            ...users.map((u) => pushLastKey(prefix, shard, u)),
            maxLen,
            windowMs,
            JSON.stringify(users),
          ),
        ),
      );
    },
  };
}
