import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLoadTestRunRepository, createPool, createPrismaClient } from '@challenges/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../apps/api/src/testing/test-api.ts';
import type { LoadTestReport } from './contract.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

describe('npm run loadtest (a short real run against an api)', () => {
  let t: TestApi;
  const prefix = `lt-test-${process.pid}`;
  const out = mkdtempSync(path.join(tmpdir(), 'loadtest-'));

  beforeAll(async () => {
    t = await startTestApi({
      ADMIN_API_KEY: 'lt-admin-key',
      METRICS_PORT: '0',
      QUEUE_PREFIX: prefix,
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes report.json/report.md and a completed row whose counts agree with the api', async () => {
    const { stderr } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/loadtest/src/cli.ts',
        '--scenario',
        'list',
        '--rps',
        '20',
        '--duration',
        '5s',
        '--warmup',
        '1s',
        '--users',
        '20',
        '--target',
        t.url(''),
        '--queue-prefix',
        prefix,
        '--api-metrics',
        `http://127.0.0.1:${t.api.metricsPort}/metrics`,
        '--worker-metrics',
        '',
        '--database-url',
        t.databaseUrl,
        '--admin-key',
        'lt-admin-key',
        '--profile-seconds',
        '2',
        '--run-id',
        'it-run-1',
        '--out',
        out,
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`${error.message}\n${error.stderr}`);
    });
    expect(stderr).toMatch(/\[loadtest\] measure \d+s\/5s/);

    const report = JSON.parse(
      readFileSync(path.join(out, 'it-run-1/report.json'), 'utf8'),
    ) as LoadTestReport;
    const markdown = readFileSync(path.join(out, 'it-run-1/report.md'), 'utf8');
    expect(markdown).toContain('# Load Test Report — list');
    const list = report.endpoints.find((e) => e.endpoint === 'GET /v1/challenges');
    expect(list?.count).toBeGreaterThanOrEqual(98);
    expect(list?.count).toBeLessThanOrEqual(102);
    expect(report.totals.errors).toBe(0);
    // The independent count: the api's own request histogram saw exactly what the runner sent.
    expect(report.server.requestsServed).toBe(report.totals.requestsSentAll);
    expect(report.server.processes.some((p) => p.role === 'api' && p.cpuPercentAvg > 0)).toBe(true);
    // Where the CPU went: the api is this test process, and no worker publishes snapshots.
    const cpu = report.server.cpu!;
    expect(cpu.rows.find((r) => r.role === 'api')).toMatchObject({ pids: [process.pid] });
    expect(cpu.rows.find((r) => r.role === 'worker')?.note).toMatch(/^not measured/);
    expect(cpu.rows.find((r) => r.role === 'generator')?.msPerRequest).toBeGreaterThan(0);
    expect(cpu.requests).toBe(list?.count);
    expect(report.profiles[0]?.error ?? null).toBeNull();
    expect(report.profiles[0]?.top.length).toBeGreaterThan(0);

    const pool = createPool({ databaseUrl: t.databaseUrl, max: 1 });
    try {
      const row = await createLoadTestRunRepository(createPrismaClient(pool)).get('it-run-1');
      expect(row).toMatchObject({ status: 'completed', scenario: 'list', error: null });
      expect(row?.reportMd).toBe(markdown);
      expect((row?.report as unknown as LoadTestReport | undefined)?.server.requestsServed).toBe(
        report.server.requestsServed,
      );
    } finally {
      await pool.end();
    }
  }, 90_000);
});
