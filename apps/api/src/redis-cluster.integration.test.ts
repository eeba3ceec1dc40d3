import { randomUUID } from 'node:crypto';
import { eventQueueName, partitionOf } from '@challenges/core';
import { createPool } from '@challenges/db';
import { createRedis, type RedisClient } from '@challenges/runtime';
import { startRedisCluster, type TestRedisCluster } from '@challenges/runtime/testing';
import { type ServiceError, status } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from './testing/definitions-fixtures.ts';
import { type EventClients, eventClients } from './testing/event-clients.ts';
import type { SpawnedService } from './testing/spawn-service.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from './testing/test-api.ts';
import { spawnWorker } from './testing/test-stack.ts';

// Issue 15 item 1: the event pipeline on a real 3-master + 3-replica Redis Cluster, one master
// killed (-9) mid-stream. Each player sends its events one after another and retries one that
// is refused (the at-least-once client the ingest contract expects); the worker's event-id
// dedup makes those retries exactly-once.
const PARTITIONS = 8;
const PLAYERS = 16;
const EVENTS_PER_PLAYER = 30;
const KILL_AFTER_ACKS = 120;
/** A failover takes ~3 s here; a pipeline that does not recover fails the test instead of hanging it. */
const RETRY_FOR_MS = 60_000;

