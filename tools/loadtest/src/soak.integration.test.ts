import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestApi,
  TEST_CHALLENGES_FILE,
  TEST_INGEST_KEY,
  type TestApi,
} from '../../../apps/api/src/testing/test-api.ts';
import {
  startWorkerProcess,
  type WorkerProcess,
} from '../../../apps/worker/src/testing/worker-process.ts';
import type { LoadTestReport } from './contract.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

// The soak's shape at a small scale: an initialize wave, 20 s of mixed load with events, a 5 s
// memory warm-up; against an api (in this process) and a real worker process.
describe('npm run loadtest -- --scenario soak (a 20 s soak against a real stack)', () => {
  let t: TestApi;
  let worker: WorkerProcess;
  let workerMetrics: string;
  const prefix = `lt-soak-${process.pid}`;
  const out = mkdtempSync(path.join(tmpdir(), 'loadtest-soak-'));

  beforeAll(async () => {
    t = await startTestApi({ QUEUE_PREFIX: prefix });
    worker = await startWorkerProcess({
      DATABASE_URL: t.databaseUrl,
      QUEUE_PREFIX: prefix,
      CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    });
    workerMetrics = `http://127.0.0.1:${worker.metricsPort}/metrics`;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('reports the wave, heap and RSS slopes after the warm-up, 0 lost events and where the CPU went', async () => {
    const args = ['--scenario', 'soak', '--duration', '20s', '--warmup', '2s'];
    args.push('--memory-warmup', '5s', '--users', '30', '--init-rps', '30');
    args.push('--rps', '20', '--eps', '20', '--target', t.url(''), '--queue-prefix', prefix);
    args.push('--grpc', `127.0.0.1:${t.api.eventsGrpcPort}`, '--database-url', t.databaseUrl);
    args.push('--api-metrics', `http://127.0.0.1:${t.api.metricsPort}/metrics`);
    args.push('--worker-metrics', workerMetrics, '--run-id', 'soak-1', '--out', out);
    args.push('--ingest-key', TEST_INGEST_KEY);
    await run(process.execPath, ['--import', 'tsx', 'tools/loadtest/src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 120_000,
    }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`${error.message}\n${error.stderr}`);
    });
    const report = JSON.parse(
      readFileSync(path.join(out, 'soak-1/report.json'), 'utf8'),
    ) as LoadTestReport;

    expect(report.initializeWave).toMatchObject({ players: 30, rate: 30, dropped: 0 });
    expect(report.initializeWave?.endpoint).toMatchObject({ count: 30, errors: 0 });
    expect(report.server.events.acked).toBeGreaterThan(300);
    expect(report.server.events.lost).toBe(0);
    // 20 s measured: one (partial) minute holding every measured call, requests and events apart.
    const measured = (kind: RegExp) =>
      report.endpoints.filter((e) => kind.test(e.endpoint)).reduce((n, e) => n + e.count, 0);
    expect(report.latencyByMinute?.map((m) => m.minute)).toEqual([0]);
    expect(report.latencyByMinute?.[0]?.requests.count).toBe(measured(/^(GET|POST|PUT) /));
    expect(report.latencyByMinute?.[0]?.events.count).toBe(measured(/^gRPC /));
    expect(report.latencyByMinute?.[0]?.events.p95Ms).toBeGreaterThan(0);

    const memory = report.memory!;
    for (const role of ['api', 'worker']) {
      const p = memory.processes.find((x) => x.role === role)!;
      // ~15 per-second points after the 5 s warm-up of a 20 s steady phase.
      expect(p.fitPoints).toBeGreaterThanOrEqual(10);
      expect(p.fitPoints).toBeLessThanOrEqual(17);
      expect(p.heapSlopeMbPerMin).not.toBeNull();
      expect(p.rssSlopeMbPerMin).not.toBeNull();
      expect(p.points.map((q) => q.s)).toEqual([0, 10, 20].slice(0, p.points.length));
      expect(p.points[0]!.rssMb).toBeGreaterThan(p.points[0]!.heapMb);
    }
    const slope = report.verdict.items.find((i) => i.name === 'worker heap/RSS slope ≈ 0');
    expect(slope?.target).toBe('|slope| ≤ 1 MB/min after 5 s');
    expect(slope?.actual).toMatch(/^heap [+-]?[\d.]+, RSS [+-]?[\d.]+ MB\/min$/);

    const rows = report.server.cpu!.rows;
    const role = (r: string) => rows.find((x) => x.role === r)!;
    expect(role('api').pids).toEqual([process.pid]);
    expect(role('worker').pids).toEqual([worker.pid]);
    expect(role('postgres').pids.length).toBeGreaterThan(0);
    for (const r of ['api', 'worker', 'postgres', 'generator']) {
      expect(role(r).cpuMs).toBeGreaterThan(0);
      expect(role(r).msPerCall).toBeGreaterThan(0);
    }
    const md = readFileSync(path.join(out, 'soak-1/report.md'), 'utf8');
    expect(md).toContain('## Memory Over Time');
    expect(md).toContain('## Where the CPU Went');
  }, 150_000);
});
