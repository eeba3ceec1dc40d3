import {
  createLoadTestRunRepository,
  createPool,
  createPrismaClient,
  type LoadTestRunRepository,
} from '@challenges/db';
import { expect, test } from '@playwright/test';
import { screenshot, signIn, stackDatabaseUrl, stackUrls } from './helpers';

// Finished runs seeded through the runs repository: three real runs would take minutes, and
// comparing needs only their reports (load-tests.spec.ts makes a real one).
function seededReport(title: string, p95PerSecond: number[], passed: boolean) {
  const p95 = Math.max(...p95PerSecond);
  return {
    version: 1,
    title,
    startedAt: new Date().toISOString(),
    measuredS: p95PerSecond.length,
    totals: { scheduled: 100, completed: 100, ok: 100, errors: 0, dropped: 0 },
    endpoints: [
      {
        endpoint: 'GET /v1/challenges',
        count: 100,
        ok: 100,
        errors: 0,
        throughput: 20,
        errorKinds: {},
        p50Ms: 2,
        p90Ms: 3,
        p95Ms: p95,
        p99Ms: p95 + 1,
        maxMs: p95 + 2,
        meanMs: 2,
      },
    ],
    errorsByKind: {},
    verdict: {
      passed,
      items: [{ name: 'list p95', target: '< 15 ms', actual: `${p95} ms`, passed }],
    },
    profiles: [],
    findings: [],
    server: { processes: [], cpu: null },
    timeline: p95PerSecond.map((p95Ms, s) => ({
      s,
      rps: 20,
      eps: 0,
      p95Ms,
      apiCpuPercent: null,
      workerCpuPercent: null,
      apiHeapMb: null,
      workerHeapMb: null,
    })),
  };
}

async function seed(runs: LoadTestRunRepository, id: string, scenario: string, p95: number[]) {
  await runs.create({ id, scenario, options: { rps: 20, eps: 0, durationSeconds: 5, users: 10 } });
  const passed = Math.max(...p95) < 15;
  await runs.finish(id, { report: seededReport(scenario, p95, passed), reportMd: '# seeded\n' });
}

test('history shows PASS/FAIL; only runs of one scenario compare, latency overlaid', async ({
  page,
}) => {
  const pool = createPool({ databaseUrl: stackDatabaseUrl(), max: 1 });
  const runs = createLoadTestRunRepository(createPrismaClient(pool));
  await seed(runs, 'lt-e2e-list-a', 'list', [4, 5, 6, 5, 4]);
  await seed(runs, 'lt-e2e-events-c', 'events', [1, 1, 2, 1, 1]);
  await seed(runs, 'lt-e2e-list-b', 'list', [9, 14, 22, 18, 12]);
  await pool.end();

  await signIn(page);
  await page.goto(`${stackUrls().web}/load-tests`);
  const history = page.getByRole('region', { name: 'History' });
  const row = (id: string) => history.locator(`tr[data-run="${id}"]`);
  await expect(row('lt-e2e-list-a')).toContainText('PASS');
  await expect(row('lt-e2e-list-b')).toContainText('FAIL');

  await row('lt-e2e-list-a').getByRole('checkbox').check();
  await expect(row('lt-e2e-events-c').getByRole('checkbox')).toBeDisabled();
  await row('lt-e2e-list-b').getByRole('checkbox').check();
  const compare = page.getByRole('region', {
    name: 'Compare lt-e2e-list-a (A) with lt-e2e-list-b (B)',
  });
  const chart = compare.locator('[data-chart="Latency over time, both runs"]');
  await expect(chart.getByRole('application')).toBeVisible();
  await expect(chart.locator('.recharts-line')).toHaveCount(2);
  await expect(chart.getByText('A · lt-e2e-list-a')).toBeVisible();
  await compare.scrollIntoViewIfNeeded();
  await screenshot(page, 'load-tests-compare');
});
