import {
  type AssignmentView,
  buildChallengeViews,
  type ChallengeView,
  type Definitions,
  hasAudiences,
} from '@challenges/core';
import { compareStreamIds } from '@challenges/runtime';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import { audienceDefinitions } from '../application/player-audience.ts';
import { scheduledDefinitions } from '../application/player-definitions.ts';
import { type Baseline, diffGoals, type GoalPrint, goalPrints } from './goal-changes.ts';
import type { StreamSink } from './stream-hub.ts';
import type { StreamMetrics } from './stream-metrics.ts';

/** What the re-derive reads and writes of an open connection (stream-hub.ts's Connection). */
export interface Receiver {
  sink: StreamSink;
  /** The id of the last event the client has (sent, or named by its Last-Event-ID). */
  lastId: string;
  baseline: Baseline | null;
  snapshotDue: boolean;
  /** The definitions version its client has: a newer one is sent as a snapshot. */
  version: number;
}

/** A changed player's goals as GET /v1/challenges lists them (all, active or not). */
interface PlayerGoals {
  definitions: Definitions;
  /** The definitions version read before the query (a switch in between costs a second snapshot). */
  version: number;
  challenges: ChallengeView[];
}

/**
 * The changed players' lists, for many players at once: one statement reads every player's rows
 * (viewsByUsers), then each is built as listChallenges builds it. A player whose rows fail to
 * derive is an Error of its own; the others are built.
 */
export async function derivePlayers(
  ctx: AppContext,
  userIds: readonly string[],
): Promise<Map<string, PlayerGoals | Error>> {
  const version = ctx.definitions.version();
  const now = ctx.clock.now();
  const definitions = scheduledDefinitions(ctx, now);
  // Audiences (docs/definitions.md#audiences): each player's attributes, as a list reads them.
  const visibleOf = hasAudiences(definitions)
    ? Promise.allSettled(
        userIds.map(async (userId) => audienceDefinitions(ctx, { userId }, definitions)),
      )
    : undefined;
  const { views, failed } = await ctx.progress.viewsByUsers(userIds, { definitions, now });
  const visible = await visibleOf;
  const out = new Map<string, PlayerGoals | Error>();
  userIds.forEach((userId, i) => {
    const audience = visible?.[i];
    const error = failed.get(userId) ?? (audience?.status === 'rejected' && audience.reason);
    if (error) {
      out.set(userId, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const player = views.get(userId) ?? new Map<string, AssignmentView>();
    try {
      const challenges = buildChallengeViews({
        definitions: audience?.status === 'fulfilled' ? audience.value.visible : definitions,
        views: player,
        now,
        activeOnly: false,
      });
      out.set(userId, { definitions, version, challenges });
    } catch (caught) {
      out.set(userId, caught instanceof Error ? caught : new Error(String(caught)));
    }
  });
  return out;
}

/**
 * Sends a changed player's connections what each lacks: a snapshot where one is due, else the
 * goals that differ from what the connection last sent (fingerprints computed once per player).
 * A connection whose send throws is skipped; the player's other connections still get theirs.
 */
export function dispatchPlayer(
  player: PlayerGoals,
  receivers: Iterable<Receiver>,
  id: string,
  log: Logger,
): void {
  let prints: GoalPrint[] | undefined;
  for (const conn of receivers) {
    prints ??= goalPrints(player.challenges);
    try {
      sendTo(conn, player, prints, id);
    } catch (error) {
      log.warn({ err: error }, 'push: sending to a stream failed');
    }
  }
}

function sendTo(conn: Receiver, player: PlayerGoals, prints: GoalPrint[], id: string): void {
  // A publish changes what no per-player field shows (targets, names, goals): a snapshot.
  if (conn.snapshotDue || conn.version < player.version) {
    conn.snapshotDue = false;
    conn.version = player.version;
    const snapshotId = compareStreamIds(id, conn.lastId) > 0 ? id : conn.lastId;
    const { definitions, challenges } = player;
    conn.sink.send({ kind: 'snapshot', id: snapshotId, definitions, challenges });
    conn.lastId = snapshotId;
    conn.baseline = diffGoals(prints, null).next;
    return;
  }
  if (compareStreamIds(id, conn.lastId) <= 0) return;
  const { changes, next } = diffGoals(prints, conn.baseline);
  conn.baseline = next;
  conn.lastId = id;
  if (changes.length > 0) conn.sink.send({ kind: 'change', id, goals: changes });
}

export interface Rederiver {
  /** The player changed at stream entry `id`: re-derived in the next batch. */
  dirty(userId: string, id: string): void;
}

/**
 * Re-derives changed players in batches (docs/push.md, Design): the players marked dirty while a
 * batch runs form the next one (up to `batchSize`, `concurrency` batches at a time); a player
 * changed again while being re-derived is re-derived once more after.
 */
export function createRederiver(options: {
  ctx: AppContext;
  log: Logger;
  /** The player's open connections here; undefined when there are none. */
  receiversOf: (userId: string) => Iterable<Receiver> | undefined;
  batchSize?: number;
  concurrency?: number;
  metrics?: StreamMetrics;
}): Rederiver {
  const { ctx, log, receiversOf, metrics } = options;
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.concurrency ?? 2;
  const pending = new Map<string, string>();
  const running = new Set<string>();
  let batches = 0;

  function drain(): void {
    while (batches < concurrency) {
      const batch = new Map<string, string>();
      for (const [userId, id] of pending) {
        if (batch.size >= batchSize) break;
        if (running.has(userId)) continue;
        pending.delete(userId);
        if (receiversOf(userId) === undefined) continue;
        batch.set(userId, id);
      }
      if (batch.size === 0) return;
      for (const userId of batch.keys()) running.add(userId);
      batches++;
      refresh(batch)
        .catch((error: unknown) => log.warn({ err: error }, 'push: re-deriving failed'))
        .finally(() => {
          for (const userId of batch.keys()) running.delete(userId);
          batches--;
          drain();
        });
    }
  }

  async function refresh(batch: Map<string, string>): Promise<void> {
    const started = performance.now();
    const players = await derivePlayers(ctx, [...batch.keys()]);
    metrics?.rederived((performance.now() - started) / 1000);
    for (const [userId, id] of batch) {
      const player = players.get(userId);
      if (player instanceof Error) {
        log.warn({ err: player, userId }, 'push: re-deriving failed');
        continue;
      }
      const receivers = receiversOf(userId);
      if (player && receivers) dispatchPlayer(player, receivers, id, log);
    }
  }

  return {
    dirty(userId, id) {
      const before = pending.get(userId);
      if (before === undefined || compareStreamIds(id, before) > 0) pending.set(userId, id);
      drain();
    },
  };
}
