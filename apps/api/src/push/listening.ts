import type { RedisClient } from '@challenges/runtime';
import {
  markPushListening,
  PUSH_GATE_MAX_AGE_MS,
  PUSH_REPLAY_WINDOW_MS,
} from '@challenges/runtime';
import type { Logger } from 'pino';

/** How often a replica holding streams refreshes the gate key (it lives a replay window). */
const REFRESH_MS = 5_000;

/** Past the worker's view of the gate, with room for the publish in flight. */
const GATE_SETTLED_MS = PUSH_GATE_MAX_AGE_MS + 500;

/**
 * This replica's side of the publish gate (docs/push.md): the key stays alive while it holds a
 * stream, and a replay window after its last one closed. A stream opened while the gate was just
 * opening is re-derived once the workers have seen it, so a commit they skipped is not missed.
 */
export function startListening(options: {
  redis: RedisClient;
  prefix: string;
  log: Logger;
  /** Open streams on this replica. */
  held: () => number;
  /** Publishes the player as changed (through the stream, so the event gets an id). */
  announce: (userId: string) => void;
  ttlMs?: number;
}) {
  const { redis, prefix, log } = options;
  const ttlMs = options.ttlMs ?? PUSH_REPLAY_WINDOW_MS;
  const pending = new Set<NodeJS.Timeout>();
  const mark = () => markPushListening(redis, prefix, ttlMs);
  const failed = (error: unknown) => log.debug({ err: error }, 'push: gate key not refreshed');

  const timer = setInterval(() => {
    if (options.held() > 0) mark().catch(failed);
  }, REFRESH_MS);
  timer.unref();

  return {
    opened(userId: string): void {
      mark()
        .then((age) => {
          if (age >= GATE_SETTLED_MS) return;
          const later = setTimeout(() => {
            pending.delete(later);
            options.announce(userId);
          }, GATE_SETTLED_MS - age);
          later.unref();
          pending.add(later);
        })
        .catch(failed);
    },
    /** The grace counts from the last stream's close. */
    closed(): void {
      if (options.held() === 0) mark().catch(failed);
    },
    stop(): void {
      clearInterval(timer);
      for (const later of pending) clearTimeout(later);
      pending.clear();
    },
  };
}
