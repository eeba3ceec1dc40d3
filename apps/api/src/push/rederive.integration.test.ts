import { createPushPublisher, createRedis, type RedisClient } from '@challenges/runtime';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import type { StreamEvent, StreamHub, StreamSink } from './stream-hub.ts';

// The batched re-derive (rederive.ts, docs/push.md): players named together in one read round
// are read with one statement; each connection gets exactly its own player's changes, and an odd
// row or a failing connection of one player does not hold back the others.
const prefix = `test-t18p-rederive-${process.pid}-${Date.now()}`;
const DEFAULT_GOALS = ['tutorial', 'login-3', 'daily-reset', 'daily-keep'];
const PLAYERS = 24;

let t: TestApi;
let hub: StreamHub;
let redis: RedisClient;
let pool: pg.Pool;

beforeAll(async () => {
  t = await startTestApi({ QUEUE_PREFIX: prefix });
  hub = t.api.push.hub!;
  redis = createRedis({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: [] });
  pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
}, 60_000);
afterAll(async () => {
  await pool?.end();
  redis?.disconnect();
  await t?.close();
});

function recorder(failChanges = false) {
  const events: StreamEvent[] = [];
  const sink: StreamSink = {
    send(event) {
      if (failChanges && event.kind === 'change') throw new Error('socket gone');
      events.push(event);
    },
    heartbeat() {},
    close() {},
  };
  return { events, sink };
}

const goalIds = (event: StreamEvent | undefined) =>
  event?.kind === 'change' ? event.goals.map((g) => g.view.goal.goalId) : [];

describe('re-deriving changed players in batches', { timeout: 60_000 }, () => {
  it('gives every player of one batch exactly their own changes; an odd row or a failing connection holds back no one', async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const users = Array.from({ length: PLAYERS }, (_, i) => `t18p-${run}-${i}`);
    for (const user of users) {
      expect((await t.call('POST', '/challenge/v1/challenges/initialize', { user })).status).toBe(
        200,
      );
    }
    // Player 0 fails on every change it is sent; the last one is named but has no change.
    const streams = users.map((_, i) => recorder(i === 0));
    const closers = await Promise.all(
      users.map((userId, i) => hub.open({ transport: 'sse', userId, sink: streams[i]!.sink })),
    );
    await vi.waitFor(() => {
      for (const s of streams) expect(s.events[0]?.kind).toBe('snapshot');
    });

    // Written behind the api's back, then announced in one publish: one read round.
    const changed = users.slice(0, -1);
    for (const [i, userId] of changed.entries()) {
      await pool.query(
        'UPDATE goal_progress SET is_active = false WHERE user_id = $1 AND goal_id = $2',
        [userId, DEFAULT_GOALS[i % DEFAULT_GOALS.length]],
      );
    }
    // Player 1's odd row: a goal the definitions do not know (left out of the list).
    await pool.query(
      `INSERT INTO goal_progress (user_id, goal_id, challenge_id, progress, status, is_active,
         assigned_at, anchor_seq, anchor_steps, anchor_days)
       VALUES ($1, 'retired-goal', 'retired', 3, 'in_progress', true, now(), 0, 0, 0)`,
      [users[1]],
    );
    await createPushPublisher({ redis, prefix }).changed(users);

    await vi.waitFor(() => {
      for (const s of streams.slice(1, -1)) expect(s.events).toHaveLength(2);
    });
    for (const [i, s] of streams.entries()) {
      if (i === 0 || i === PLAYERS - 1) continue;
      const change = s.events[1];
      expect(goalIds(change), users[i]).toEqual([DEFAULT_GOALS[i % DEFAULT_GOALS.length]]);
      expect(change?.kind === 'change' && change.goals[0]?.view.isActive).toBe(false);
    }
    // The failing connection sent nothing more; the unchanged player got no event.
    expect(streams[0]!.events).toHaveLength(1);
    expect(streams[PLAYERS - 1]!.events).toHaveLength(1);

    // The failed player is not stuck: its next change reaches a working connection.
    const again = recorder();
    closers.push(await hub.open({ transport: 'sse', userId: users[0]!, sink: again.sink }));
    await vi.waitFor(() => expect(again.events[0]?.kind).toBe('snapshot'));
    await pool.query(
      'UPDATE goal_progress SET is_active = false WHERE user_id = $1 AND goal_id = $2',
      [users[0], 'login-3'],
    );
    await createPushPublisher({ redis, prefix }).changed([users[0]!]);
    await vi.waitFor(() => expect(goalIds(again.events[1])).toEqual(['login-3']));
    for (const close of closers) close();
  });
});
