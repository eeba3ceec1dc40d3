import { eventQueueName } from '@challenges/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The ingest side's proxy: switching it off looks to the worker like PostgreSQL going away,
// without stopping the server other test files share.
import { startToggleProxy, type ToggleProxy } from '../../api/src/testing/toggle-proxy.ts';
import {
  REDIS_URL,
  statEvent,
  TestProducer,
  TestStore,
  uniquePrefix,
  waitFor,
} from './testing/harness.ts';
import { startWorkerProcess, type WorkerProcess } from './testing/worker-process.ts';

const PARTITIONS = 4;
let store: TestStore;
const running: WorkerProcess[] = [];
const producers: TestProducer[] = [];

beforeAll(async () => {
  store = await TestStore.create();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
  await Promise.all(producers.splice(0).map((p) => p.close({ obliterate: true })));
});
afterAll(async () => {
  await store?.close();
});

/**
 * Production with an independent count: per user, how many `kills +1` events were sent and the
 * last (highest) `score` value. Progress must end equal to both: nothing lost, nothing twice,
 * nothing out of order.
 */
class CountingLoad {
  readonly sent = new Map<string, { kills: number; score: number }>();
  constructor(
    readonly producer: TestProducer,
    readonly users: readonly string[],
  ) {
    for (const u of users) this.sent.set(u, { kills: 0, score: 0 });
  }

  async sendBatch(size: number): Promise<void> {
    const events = [];
    for (let i = 0; i < size; i++) {
      const u = this.users[Math.floor(Math.random() * this.users.length)]!;
      const s = this.sent.get(u)!;
      if (i % 3 === 0) events.push(statEvent(u, 'score', { value: ++s.score }));
      else {
        s.kills++;
        events.push(statEvent(u, 'kills', { inc: 1 }));
      }
    }
    await this.producer.send(events);
  }

  async expectAllApplied(): Promise<void> {
    for (const [u, s] of this.sent) {
      expect({ u, kills: await store.progressOf(u, 'inc-kills') }).toEqual({ u, kills: s.kills });
      expect({ u, score: await store.progressOf(u, 'abs-score') }).toEqual({ u, score: s.score });
    }
  }
}

async function setup(name: string, users: number) {
  const prefix = uniquePrefix(name);
  const producer = new TestProducer(prefix, PARTITIONS);
  producers.push(producer);
  const ids = Array.from({ length: users }, (_, i) => `${name}-${i}`);
  for (const u of ids) await store.assign(u, ['inc-kills', 'abs-score']);
  const env = (databaseUrl: string) => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    EVENT_PARTITIONS: String(PARTITIONS),
    CHALLENGES_FILE: store.challengesFile,
    // Shorter than the default (6 s) so the suite stays fast; same mechanism.
    WORKER_LEASE_MS: '3000',
  });
  return { prefix, producer, load: new CountingLoad(producer, ids), env };
}

