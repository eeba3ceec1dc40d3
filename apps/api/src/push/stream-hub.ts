import { type ChallengeView, CoreError, type Definitions, periodAt } from '@challenges/core';
import {
  compareStreamIds,
  PUSH_REPLAY_WINDOW_MS,
  PUSH_SHARDS,
  type PushPublisher,
  parseStreamId,
  pushLastKey,
  pushShardOf,
  type RedisClient,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import type { Baseline, GoalChange } from './goal-changes.ts';
import { createRederiver } from './rederive.ts';
import { type ShardReader, startShardReader } from './shard-reader.ts';

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
  userId: string;
  sink: StreamSink;
  /** The id of the last event the client has (sent, or named by its Last-Event-ID). */
  lastId: string;
  baseline: Baseline | null;
  snapshotDue: boolean;
  expiry?: NodeJS.Timeout;
}

export interface StreamHubOptions {
  ctx: AppContext;
  /** Commands (GET of a player's last change). */
  redis: RedisClient;
  /** A connection of its own for the blocking reads. */
  reader: RedisClient;
  publisher: PushPublisher;
  prefix: string;
  log: Logger;
  maxPerPlayer: number;
  heartbeatMs?: number;
  /** Batches of changed players re-derived at once (one query each: rederive.ts). */
  concurrency?: number;
  now?: () => number;
}

export interface StreamHub {
  /** Opens a stream; throws RATE_LIMITED over the per-player limit. Returns its closer. */
  open(input: {
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

  const { dirty } = createRederiver({
    ctx,
    log,
    receiversOf: (userId) => byUser.get(userId),
    concurrency: options.concurrency,
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
    if (conn.expiry) clearTimeout(conn.expiry);
    if (set.size === 0) byUser.delete(conn.userId);
  };

  /** Within the window: the key of a change after it would still be there. */
  const resumable = (id: string | undefined): id is string => {
    const parsed = parseStreamId(id);
    if (!parsed) return false;
    const age = now() - parsed[0];
    return age < PUSH_REPLAY_WINDOW_MS - 60_000 && age > -60_000;
  };

  /** Just before Redis's clock now (or the shard's cursor, when Redis does not answer). */
  const snapshotId = async (shard: number): Promise<string> => {
    const cursor = reader.cursor(shard);
    try {
      const [seconds, micros] = await redis.time();
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

  const rotation = rotationTimer(ctx, () => {
    if (byUser.size > 0) void options.publisher.changed(byUser.keys()).catch(() => undefined);
  });

  return {
    async open({ userId, lastEventId, expiresAtMs, sink }) {
      if (closed) throw new CoreError('UNAVAILABLE', 'the server is shutting down');
      const shard = pushShardOf(userId, PUSH_SHARDS);
      const resume = resumable(lastEventId);
      // A snapshot's id: every entry up to it was published after a commit that the snapshot,
      // read after this, includes; a resume from it is exact on any replica.
      const startId = resume ? lastEventId : await snapshotId(shard);
      const set = byUser.get(userId) ?? new Set<Connection>();
      if (set.size >= options.maxPerPlayer) {
        throw new CoreError(
          'RATE_LIMITED',
          `at most ${options.maxPerPlayer} open streams per player (STREAM_MAX_PER_PLAYER)`,
        );
      }
      const conn: Connection = {
        userId,
        sink,
        lastId: startId,
        baseline: null,
        snapshotDue: !resume,
      };
      set.add(conn);
      byUser.set(userId, set);
      count++;
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
        const last = await redis.get(pushLastKey(prefix, shard, userId));
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
      rotation.stop();
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

/**
 * At each rotation boundary of the live definitions, announces every connected player as
 * changed (through the stream, so the events get ids like any other change).
 */
function rotationTimer(ctx: AppContext, fire: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const { challenges } = ctx.definitions.current();
    const at = ctx.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const challenge of challenges) {
      for (const goal of challenge.goals) {
        if (goal.rotation) {
          next = Math.min(next, periodAt({ rotation: goal.rotation, now: at }).end.getTime());
        }
      }
    }
    // A second past the boundary; at most an hour (a publish may bring nearer boundaries).
    const delay = Number.isFinite(next) ? Math.max(1_000, next - at.getTime() + 1_000) : 60_000;
    timer = setTimeout(
      () => {
        if (ctx.clock.now().getTime() >= next) fire();
        schedule();
      },
      Math.min(delay, 60_000 * 60),
    );
    timer.unref();
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}
