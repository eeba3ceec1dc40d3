import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type LogLine, type SpawnedService, spawnService } from './spawn-service.ts';
import { startTestApi, type TestApi } from './test-api.ts';

export const WORKER_MAIN = fileURLToPath(new URL('../../../worker/src/main.ts', import.meta.url));

/**
 * A real worker process (ephemeral metrics port, info logs, `env` on top), once it logs `ready`.
 * Generous timeout: a worker starting beside a whole parallel test run may take a while.
 */
export async function spawnWorker(
  env: Record<string, string>,
  ready = 'definitions loaded',
  timeoutMs = 90_000,
): Promise<{ worker: SpawnedService; ready: LogLine }> {
  const worker = spawnService(WORKER_MAIN, { WORKER_METRICS_PORT: '0', LOG_LEVEL: 'info', ...env });
  try {
    return { worker, ready: await worker.waitForLog((line) => line.msg === ready, timeoutMs) };
  } catch (error) {
    await worker.stop();
    throw error;
  }
}

export interface TestStackOptions {
  /** Names the queue prefix both processes share (with the pid and a random suffix). */
  name: string;
  /** Env of the in-test api (startTestApi's overrides). */
  api?: Record<string, string>;
  /** Env of the worker process, on top of DATABASE_URL, QUEUE_PREFIX and an ephemeral metrics port. */
  worker?: Record<string, string>;
  /** The worker log message that means it is ready; `definitions loaded` unless told. */
  ready?: string;
  readyTimeoutMs?: number;
}

export interface TestStack {
  /** The api, in this process: own database, ephemeral ports. */
  t: TestApi;
  /** A real worker process on the same database and queue prefix. */
  worker: SpawnedService;
  /** The worker's ready log line (e.g. its metricsPort). */
  workerReady: LogLine;
  prefix: string;
  close(): Promise<void>;
}

/** An api in this process and a real worker process sharing its database and queues. */
export async function startTestStack(options: TestStackOptions): Promise<TestStack> {
  const prefix = `${options.name}-${process.pid}-${randomUUID()}`;
  const t = await startTestApi({ ...options.api, QUEUE_PREFIX: prefix });
  try {
    const { worker, ready: workerReady } = await spawnWorker(
      { DATABASE_URL: t.databaseUrl, QUEUE_PREFIX: prefix, ...options.worker },
      options.ready,
      options.readyTimeoutMs,
    );
    return {
      t,
      worker,
      workerReady,
      prefix,
      async close() {
        await worker.stop();
        await t.close();
      },
    };
  } catch (error) {
    await t.close();
    throw error;
  }
}
