import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EPHEMERAL_API_PORTS,
  type SpawnedService,
  spawnService,
} from '../../../apps/api/src/testing/spawn-service.ts';
import {
  startTestApi,
  TEST_CHALLENGES_FILE,
  TEST_INGEST_KEY,
  type TestApi,
} from '../../../apps/api/src/testing/test-api.ts';
import { cpuTableOfRun, startCpuSampling } from './cpu-report.ts';
import { parseLoadTestEnv } from './env.ts';
import { LiveCollector } from './live-collector.ts';
import { Recorder } from './recorder.ts';
import type { RunContext } from './run-context.ts';

// By path from this file: the package's test script runs with tools/loadtest as its directory.
const API_MAIN = fileURLToPath(new URL('../../../apps/api/src/main.ts', import.meta.url));

// The stack of `npm run loadtest:stack` by default: an api (ROLE=api, here this test process)
// and ingest in a process of its own (ROLE=ingest). The CPU table must read both, each in its row.
describe('the load test’s CPU table with ingest in its own process', () => {
  const prefix = `lt-cpu-ingest-${process.pid}`;
  let t: TestApi;
  let ingest: SpawnedService;
  let live: LiveCollector;
  let client: pg.Client;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api', QUEUE_PREFIX: prefix });
    ingest = spawnService(API_MAIN, {
      ...EPHEMERAL_API_PORTS,
      ROLE: 'ingest',
      DATABASE_URL: t.databaseUrl,
      QUEUE_PREFIX: prefix,
      CHALLENGES_FILE: TEST_CHALLENGES_FILE,
      INGEST_API_KEYS: TEST_INGEST_KEY,
      AUTH_MODE: 'mock',
      LOG_LEVEL: 'warn',
    });
    const env = parseLoadTestEnv(process.env);
    live = new LiveCollector(
      { REDIS_URL: env.REDIS_URL, REDIS_CLUSTER_NODES: env.REDIS_CLUSTER_NODES },
      prefix,
    );
    await live.start();
    client = new pg.Client({ connectionString: t.databaseUrl, application_name: 'loadtest' });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await live?.stop();
    await client?.end();
    await ingest?.stop();
    await t?.close();
  });

  it('finds the api and the ingest process by their live snapshots and gives each its row', async () => {
    const roles = async () => {
      await live.flush();
      return live
        .series()
        .map((s) => `${s.role}:${s.pid}`)
        .sort();
    };
    await expect
      .poll(roles, { timeout: 45_000, interval: 500 })
      .toEqual([`api:${process.pid}`, `ingest:${ingest.child.pid}`])
      .catch((error: Error) => {
        throw new Error(`${error.message}\n--- ingest process output ---\n${ingest.output()}`);
      });

    const run = { pg: client, live, recorder: new Recorder() } as unknown as RunContext;
    const sampling = await startCpuSampling(run);
    await sampling.sampler.sample();
    const table = await cpuTableOfRun(run, sampling);

    const row = (role: string) => table.rows.find((r) => r.role === role);
    expect(row('api')).toMatchObject({ process: 'api (1 process)', pids: [process.pid] });
    expect(row('ingest')).toMatchObject({
      process: 'ingest (1 process)',
      pids: [ingest.child.pid],
      note: null,
    });
    expect(row('ingest')?.cpuMs).not.toBeNull();
  }, 60_000);
});
