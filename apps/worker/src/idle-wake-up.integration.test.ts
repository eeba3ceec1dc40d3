import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, ownRedis } from '../../api/src/testing/own-redis.ts';
import { type SpawnedService, spawnService } from '../../api/src/testing/spawn-service.ts';
import { statEvent, TestProducer, TestStore, uniquePrefix, waitFor } from './testing/harness.ts';

// Issue 13: an idle worker blocks on the producers' markers instead of polling every linger.
// A redis-server of the file's own, so that its command counters are the worker's alone.
const WORKER_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const PARTITIONS = 8;
const LINGER_MS = 50;

let store: TestStore;
let redis: OwnRedis;
let probe: Redis;
const running: SpawnedService[] = [];
const producers: TestProducer[] = [];

beforeAll(async () => {
  store = await TestStore.create();
  redis = await ownRedis();
  probe = new Redis(redis.url);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(producers.splice(0).map((p) => p.close({ obliterate: true })));
});
afterAll(async () => {
  probe?.disconnect();
  await redis?.kill();
  await store?.close();
});

async function startWorker(name: string, env: Record<string, string> = {}) {
  const producer = new TestProducer(uniquePrefix(name), PARTITIONS, redis.url);
  producers.push(producer);
  const worker = spawnService(WORKER_MAIN, {
    DATABASE_URL: store.db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: producer.prefix,
    EVENT_PARTITIONS: String(PARTITIONS),
    WORKER_BATCH_LINGER_MS: String(LINGER_MS),
    CHALLENGES_FILE: store.challengesFile,
    WORKER_METRICS_PORT: '0',
    METRICS_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  });
  running.push(worker);
  await worker.waitForLog((line) => line.msg === 'worker consuming event partitions', 60_000);
  return { worker, producer };
}

/** Commands the server ran (scripts' own calls included), but the probe's INFO and CLIENT. */
async function commandsRun(): Promise<number> {
  let total = 0;
  for (const [, name, calls] of (await probe.info('commandstats')).matchAll(
    /^cmdstat_([^:]+):calls=(\d+)/gm,
  )) {
    if (name !== 'info' && !name!.startsWith('client')) total += Number(calls);
  }
  return total;
}

/** Some connection sits in a blocking read of the markers: the worker's idle wait. */
async function waitingOnMarkers(): Promise<boolean> {
  const clients = String(await probe.client('LIST'));
  return clients.split('\n').some((c) => /\bflags=\S*b/.test(c) && /\bcmd=bzpopmin\b/.test(c));
}

describe('an idle worker', { timeout: 120_000 }, () => {
  it('sends Redis a few commands a second, not a look at every partition each linger', async () => {
    await startWorker('quiet');
    const windowMs = 4_000;
    const before = await commandsRun();
    const from = performance.now();
    // A measurement window over two lease renewals (every 2 s), not a wait for a condition.
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const perSecond = ((await commandsRun()) - before) / ((performance.now() - from) / 1000);
    // Polling: 20 takes a second of 1 + 2 × 8 commands each, ≈ 340/s. Blocking: a take and a
    // read per 2 s, the lease renewal, the queue depth sample and the live snapshot.
    expect(perSecond).toBeLessThan(40);
  });

  it('applies an event that arrives after a long idle within the linger and a small bound', async () => {
    // The blocking read would last 10 s: only the marker's wake-up can apply the event in time.
    const { producer } = await startWorker('wake', { WORKER_LEASE_MS: '30000' });
    await store.assign('idle-player', ['inc-kills']);
    await waitFor('the worker in its idle wait', waitingOnMarkers, 20_000);
    const sent = performance.now();
    await producer.send([statEvent('idle-player', 'kills', { inc: 1 })]);
    await waitFor(
      'the event visible',
      async () => (await store.progressOf('idle-player', 'inc-kills')) === 1,
      10_000,
      5,
    );
    expect(performance.now() - sent).toBeLessThan(LINGER_MS + 1_000);
  });

  it('stops within 2 s (not at the end of its 10 s read) when SIGTERM comes during the idle wait', async () => {
    const { worker } = await startWorker('stop', { WORKER_LEASE_MS: '30000' });
    await waitFor('the worker in its idle wait', waitingOnMarkers, 20_000);
    const started = performance.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
