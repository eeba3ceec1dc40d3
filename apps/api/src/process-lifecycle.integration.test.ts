import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { obliterateQueues } from './testing/event-clients.ts';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './testing/spawn-service.ts';
import { TEST_CHALLENGES_FILE, TEST_INGEST_KEY } from './testing/test-api.ts';

const API_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const FAULTS = fileURLToPath(
  new URL('../../../packages/runtime/src/testing/process-faults.ts', import.meta.url),
);
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-lifecycle-${randomUUID()}`;

let database: TestDatabase;
const running: SpawnedService[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await database?.drop();
  await obliterateQueues(REDIS_URL, prefix, 8);
});

/** A spawned `apps/api/src/main.ts`, started; resolves with it and its REST port. */
async function startApiProcess(env: Record<string, string>) {
  const api = spawnService(
    API_MAIN,
    {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      CHALLENGES_FILE: TEST_CHALLENGES_FILE,
      INGEST_API_KEYS: TEST_INGEST_KEY,
      AUTH_MODE: 'mock',
      LOG_LEVEL: 'info',
      ...EPHEMERAL_API_PORTS,
      ...env,
    },
    { preload: [FAULTS] },
  );
  running.push(api);
  const listening = await api.waitForLog((line) => line.msg === 'REST API listening', 60_000);
  // The last step of the start: the signal handlers are installed right after it.
  await api.waitForLog((line) => line.msg === 'player gRPC listening', 30_000);
  return { api, port: listening.line.port as number };
}

// Each test starts its own api process: slow on a busy machine.
describe('the api process', { timeout: 120_000 }, () => {
  for (const [fault, message, error] of [
    ['rejection', 'unhandled promise rejection; exiting', 'test: unhandled rejection'],
    ['exception', 'uncaught exception; exiting', 'test: uncaught exception'],
  ] as const) {
    it(`logs an ${fault} as one fatal pino line, then exits 1`, async () => {
      const { api } = await startApiProcess({ TEST_PROCESS_FAULT: fault });
      api.child.kill('SIGUSR2');
      expect(await api.exited).toBe(1);
      const fatal = api.logs.find((entry) => entry.line.level === 60)?.line;
      expect(fatal, api.output()).toMatchObject({ msg: message, err: { message: error } });
    });
  }

  it('exits 1 at SHUTDOWN_TIMEOUT_MS when a client holds a request open', async () => {
    const { api, port } = await startApiProcess({ SHUTDOWN_TIMEOUT_MS: '1500' });
    // An upload that never finishes keeps its request in flight, so the HTTP close waits on it.
    // `100 Continue` comes once the server has taken the request, before any signal is sent.
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    const taken = new Promise<void>((resolve) =>
      socket.on('data', (chunk) => {
        if (chunk.toString().startsWith('HTTP/1.1 100')) resolve();
      }),
    );
    socket.write(
      'POST /challenge/v1/challenges/initialize HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\n' +
        'x-mock-user-id: slow\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n',
    );
    await taken;
    socket.write('{');
    try {
      const started = performance.now();
      api.child.kill('SIGTERM');
      const code = await api.exited;
      const elapsed = performance.now() - started;
      expect(code).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(1500 + 5000);
      // The log names what the shutdown was waiting on.
      expect(
        api.logs.find(
          (entry) =>
            entry.line.msg === 'graceful shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting',
        )?.line,
      ).toMatchObject({ step: 'HTTP listener' });
    } finally {
      socket.destroy();
    }
  });

  it('exits 0 when the graceful close finishes in time', async () => {
    const { api } = await startApiProcess({ SHUTDOWN_TIMEOUT_MS: '10000' });
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });
});
