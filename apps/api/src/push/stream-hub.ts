import { randomUUID } from 'node:crypto';
import { type ChallengeView, CoreError, type Definitions } from '@challenges/core';
import {
  compareStreamIds,
  PUSH_REPLAY_WINDOW_MS,
  PUSH_SHARDS,
  parseStreamId,
  pushLastKey,
  pushShardOf,
  pushStreamKey,
  type RedisClient,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import { startAnnounceAll } from './announce-all.ts';
import type { Baseline, GoalChange } from './goal-changes.ts';
import { startListening } from './listening.ts';
import { createRederiver } from './rederive.ts';
import { type ShardReader, startShardReader } from './shard-reader.ts';
import type { StreamMetrics, StreamTransport } from './stream-metrics.ts';
import { createStreamSlots } from './stream-slots.ts';

const SHARD_CLOCK = 'challengesPushShardClock';
const SHARD_CLOCK_LUA = `return redis.call('TIME')`;
type ShardClockRedis = RedisClient & {
  [SHARD_CLOCK](keys: number, key: string): Promise<[string, string]>;
};

export type StreamEvent =
  | { kind: 'snapshot'; id: string; definitions: Definitions; challenges: ChallengeView[] }
  | { kind: 'change'; id: string; goals: GoalChange[] };

/** Above any sequence number Redis gives within one millisecond. */
const MAX_SEQ = '999999999999';

export type CloseReason = 'shutdown' | 'expired';

/** One open stream as the edge (SSE or gRPC) writes it. */
export interface StreamSink {
  send(event: StreamEvent): void;
  heartbeat(): void;
  close(reason: CloseReason): void;
}

interface Connection {
  /** Its slot in the player's global limit (stream-slots.ts). */
  id: string;
  transport: StreamTransport;
  userId: string;
  sink: StreamSink;
  /** The id of the last event the client has (sent, or named by its Last-Event-ID). */
  lastId: string;
  baseline: Baseline | null;
  snapshotDue: boolean;
  /** The definitions version its client has: a newer one is sent as a snapshot. */
  version: number;
  expiry?: NodeJS.Timeout;
}

export interface StreamHubOptions {
  ctx: AppContext;
  /** Commands (GET of a player's last change). */
  redis: RedisClient;
  /** A connection of its own for the blocking reads. */
  reader: RedisClient;
  prefix: string;
  log: Logger;
  /** Across every replica (stream-slots.ts). */
  maxPerPlayer: number;
  /** How long a replica that died holds its streams' slots (STREAM_SLOT_TTL_MS). */
  slotTtlMs?: number;
  metrics?: StreamMetrics;
  heartbeatMs?: number;
  /** Batches of changed players re-derived at once (one query each: rederive.ts). */
  concurrency?: number;
  now?: () => number;
}

export interface StreamHub {
  /** Opens a stream; throws RATE_LIMITED over the per-player limit. Returns its closer. */
  open(input: {
    transport: StreamTransport;
    userId: string;
    lastEventId?: string;
    expiresAtMs?: number;
    sink: StreamSink;
  }): Promise<() => void>;
  connections(): number;
  close(): Promise<void>;
}

/**
 * The api's side of the push (docs/push.md): reads every shard's stream, and for each changed
 * player with open connections here re-derives the goals once (in batches: rederive.ts) and sends
 * each connection its diff.
 */
export async function startStreamHub(options: StreamHubOptions): Promise<StreamHub> {
  const { ctx, redis, prefix, log } = options;
  const now = options.now ?? Date.now;
  const byUser = new Map<string, Set<Connection>>();
  let count = 0;
  let closed = false;
  const { metrics } = options;
  const slots = createStreamSlots({
    redis,
    prefix,
    max: options.maxPerPlayer,
    ttlMs: options.slotTtlMs ?? 60_000,
    log,
    localCount: (userId) => byUser.get(userId)?.size ?? 0,
  });

  const { dirty } = createRederiver({
    ctx,
    log,
    receiversOf: (userId) => byUser.get(userId),
    concurrency: options.concurrency,
    metrics,
  });

  const reader: ShardReader = await startShardReader({
    redis: options.reader,
    prefix,
    log,
    onEntry: (id, userIds) => {
      for (const userId of userIds) if (byUser.has(userId)) dirty(userId, id);
    },
  });

  const remove = (conn: Connection) => {
    const set = byUser.get(conn.userId);
    if (!set?.delete(conn)) return;
    count--;
    slots.release(conn.userId, conn.id);
    metrics?.closed(conn.transport);
    if (conn.expiry) clearTimeout(conn.expiry);
    if (set.size === 0) byUser.delete(conn.userId);
    listening.closed();
  };

  /** Within the window: the key of a change after it would still be there. */
  const resumable = (id: string | undefined): id is string => {
    const parsed = parseStreamId(id);
    if (!parsed) return false;
    const age = now() - parsed[0];
    return age < PUSH_REPLAY_WINDOW_MS - 60_000 && age > -60_000;
  };

  // The clock of the node that holds the shard's stream (on a Redis Cluster another master's
  // clock may differ): TIME inside a script keyed by the stream runs on that node.
  if (!(SHARD_CLOCK in redis)) redis.defineCommand(SHARD_CLOCK, { lua: SHARD_CLOCK_LUA });
  const shardClock = (shard: number) =>
    (redis as ShardClockRedis)[SHARD_CLOCK](1, pushStreamKey(prefix, shard));

  /** Just before the shard node's clock now (or the shard's cursor, when Redis does not answer). */
  const snapshotId = async (shard: number): Promise<string> => {
    const cursor = reader.cursor(shard);
    try {
      const [seconds, micros] = await shardClock(shard);
      const ms = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - 1;
      const before = `${ms}-${MAX_SEQ}`;
      return compareStreamIds(before, cursor) > 0 ? before : cursor;
    } catch {
      return cursor;
    }
  };

  const heartbeat = setInterval(() => {
    for (const set of byUser.values()) for (const conn of set) conn.sink.heartbeat();
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  // Publishes go through ctx.push (never rejects): the events get stream ids like any change.
  const everyone = startAnnounceAll(ctx, () => {
    if (byUser.size > 0) void ctx.push?.changed([...byUser.keys()]);
  });
  const listening = startListening({
    redis,
    prefix,
    log,
    held: () => count,
    announce: (userId) => void ctx.push?.changed([userId]),
  });

  return {
    async open({ transport, userId, lastEventId, expiresAtMs, sink: edgeSink }) {
      if (closed) throw new CoreError('UNAVAILABLE', 'the server is shutting down');
      const shard = pushShardOf(userId, PUSH_SHARDS);
      const resume = resumable(lastEventId);
      // A snapshot's id: every entry up to it was published after a commit that the snapshot,
      // read after this, includes; a resume from it is exact on any replica.
      const startId = resume ? lastEventId : await snapshotId(shard);
      const id = randomUUID();
      if (!(await slots.acquire(userId, id))) {
        metrics?.refused('limit');
        throw new CoreError(
          'RATE_LIMITED',
          `at most ${options.maxPerPlayer} open streams per player (STREAM_MAX_PER_PLAYER)`,
        );
      }
      const sink = metrics ? metrics.metered(edgeSink) : edgeSink;
      const set = byUser.get(userId) ?? new Set<Connection>();
      const conn: Connection = {
        id,
        transport,
        userId,
        sink,
        lastId: startId,
        baseline: null,
        snapshotDue: !resume,
        version: ctx.definitions.version(),
      };
      set.add(conn);
      byUser.set(userId, set);
      count++;
      listening.opened(userId);
      metrics?.opened(transport);
      if (expiresAtMs !== undefined) {
        conn.expiry = setTimeout(
          () => {
            remove(conn);
            sink.close('expired');
          },
          Math.max(0, expiresAtMs - now()),
        );
      }
      if (resume) {
        // Registered first: a change published from now on is dispatched to this connection.
        const last = await redis.get(pushLastKey(prefix, shard, userId)).catch((error) => {
          remove(conn); // the caller gets no closer: its slot must not outlive the refusal
          throw error;
        });
        if (last !== null && compareStreamIds(last, startId) > 0) dirty(userId, last);
      } else {
        dirty(userId, startId);
      }
      return () => remove(conn);
    },
    connections: () => count,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      everyone.stop();
      listening.stop();
      slots.close();
      for (const set of [...byUser.values()]) {
        for (const conn of [...set]) {
          remove(conn);
          conn.sink.close('shutdown');
        }
      }
      await reader.close();
    },
  };
}
