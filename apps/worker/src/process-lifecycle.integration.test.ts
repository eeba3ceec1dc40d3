import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedService, spawnService } from '../../api/src/testing/spawn-service.ts';
import {
  REDIS_URL,
  statEvent,
  TestProducer,
  TestStore,
  uniquePrefix,
  waitFor,
} from './testing/harness.ts';

const WORKER_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const FAULTS = fileURLToPath(
  new URL('../../../packages/runtime/src/testing/process-faults.ts', import.meta.url),
);

let store: TestStore;
const running: SpawnedService[] = [];
const producers: TestProducer[] = [];

beforeAll(async () => {
  store = await TestStore.create();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(producers.splice(0).map((p) => p.close({ obliterate: true })));
});
afterAll(async () => {
  await store?.close();
});

/** A spawned `apps/worker/src/main.ts`, consuming one partition of its own prefix. */
async function startWorker(name: string, env: Record<string, string> = {}) {
  const producer = new TestProducer(uniquePrefix(name), 1);
  producers.push(producer);
  const worker = spawnService(
    WORKER_MAIN,
    {
      DATABASE_URL: store.db.url,
      REDIS_URL,
      QUEUE_PREFIX: producer.prefix,
      EVENT_PARTITIONS: '1',
      CHALLENGES_FILE: store.challengesFile,
      WORKER_METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    { preload: [FAULTS] },
  );
  running.push(worker);
  await worker.waitForLog((line) => line.msg === 'worker consuming event partitions', 60_000);
  return { worker, producer };
}

// Each test starts its own worker process: slow on a busy machine.
describe('the worker process', { timeout: 120_000 }, () => {
  it('logs an unhandled rejection as one fatal pino line, then exits 1', async () => {
    const { worker } = await startWorker('rejection', { TEST_PROCESS_FAULT: 'rejection' });
    worker.child.kill('SIGUSR2');
    expect(await worker.exited).toBe(1);
    const fatal = worker.logs.find((entry) => entry.line.level === 60)?.line;
    expect(fatal, worker.output()).toMatchObject({
      msg: 'unhandled promise rejection; exiting',
      err: { message: 'test: unhandled rejection' },
    });
  });

  it('logs an uncaught exception as one fatal pino line, then exits 1', async () => {
    const { worker } = await startWorker('exception', { TEST_PROCESS_FAULT: 'exception' });
    worker.child.kill('SIGUSR2');
    expect(await worker.exited).toBe(1);
    const fatal = worker.logs.find((entry) => entry.line.level === 60)?.line;
    expect(fatal, worker.output()).toMatchObject({
      msg: 'uncaught exception; exiting',
      err: { message: 'test: uncaught exception' },
    });
  });

  it('exits 1 at SHUTDOWN_TIMEOUT_MS when a running batch is stuck on a lock', async () => {
    const { worker, producer } = await startWorker('deadline', { SHUTDOWN_TIMEOUT_MS: '1500' });
    await store.assign('stuck-player', ['inc-kills']);
    const locker = new pg.Client({ connectionString: store.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE goal_progress IN ACCESS EXCLUSIVE MODE');
      await producer.send([statEvent('stuck-player', 'kills', { inc: 1 })]);
      // The drain waits for this batch, which waits for the lock.
      await waitFor('the batch to wait on the lock', async () => {
        const { rows } = await locker.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'challenges-worker'
              AND wait_event_type = 'Lock'`,
        );
        return rows[0].n > 0;
      });
      const started = performance.now();
      worker.child.kill('SIGTERM');
      const code = await worker.exited;
      const elapsed = performance.now() - started;
      expect(code).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(1500 + 5000);
      // The log names what the shutdown was waiting on.
      expect(
        worker.logs.find(
          (entry) =>
            entry.line.msg === 'graceful shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting',
        )?.line,
      ).toMatchObject({ step: 'event partitions (running batches)' });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });
});
