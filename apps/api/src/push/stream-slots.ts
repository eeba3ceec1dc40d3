import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';

const ACQUIRE_COMMAND = 'challengesStreamSlotAcquire';
const REFRESH_COMMAND = 'challengesStreamSlotRefresh';

/**
 * KEYS[1]: the player's slots, a sorted set of connection ids scored by expiry (Redis's clock,
 * ms). ARGV: connection id, the limit, the slot TTL (ms). Expired members (a replica that died
 * without closing) go first; then the connection gets a slot if one is free. 1 or 0.
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** KEYS[1]: the player's slots; ARGV[1]: the TTL (ms); ARGV[2..]: the holder's connection ids. */
const REFRESH_LUA = `
local t = redis.call('TIME')
local expiry = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], expiry, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`;

type SlotRedis = RedisClient & {
  [ACQUIRE_COMMAND](key: string, id: string, max: number, ttlMs: number): Promise<number>;
  [REFRESH_COMMAND](key: string, ttlMs: number, ...ids: string[]): Promise<number>;
};

export function streamSlotsKey(prefix: string, userId: string): string {
  return `${prefix}:push:slots:${userId}`;
}

export interface StreamSlots {
  /** One round trip: true when the player had a free slot, now held by `connectionId`. */
  acquire(userId: string, connectionId: string): Promise<boolean>;
  /** One round trip (not awaited by callers). */
  release(userId: string, connectionId: string): void;
  close(): void;
}

/**
 * STREAM_MAX_PER_PLAYER across every api replica (docs/push.md): a slot per open stream in
 * Redis, held for `ttlMs` and refreshed by this replica every `ttlMs / 3` while the stream is
 * open. The slots of a replica that dies without closing its streams expire within `ttlMs`.
 * When Redis does not answer, `localCount` decides: the limit holds per replica, as before.
 */
export function createStreamSlots(options: {
  redis: RedisClient;
  prefix: string;
  max: number;
  ttlMs: number;
  log: Logger;
  localCount: (userId: string) => number;
}): StreamSlots {
  const { redis, prefix, max, ttlMs, log } = options;
  if (!(ACQUIRE_COMMAND in redis)) {
    redis.defineCommand(ACQUIRE_COMMAND, { numberOfKeys: 1, lua: ACQUIRE_LUA });
    redis.defineCommand(REFRESH_COMMAND, { numberOfKeys: 1, lua: REFRESH_LUA });
  }
  const slots = redis as SlotRedis;
  const held = new Map<string, Set<string>>();

  const refresh = setInterval(
    () => {
      for (const [userId, ids] of held) {
        slots[REFRESH_COMMAND](streamSlotsKey(prefix, userId), ttlMs, ...ids).catch(
          (error: unknown) => log.debug({ err: error }, 'push: refreshing stream slots failed'),
        );
      }
    },
    Math.max(10, Math.floor(ttlMs / 3)),
  );
  refresh.unref();

  return {
    async acquire(userId, connectionId) {
      let granted: boolean;
      try {
        granted =
          (await slots[ACQUIRE_COMMAND](
            streamSlotsKey(prefix, userId),
            connectionId,
            max,
            ttlMs,
          )) === 1;
      } catch (error) {
        log.warn({ err: error, userId }, 'push: stream slots unavailable; limit per replica');
        granted = options.localCount(userId) < max;
      }
      if (granted) {
        const ids = held.get(userId) ?? new Set<string>();
        ids.add(connectionId);
        held.set(userId, ids);
      }
      return granted;
    },
    release(userId, connectionId) {
      const ids = held.get(userId);
      if (!ids?.delete(connectionId)) return;
      if (ids.size === 0) held.delete(userId);
      redis
        .zrem(streamSlotsKey(prefix, userId), connectionId)
        .catch((error: unknown) => log.debug({ err: error }, 'push: releasing a slot failed'));
    },
    close: () => clearInterval(refresh),
  };
}
