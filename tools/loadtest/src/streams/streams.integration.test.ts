import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestApi,
  TEST_INGEST_KEY,
  type TestApi,
} from '../../../../apps/api/src/testing/test-api.ts';
import {
  startWorkerProcess,
  type WorkerProcess,
} from '../../../../apps/worker/src/testing/worker-process.ts';
import type { LoadTestReport } from '../contract.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const fixture = path.join(root, 'fixtures/challenges.loadtest-streams.json');
const run = promisify(execFile);

// The streams scenario at a small scale: 50 streams held on an api (in this process), 20 stat
// events a second over its gRPC ingest, applied by a real worker process and pushed back.
describe('npm run loadtest -- --scenario streams (50 streams, 20 EPS, against a real stack)', () => {
  let t: TestApi;
  let worker: WorkerProcess;
  const prefix = `lt-t18l-streams-${process.pid}`;
  const out = mkdtempSync(path.join(tmpdir(), 'loadtest-streams-'));

  beforeAll(async () => {
    t = await startTestApi({ QUEUE_PREFIX: prefix, CHALLENGES_FILE: fixture });
    worker = await startWorkerProcess({
      DATABASE_URL: t.databaseUrl,
      QUEUE_PREFIX: prefix,
      CHALLENGES_FILE: fixture,
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('holds every stream, counts the changes the events cause and loses none', async () => {
    const args = ['--scenario', 'streams', '--streams', '50', '--eps', '20'];
    args.push('--duration', '4s', '--warmup', '1s', '--settle', '1s', '--open-rate', '100');
    args.push('--target', t.url(''), '--grpc', `127.0.0.1:${t.api.eventsGrpcPort}`);
    args.push('--queue-prefix', prefix, '--database-url', t.databaseUrl);
    args.push('--api-metrics', `http://127.0.0.1:${t.api.metricsPort}/metrics`);
    args.push('--worker-metrics', `http://127.0.0.1:${worker.metricsPort}/metrics`);
    args.push('--ingest-key', TEST_INGEST_KEY, '--run-id', 'streams-1', '--out', out);
    const { stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'tools/loadtest/src/cli.ts', ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`${error.message}\n${error.stderr}`);
    });
    // The opening phase reports its progress like the others.
    expect(stderr).toMatch(/\[loadtest\] setup \d+s\/4s sent \d+ done \d+/);

    const report = JSON.parse(
      readFileSync(path.join(out, 'streams-1/report.json'), 'utf8'),
    ) as LoadTestReport;
    const streams = report.streams!;
    expect(streams).toMatchObject({ opened: 50, streamErrors: 0, lost: 0 });
    const acked = report.server.events.acked;
    // 20 a second over 4 s plus the 1 s ramp; each event sets its player's goal to a new value,
    // and every one of them came out of a stream (none folded: a player gets one every 2.5 s).
    expect(acked).toBeGreaterThanOrEqual(80);
    expect(streams.changes).toBe(acked);
    expect(streams.afterCommit.count).toBe(acked);
    expect(streams.endToEnd.count).toBe(acked);
    expect(streams.endToEnd.p50Ms).toBeGreaterThanOrEqual(streams.afterCommit.p50Ms);
    expect(streams.apiKbPerConnection).not.toBeNull();
    expect(streams.apiCpuMsPerChange).toBeGreaterThan(0);
    expect(streams.generatorCpuMsPerChange).toBeGreaterThan(0);
    expect(report.totals.errors).toBe(0);
    // Ten players also held a packages/client subscription; five of them reconnected mid-run.
    expect(streams.clientSample).toEqual({ players: 10, mismatched: 0 });
    const sample = report.verdict.items.find((i) => i.name.startsWith('packages/client sample'));
    expect(sample?.passed).toBe(true);
    const lost = report.verdict.items.find((i) => i.name.startsWith('lost changes'));
    expect(lost).toMatchObject({ passed: true, actual: `0 players, ${acked} changes received` });

    const md = readFileSync(path.join(out, 'streams-1/report.md'), 'utf8');
    expect(md).toContain('# Load Test Report — streams');
    expect(md).toContain('| streams held | 50 of 50');
    expect(md).toContain('## Where the CPU Went');
  }, 150_000);
});
