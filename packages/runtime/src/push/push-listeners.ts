import type { RedisClient } from '../redis-client.ts';

/**
 * The publish gate of docs/push.md: an api replica holding streams keeps one key alive, and the
 * worker publishes a batch's players only while the key exists. The key lives a replay window
 * past each refresh, so a `Last-Event-ID` resume still finds the last-change keys after the last
 * stream anywhere closed.
 */
export function pushListenersKey(prefix: string): string {
  return `${prefix}:push:listeners`;
}

/** How old the worker's view of the key may be when it skips a publish. */
export const PUSH_GATE_MAX_AGE_MS = 1000;

const MARK_COMMAND = 'challengesPushListening';

/**
 * KEYS[1]: the key; ARGV[1]: its life (ms). The value is Redis's clock when the key appeared and
 * survives refreshes; returns it with Redis's clock now, both in ms.
 */
const MARK_LUA = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local since = tonumber(redis.call('GET', KEYS[1])) or now
redis.call('SET', KEYS[1], since, 'PX', ARGV[1])
return {since, now}
`;

type MarkRedis = RedisClient & {
  [MARK_COMMAND](keys: number, key: string, ttlMs: number): Promise<[number, number]>;
};

/**
 * Keeps the gate open for `ttlMs`. Resolves with how long ago (ms) the gate opened: under
 * PUSH_GATE_MAX_AGE_MS a worker may still have skipped a commit a new stream should see.
 */
export async function markPushListening(
  redis: RedisClient,
  prefix: string,
  ttlMs: number,
): Promise<number> {
  if (!(MARK_COMMAND in redis)) redis.defineCommand(MARK_COMMAND, { lua: MARK_LUA });
  const [since, now] = await (redis as MarkRedis)[MARK_COMMAND](1, pushListenersKey(prefix), ttlMs);
  return Number(now) - Number(since);
}

export interface PushListenersGate {
  /** Whether some replica may hold a stream (the key, read at most maxAgeMs ago). */
  open(): Promise<boolean>;
}

/** The worker's side: one GET a `maxAgeMs` at most; a failed read counts as open. */
export function pushListenersGate(options: {
  redis: RedisClient;
  prefix: string;
  maxAgeMs?: number;
  now?: () => number;
}): PushListenersGate {
  const { redis } = options;
  const key = pushListenersKey(options.prefix);
  const maxAgeMs = options.maxAgeMs ?? PUSH_GATE_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  let known: { open: boolean; at: number } | undefined;
  let reading: Promise<boolean> | undefined;
  return {
    open() {
      // The age counts from the read's start: the key may have appeared just after Redis answered.
      if (known && now() - known.at < maxAgeMs) return Promise.resolve(known.open);
      if (!reading) {
        const at = now();
        reading = redis
          .exists(key)
          .then(
            (n) => n > 0,
            () => true,
          )
          .then((open) => {
            known = { open, at };
            reading = undefined;
            return open;
          });
      }
      return reading;
    },
  };
}