async function batchesApplied(w: WorkerProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${w.metricsPort}/metrics`)).text();
  return Number(/^challenge_event_batch_size_count (\d+)/m.exec(text)?.[1] ?? 0);
}

/** The partitions whose lease someone holds (with no worker alive: the dead one's). */
async function leasedPartitions(prefix: string): Promise<number[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const held: number[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      if (await redis.exists(`${prefix}:${eventQueueName(p)}:lease`)) held.push(p);
    }
    return held;
  } finally {
    redis.disconnect();
  }
}

/** The partitions a worker logged as gained. */
function gainedPartitions(w: WorkerProcess): number[] {
  const gained: number[] = [];
  for (const line of w.output().split('\n')) {
    if (!line.includes('partition leases changed')) continue;
    gained.push(...(JSON.parse(line) as { gained: number[] }).gained);
  }
  return gained.sort();
}

describe('worker faults', () => {
  it('kill -9 mid-stream, another worker takes over: every event applied exactly once', async () => {
    const { prefix, producer, load, env } = await setup('kill', 30);
    const a = await startWorkerProcess(env(store.db.url));
    running.push(a);

    // Big batches keep the workers busy, so the kill lands while a round is running.
    let producing = true;
    const production = (async () => {
      for (let i = 0; producing && i < 400; i++) await load.sendBatch(400);
    })();
    await waitFor(
      'a busy moment',
      async () => (await producer.pending()) > 0 && (await store.appliedBatches()) > 10,
    );
    const killedAt = Date.now();
    await a.kill9();
    running.splice(running.indexOf(a), 1);
    // What the dead worker held: every partition, its leases not given back.
    expect(await leasedPartitions(prefix)).toEqual([0, 1, 2, 3]);
    const b = await startWorkerProcess(env(store.db.url));
    running.push(b);
    // Keep producing until the replacement has applied batches of its own.
    await waitFor('the new worker applies', async () => (await batchesApplied(b)) > 0, 20_000);
    const takeoverMs = Date.now() - killedAt;
    producing = false;
    await production;

    await waitFor('queues drained', async () => (await producer.pending()) === 0, 20_000, 50);
    const drainedMs = Date.now() - killedAt;
    await load.expectAllApplied();
    // The new worker took every partition over once the dead one's leases expired (jobs never
    // leave their wait list before their batch commits, so it found them all there).
    expect(gainedPartitions(b)).toEqual([0, 1, 2, 3]);
    expect(takeoverMs).toBeGreaterThan(2_000); // not before the lease expired
    const failed = await Promise.all(producer.queues.map((q) => q.getFailedCount()));
    expect(failed.reduce((x, y) => x + y, 0)).toBe(0);
    console.info(
      `[fault] kill -9: first batch by the new worker ${takeoverMs} ms after the kill (lease 3 s), drained after ${drainedMs} ms`,
    );
  }, 45_000);

  it('PostgreSQL unreachable for 10 s under load: nothing lost, applied when it returns', async () => {
    const { producer, load, env } = await setup('pgdown', 20);
    const url = new URL(store.db.url);
    const proxy: ToggleProxy = await startToggleProxy({
      host: url.hostname,
      port: Number(url.port || 5432),
    });
    try {
      // Two workers share the partitions, so the final values also check per-player order
      // across processes.
      const w = await startWorkerProcess(env(proxy.url(store.db.url)));
      running.push(w);
      const w2 = await startWorkerProcess(env(proxy.url(store.db.url)));
      running.push(w2);
      // Half each, once the first has given back what the second may take.
      await waitFor('partitions shared', () => gainedPartitions(w2).length === PARTITIONS / 2);
      for (let i = 0; i < 10; i++) await load.sendBatch(50);
      await waitFor('warm-up applied', async () => (await producer.pending()) === 0);

      proxy.down();
      const before = await store.appliedBatches();
      const downUntil = Date.now() + 10_000;
      while (Date.now() < downUntil) {
        await load.sendBatch(50);
        await new Promise((resolve) => setTimeout(resolve, 100)); // steady load, ~500 events/s
      }
      expect(await store.appliedBatches()).toBe(before);
      expect(await producer.pending()).toBeGreaterThan(50);

      proxy.up();
      const upAt = Date.now();
      await waitFor(
        'applied after recovery',
        async () => (await producer.pending()) === 0,
        15_000,
        50,
      );
      console.info(`[fault] PostgreSQL back: queue drained in ${Date.now() - upAt} ms`);
      await load.expectAllApplied();
      expect(w.output() + w2.output()).toContain('database unavailable; retrying the batch');
      const failed = await Promise.all(producer.queues.map((q) => q.getFailedCount()));
      expect(failed.reduce((x, y) => x + y, 0)).toBe(0);
      // SIGTERM drains and exits cleanly.
      running.splice(running.indexOf(w2), 1);
      expect(await w2.stop()).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 45_000);
});
