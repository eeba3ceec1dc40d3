import { duplicateRedis, isCluster, type RedisClient } from '@challenges/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { abortableDelay } from './processors/apply-events.ts';

/**
 * Why an idle wait ended: `marker` a producer wrote a job to a watched partition; `timeout`
 * nothing for the whole wait; `interrupted` the held partitions grew; `polled` an older blocking
 * read is still out, so this wait was a linger, as before the wake-up; `closing` shutdown.
 */
export type WakeReason = 'marker' | 'timeout' | 'interrupted' | 'polled' | 'closing';

/** Local backstop over Redis's own timeout: a Redis that is away must not hold the loop. */
const BACKSTOP_MS = 1000;

interface BlockingRead {
  keys: string;
  reply: Promise<WakeReason>;
}

/**
 * The idle consumer's wait for work: BZPOPMIN, on a connection of its own, on the markers of the
 * partitions it holds (the sorted set a producer adds to with each job, as for BullMQ's Worker).
 * The consumer's take clears the markers it looked behind, so a marker seen here is a job written
 * after the last take, and nothing written in between is missed. One blocking read is out at a
 * time; a read for partitions no longer held is left to end on its own while the consumer polls.
 * Single Redis only: in a Cluster the markers of the partitions live in different slots, which
 * one blocking command cannot span, so `queueWakeUp` gives undefined and the consumer polls.
 */
export class QueueWakeUp {
  private read: BlockingRead | undefined;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly redis: RedisClient,
    private readonly blocker: Redis,
    private readonly options: WakeUpOptions,
  ) {
    // A pending BZPOPMIN ends only by its timeout; closing the connection ends it now.
    options.closing.addEventListener('abort', () => this.close(), { once: true });
  }

  static create(options: WakeUpOptions): QueueWakeUp | undefined {
    if (isCluster(options.redis)) return undefined;
    const blocker = duplicateRedis(options.redis, { maxRetriesPerRequest: null }) as Redis;
    blocker.on('error', (error) => options.log.debug({ err: error }, 'wake-up connection error'));
    return new QueueWakeUp(options.redis, blocker, options);
  }

  /** Waits until a job may wait in one of `partitions`, for at most `timeoutMs`. */
  async wait(partitions: readonly number[], timeoutMs: number): Promise<WakeReason> {
    const { closing, pollMs } = this.options;
    if (closing.aborted) return 'closing';
    // Sorted: the same partitions in another order are the same read.
    const keys = [...partitions].sort((a, b) => a - b).map((p) => this.options.marker(p));
    let blocking: Promise<WakeReason> | undefined;
    let limit: { ms: number; reason: WakeReason } = {
      ms: timeoutMs + BACKSTOP_MS,
      reason: 'timeout',
    };
    if (this.read && this.read.keys !== keys.join('\n')) {
      blocking = this.read.reply.then(() => 'polled' as const);
      limit = { ms: pollMs, reason: 'polled' };
    } else if (keys.length > 0) {
      blocking = (this.read ?? this.block(keys, timeoutMs)).reply;
    }
    let timer: NodeJS.Timeout | undefined;
    const local = new Promise<WakeReason>((resolve) => {
      this.wake = () => resolve(closing.aborted ? 'closing' : 'interrupted');
      timer = setTimeout(() => resolve(limit.reason), limit.ms);
    });
    try {
      return await Promise.race(blocking ? [local, blocking] : [local]);
    } finally {
      clearTimeout(timer);
      this.wake = undefined;
    }
  }

  /** Ends the running wait at once: partitions were gained, and their jobs may wait already. */
  interrupt(): void {
    this.wake?.();
  }

  close(): void {
    this.wake?.();
    this.blocker.disconnect();
  }

  private block(keys: string[], timeoutMs: number): BlockingRead {
    const read: BlockingRead = {
      keys: keys.join('\n'),
      reply: this.blocker.bzpopmin(...keys, timeoutMs / 1000).then(
        (popped) => {
          this.read = undefined;
          if (!popped) return 'timeout';
          this.handBack(popped[0]);
          return 'marker';
        },
        async (error: unknown) => {
          this.read = undefined;
          if (this.options.closing.aborted) return 'closing';
          // A read Redis refuses must not turn the idle loop into a busy one.
          this.options.log.debug({ err: error }, 'wake-up read failed');
          await abortableDelay(this.options.pollMs, this.options.closing);
          return 'polled';
        },
      ),
    };
    this.read = read;
    return read;
  }

  /** A marker of a partition given away mid-read belongs to its new holder: put it back. */
  private handBack(key: string): void {
    const held = this.options.held().map((p) => this.options.marker(p));
    if (held.includes(key)) return;
    this.redis.zadd(key, 0, '0').catch((error: unknown) => {
      this.options.log.debug({ err: error }, 'wake-up marker not handed back');
    });
  }
}

export interface WakeUpOptions {
  /** The consumer's connection; the wake-up opens one of its own next to it. */
  redis: RedisClient;
  /** A partition's marker key. */
  marker: (partition: number) => string;
  /** The partitions held now. */
  held: () => readonly number[];
  /** A wait while an older read is out, or after a failed read, lasts this long (the poll period). */
  pollMs: number;
  closing: AbortSignal;
  log: Logger;
}
