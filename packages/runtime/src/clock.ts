import type { Logger } from 'pino';
import type { RedisClient } from './redis-client.ts';
import { subscribeWhileReachable } from './redis-subscribe.ts';

/**
 * The one source of "now" for every rule. With the QA clock enabled, an offset kept in Redis
 * shifts it for every api and worker process of the stack: a publish reaches subscribers at
 * once, and a 1 s poll covers a missed message.
 */
export interface Clock {
  now(): Date;
  offsetSeconds(): number;
  setOffsetSeconds(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export function systemClock(): Clock {
  return {
    now: () => new Date(),
    offsetSeconds: () => 0,
    setOffsetSeconds: async () => {
      throw new Error('the QA clock is not enabled');
    },
    close: async () => {},
  };
}

export function clockKeys(prefix: string) {
  return { key: `${prefix}:clock:offset`, channel: `${prefix}:clock:changed` };
}

export async function qaClock(options: {
  redis: RedisClient;
  subscriber: RedisClient;
  prefix: string;
  log: Logger;
  pollMs?: number;
}): Promise<Clock> {
  const { redis, subscriber, prefix, log } = options;
  const { key, channel } = clockKeys(prefix);
  let offsetMs = 0;

  const refresh = async () => {
    try {
      const value = await redis.get(key);
      const next = value === null ? 0 : Number(value) * 1000;
      if (Number.isFinite(next) && next !== offsetMs) {
        offsetMs = next;
        log.info({ offsetSeconds: next / 1000 }, 'QA clock offset changed');
      }
    } catch (error) {
      log.warn({ err: error }, 'QA clock: could not read the offset from Redis');
    }
  };

  await refresh();
  subscriber.on('message', (ch: string) => {
    if (ch === channel) void refresh();
  });
  await subscribeWhileReachable(subscriber, channel, (error) => {
    log.warn({ err: error }, 'QA clock: could not subscribe; polling only');
  });
  const timer = setInterval(() => void refresh(), options.pollMs ?? 1000);
  timer.unref();

  return {
    now: () => new Date(Date.now() + offsetMs),
    offsetSeconds: () => offsetMs / 1000,
    setOffsetSeconds: async (seconds) => {
      await redis.set(key, String(seconds));
      await redis.publish(channel, String(seconds));
      offsetMs = seconds * 1000;
    },
    close: async () => {
      clearInterval(timer);
      subscriber.disconnect();
    },
  };
}
