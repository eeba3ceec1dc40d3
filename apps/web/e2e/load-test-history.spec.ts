import {
  createLoadTestRunRepository,
  createPool,
  createPrismaClient,
  type LoadTestRunRepository,
} from '@challenges/db';
import { expect, type Locator, type Page, test } from '@playwright/test';
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

/** `extra` overrides report fields: what a newer runner adds, or what an older one left out. */
async function seed(
  runs: LoadTestRunRepository,
  id: string,
  scenario: string,
  p95: number[],
  extra: Record<string, unknown> = {},
) {
  await runs.create({ id, scenario, options: { rps: 20, eps: 0, durationSeconds: 5, users: 10 } });
  const passed = Math.max(...p95) < 15;
  const report = { ...seededReport(scenario, p95, passed), ...extra };
  await runs.finish(id, { report, reportMd: '# seeded\n' });
}

function withDatabase<T>(use: (runs: LoadTestRunRepository) => Promise<T>): Promise<T> {
  const pool = createPool({ databaseUrl: stackDatabaseUrl(), max: 1 });
  return use(createLoadTestRunRepository(createPrismaClient(pool))).finally(() => pool.end());
}

test('history shows PASS/FAIL; only runs of one scenario compare, latency overlaid', async ({
  page,
}) => {
  await withDatabase(async (runs) => {
    await seed(runs, 'lt-e2e-list-a', 'list', [4, 5, 6, 5, 4]);
    await seed(runs, 'lt-e2e-events-c', 'events', [1, 1, 2, 1, 1]);
    await seed(runs, 'lt-e2e-list-b', 'list', [9, 14, 22, 18, 12]);
  });

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

/** One minute of `latencyByMinute`: [count, p95 ms, p99 ms] of the requests and of the events. */
function minute(m: number, requests: number[], events: number[]) {
  const side = ([count, p95Ms, p99Ms]: number[]) => ({ count, p95Ms, p99Ms });
  return { minute: m, requests: side(requests), events: side(events) };
}

const MIXED_MINUTES = [
  minute(0, [1200, 4.2, 7.5], [1200, 2.1, 3.4]),
  minute(1, [1200, 5.8, 9.9], [1200, 2.6, 4.8]),
  // The last, partial minute: the event stream had already stopped.
  minute(2, [300, 12.3, 20.4], [0, 0, 0]),
];

async function openReport(page: Page, id: string) {
  await page
    .getByRole('region', { name: 'History' })
    .locator(`tr[data-run="${id}"]`)
    .getByRole('button', { name: 'Open report' })
    .click();
  const report = page.getByRole('region', { name: `Report of ${id}` });
  await expect(report.getByRole('region', { name: 'Latency per endpoint' })).toBeVisible();
  return report;
}

const CHART = '[data-chart="p95 and p99 per minute"]';

test('a run report charts and tabulates latency by minute, only the series a run has', async ({
  page,
}) => {
  await withDatabase(async (runs) => {
    await seed(runs, 'lt-e2e-minutes-mixed', 'mixed', [5, 6, 12], {
      measuredS: 150,
      latencyByMinute: MIXED_MINUTES,
    });
    await seed(runs, 'lt-e2e-minutes-events', 'events', [2, 2, 3], {
      measuredS: 120,
      latencyByMinute: [
        minute(0, [0, 0, 0], [600, 1.5, 2.5]),
        minute(1, [0, 0, 0], [600, 1.7, 2.9]),
      ],
    });
  });
  await signIn(page);
  await page.goto(`${stackUrls().web}/load-tests`);

  const mixed = (await openReport(page, 'lt-e2e-minutes-mixed')).getByRole('region', {
    name: 'Latency by minute',
  });
  const cells = (section: Locator, m: number) => section.locator(`tr[data-minute="${m}"] td`);
  await expect(cells(mixed, 1)).toHaveText([
    '1',
    '1200',
    '4.2 ms',
    '7.5 ms',
    '1200',
    '2.1 ms',
    '3.4 ms',
  ]);
  await expect(cells(mixed, 2)).toHaveText([
    '2',
    '1200',
    '5.8 ms',
    '9.9 ms',
    '1200',
    '2.6 ms',
    '4.8 ms',
  ]);
  await expect(cells(mixed, 3)).toHaveText(['3', '300', '12.3 ms', '20.4 ms', '0', '—', '—']);
  const chart = mixed.locator(CHART);
  await expect(chart.getByRole('application')).toBeVisible();
  await expect(chart.locator('.recharts-line')).toHaveCount(4);
  for (const label of ['request p95', 'request p99', 'event ack p95', 'event ack p99']) {
    await expect(chart.locator('.recharts-legend-item', { hasText: label })).toBeVisible();
  }
  await mixed.scrollIntoViewIfNeeded();
  await screenshot(page, 'load-tests-latency-by-minute');

  // An events-only run: no request lines, dashes where the requests would be.
  const events = (await openReport(page, 'lt-e2e-minutes-events')).getByRole('region', {
    name: 'Latency by minute',
  });
  await expect(cells(events, 2)).toHaveText(['2', '0', '—', '—', '600', '1.7 ms', '2.9 ms']);
  await expect(events.locator(`${CHART} .recharts-line`)).toHaveCount(2);
  await expect(events.locator('.recharts-legend-item')).toHaveText([
    'event ack p95',
    'event ack p99',
  ]);
});

test('runs from before latency by minute, or shorter than two minutes, show no such section', async ({
  page,
}) => {
  await withDatabase(async (runs) => {
    await seed(runs, 'lt-e2e-minutes-with', 'list', [5, 6], { latencyByMinute: MIXED_MINUTES });
    await seed(runs, 'lt-e2e-minutes-old', 'list', [5, 6]);
    await seed(runs, 'lt-e2e-minutes-empty', 'list', [5, 6], { latencyByMinute: [] });
    await seed(runs, 'lt-e2e-minutes-short', 'list', [5, 6], {
      latencyByMinute: [minute(0, [1200, 4.2, 7.5], [0, 0, 0])],
    });
  });
  await signIn(page);
  await page.goto(`${stackUrls().web}/load-tests`);

  // The section exists where the report has it, so its absence below is the page's choice.
  const section = (report: Locator) => report.getByRole('region', { name: 'Latency by minute' });
  await expect(section(await openReport(page, 'lt-e2e-minutes-with'))).toBeVisible();
  for (const id of ['lt-e2e-minutes-old', 'lt-e2e-minutes-empty', 'lt-e2e-minutes-short']) {
    const report = await openReport(page, id);
    await expect(report.locator(CHART)).toHaveCount(0);
    await expect(section(report)).toHaveCount(0);
  }
});