let cluster: TestRedisCluster;
let t: TestApi;
let worker: SpawnedService;
let clients: EventClients;
let pool: pg.Pool;
let redis: RedisClient;
const prefix = `cluster-${process.pid}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1 });
  const redisEnv = {
    REDIS_CLUSTER_NODES: cluster.seeds.join(','),
    // Nothing listens here: a client that skipped the factory would never reach Redis.
    REDIS_URL: 'redis://127.0.0.1:1',
    QUEUE_PREFIX: prefix,
    EVENT_PARTITIONS: String(PARTITIONS),
  };
  t = await startTestApi({ ...redisEnv, REDIS_ACK_REPLICAS: '1' });
  ({ worker } = await spawnWorker(
    { ...redisEnv, DATABASE_URL: t.databaseUrl },
    'worker consuming event partitions',
  ));
  clients = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, TEST_INGEST_KEY);
  pool = createPool({ databaseUrl: t.databaseUrl, max: 2 });
  redis = createRedis({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: cluster.seeds });
}, 120_000);

afterAll(async () => {
  clients?.close();
  redis?.disconnect();
  // A failed run can leave clients retrying a cluster that cannot serve them: the closes are
  // bounded, so the worker process and the cluster are always gone at the end.
  const closes = Promise.allSettled([worker?.stop(), t?.close(), pool?.end()]);
  await Promise.race([closes, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  worker?.child.kill('SIGKILL');
  await cluster?.close();
}, 60_000);

function sendLevel(user: string, i: number): Promise<void> {
  return clients.stat({
    id: `${user}-${i}`,
    namespace: 'test',
    timestamp: new Date().toISOString(),
    userId: user,
    payload: { statCode: 'level', latestValue: i, inc: 1 },
  });
}

/** Whether an error is the ingest telling the client to send again. */
function refusedRetry(error: unknown): boolean {
  const code = (error as ServiceError).code;
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED;
}

/** Sends a player's events in order; a refused one (the client is told) is sent again. */
async function play(
  user: string,
  acked: () => void,
  refused: () => void,
  events = EVENTS_PER_PLAYER,
): Promise<void> {
  const giveUpAt = Date.now() + RETRY_FOR_MS;
  for (let i = 1; i <= events; i++) {
    for (;;) {
      try {
        await sendLevel(user, i);
        acked();
        break;
      } catch (error) {
        if (!refusedRetry(error)) throw error;
        refused();
        if (Date.now() > giveUpAt)
          throw new Error(`${user}: event ${i} still refused`, { cause: error });
        // A client backs off before it retries; the failover is what it waits for.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

const queueKeyOf = (user: string) =>
  `${prefix}:${eventQueueName(partitionOf(user, PARTITIONS))}:wait`;

interface LedgerRow {
  user_id: string;
  seq: number;
  value: number;
  value_seq: number;
}

async function ledger(users: readonly string[]): Promise<LedgerRow[]> {
  const { rows } = await pool.query<LedgerRow>(
    `SELECT user_id, seq::int, value, value_seq::int FROM stat_ledger
      WHERE user_id = ANY($1) ORDER BY user_id`,
    [users],
  );
  return rows;
}

async function queuedJobs(): Promise<number> {
  let total = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    const queue = new Queue(eventQueueName(p), { connection: redis, prefix });
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    total += Object.values(counts).reduce((sum, n) => sum + n, 0);
    await queue.close();
  }
  return total;
}

describe('Redis Cluster', () => {
  it('keeps every acknowledged event, exactly once and in order, across a master failover', async () => {
    const users = Array.from({ length: PLAYERS }, (_, i) => `cluster-player-${i}`);
    let acks = 0;
    let refusals = 0;
    let reachedKill: () => void = () => {};
    const killPoint = new Promise<void>((resolve) => {
      reachedKill = resolve;
    });
    const players = Promise.all(
      users.map((user) =>
        play(
          user,
          () => {
            if (++acks === KILL_AFTER_ACKS) reachedKill();
          },
          () => refusals++,
        ),
      ),
    );

    // The master of player 0's partition queue dies while every player is mid-stream.
    await Promise.race([killPoint, players]);
    const queueKey = queueKeyOf(users[0]!);
    const victim = await cluster.masterOf(queueKey);
    cluster.kill(victim);
    const promoted = await cluster.waitForPromotion(victim, 30_000);
    expect(promoted).not.toBe(victim);
    expect(await cluster.masterOf(queueKey)).toBe(promoted);
    await players;
    expect(acks).toBe(PLAYERS * EVENTS_PER_PLAYER);

    // Applied: every player's ledger counted all of its events, then the queues are empty (no
    // duplicate is still on its way).
    await pollUntil(
      async () =>
        (await ledger(users)).filter((row) => row.seq >= EVENTS_PER_PLAYER).length === PLAYERS &&
        (await queuedJobs()) === 0,
      60_000,
      100,
    );
    // Exactly once: seq counts applied events. In order: the last applied event carried the
    // last value (values rise by one per event), so value_seq equals seq.
    expect(await ledger(users)).toEqual(
      [...users].sort().map((user) => ({
        user_id: user,
        seq: EVENTS_PER_PLAYER,
        value: EVENTS_PER_PLAYER,
        value_seq: EVENTS_PER_PLAYER,
      })),
    );
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_dedup WHERE event_id LIKE 'cluster-player-%'`,
    );
    expect(rows[0]!.n).toBe(PLAYERS * EVENTS_PER_PLAYER);
    console.info(`redis cluster failover: ${refusals} sends refused and retried`);
  }, 150_000);

  it('acknowledges no event its master dies before replicating (WAIT on a replica)', async () => {
    // A partition whose master still has a replica (the first test left one shard without).
    let user = '';
    let master = 0;
    for (let i = 0; master === 0; i++) {
      const candidate = `wait-player-${i}`;
      const owner = await cluster.masterOf(queueKeyOf(candidate));
      if ((await cluster.replicasOf(owner)).length > 0) [user, master] = [candidate, owner];
    }
    // The worker is stopped, so the event can only survive in Redis; the replica link is cut, so
    // the master holds a write its replica has not got when it dies.
    worker.child.kill('SIGSTOP');
    let acknowledged = true;
    try {
      await cluster.cutReplication(master);
      await sendLevel(user, 1).catch((error: unknown) => {
        if (!refusedRetry(error)) throw error;
        acknowledged = false;
      });
      cluster.kill(master);
      await cluster.waitForPromotion(master, 30_000);
    } finally {
      worker.child.kill('SIGCONT');
    }
    // No replica confirmed it, so the client was told to retry; it does, to the promoted replica.
    expect(acknowledged).toBe(false);
    const ignore = () => {};
    await play(user, ignore, ignore, 1);
    await pollUntil(
      async () => (await ledger([user]))[0]?.seq === 1 && (await queuedJobs()) === 0,
      30_000,
      100,
    );
    expect(await ledger([user])).toEqual([{ user_id: user, seq: 1, value: 1, value_seq: 1 }]);
  }, 90_000);
});
