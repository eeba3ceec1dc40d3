import { expect, type Page, test } from '@playwright/test';
import Redis from 'ioredis';
import { screenshot, signIn, stackUrls } from './helpers';

const ROUTE = 'REST GET /challenge/v1/challenges';

/** Steady player traffic until `until` resolves. */
async function withTraffic(page: Page, until: () => Promise<void>) {
  let sending = true;
  const traffic = (async () => {
    while (sending) {
      await page.request.get(`${stackUrls().api}/challenge/v1/challenges`, {
        headers: { 'x-mock-user-id': 'e2e-live' },
      });
    }
  })();
  try {
    await until();
  } finally {
    sending = false;
    await traffic;
  }
}

test('player routes and the dashboard’s own calls are apart; latency per route', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${stackUrls().web}/live`);
  await expect(page.locator('.recharts-wrapper svg').first()).toBeVisible();
  const requests = page.locator('figure[data-chart="Requests"]');
  await expect(requests.getByText('internal (dashboard, profiling, health)')).toBeVisible();
  // Only the page's own polling so far: internal traffic, no player requests.
  await expect(page.locator('[data-stat="Player requests/s"]')).toHaveText(/^(0|—)$/);

  await withTraffic(page, async () => {
    await expect(page.locator('[data-stat="Player requests/s"]')).not.toHaveText(/^(0|—)$/, {
      timeout: 15_000,
    });
    await page.getByRole('combobox', { name: 'Route' }).selectOption(ROUTE);
    const latency = page.locator(`figure[data-chart="Latency, ${ROUTE}"]`);
    await expect(latency).toBeVisible();
    await expect(latency.locator('path.recharts-line-curve').first()).toHaveAttribute('d', /L/, {
      timeout: 15_000,
    });
  });
  await expect(page.getByRole('option', { name: 'tRPC live.history' })).toBeAttached();
  await screenshot(page, 'live');
});

test('a process that missed seconds is drawn with a gap; a drag zooms in', async ({ page }) => {
  // A worker that published for 15 s, stopped for 20 s, then published again.
  const prefix = process.env.E2E_QUEUE_PREFIX;
  if (!prefix) throw new Error('the e2e stack did not say its queue prefix');
  const id = 'worker:e2e-gap:4242';
  const now = Date.now();
  const seconds = [...Array(15).keys(), ...Array.from({ length: 17 }, (_, i) => 35 + i)];
  const points = seconds.map((s) => {
    const t = now - 55_000 + s * 1000;
    return JSON.stringify({
      ...{ t, startedAt: now - 60_000, requestsPerSec: 0, internalRequestsPerSec: 0 },
      ...{ p50Ms: null, p95Ms: null, p99Ms: null, eventsReceivedPerSec: 0 },
      ...{ eventsAppliedPerSec: 0, queueDepth: 0, lagMs: null, cpuPercent: 40 },
      ...{ heapUsedBytes: 1e7, heapTotalBytes: 2e7, rssBytes: 5e7, eventLoopP50Ms: 1 },
      ...{ eventLoopP99Ms: 2, endpoints: [], partitions: [] },
    });
  });
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    await redis
      .pipeline()
      .rpush(`${prefix}:{live}:${id}`, ...points)
      .pexpire(`${prefix}:{live}:${id}`, 600_000)
      .zadd(`${prefix}:{live}:index`, now - 55_000 + 51_000, id)
      .exec();
  } finally {
    redis.disconnect();
  }

  await signIn(page);
  await page.goto(`${stackUrls().web}/live`);
  await expect(page.getByRole('cell', { name: id })).toBeVisible();
  const cpu = page.locator('figure[data-chart="CPU"]');
  // The injected process's line is one path with two segments: two moves, nothing in between.
  await expect
    .poll(async () =>
      (
        await cpu
          .locator('path.recharts-line-curve')
          .evaluateAll((paths) => paths.map((p) => (p.getAttribute('d')?.match(/M/g) ?? []).length))
      ).some((moves) => moves >= 2),
    )
    .toBe(true);

  // The mouse works in viewport coordinates: the chart must be on screen first.
  await cpu.scrollIntoViewIfNeeded();
  const plot = await cpu.getByRole('application').boundingBox();
  if (!plot) throw new Error('no CPU chart');
  await page.mouse.move(plot.x + plot.width * 0.3, plot.y + plot.height / 2);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width * 0.6, plot.y + plot.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('zoom')).toContainText('Zoomed to');
  await page.getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByTestId('zoom')).toHaveCount(0);
});

test('admin profiles: heap with a chosen duration, flame graph, download, diff and markers', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${stackUrls().web}/live`);
  const apiRow = page.getByRole('row').filter({ hasText: /^api:/ });
  const duration = page.getByLabel('Duration (seconds)');

  await duration.fill('31');
  await expect(page.getByText('From 1 to 30 seconds')).toBeVisible();
  await expect(apiRow.getByRole('button', { name: 'CPU profile' })).toBeDisabled();

  await page.getByRole('tab', { name: 'Heap' }).click();
  await duration.fill('2');
  await apiRow.getByRole('button', { name: 'Heap profile' }).click();
  await expect(apiRow.getByRole('button', { name: 'Profiling 2 s…' })).toBeVisible();
  const heap = page.getByRole('region', { name: /Heap profile of api:.*\(2 s\)/ });
  // A heap profile lists what is still allocated at its end: possibly nothing on an idle api.
  await expect(heap.getByRole('columnheader', { name: 'Self', exact: true })).toBeVisible({
    timeout: 20_000,
  });
  await expect(heap.getByRole('img', { name: 'Flame graph' })).toBeVisible();
  const download = page.waitForEvent('download');
  await heap.getByRole('button', { name: 'Download raw profile' }).click();
  expect((await download).suggestedFilename()).toMatch(/^heap-.*\.heapprofile$/);

  await page.getByRole('tab', { name: 'CPU' }).click();
  await duration.fill('1');
  for (const _ of [1, 2]) {
    await apiRow.getByRole('button', { name: 'CPU profile' }).click();
    await expect(apiRow.getByRole('button', { name: 'CPU profile' })).toBeEnabled({
      timeout: 20_000,
    });
  }
  const cpu = page.getByRole('region', { name: /CPU profile of api:.*\(1 s\)/ });
  await expect(cpu.getByTestId('excluded')).toContainText('idle');
  const flame = cpu.getByRole('img', { name: 'Flame graph' });
  await expect(flame.locator('[data-frame]').nth(1)).toBeAttached();
  const diff = page.getByRole('region', { name: /Compare two profiles/ });
  await expect(diff.getByRole('row').nth(1)).toBeVisible({ timeout: 20_000 });
  await expect(diff.getByLabel('Before')).toHaveValue(/^cpu-/);

  // Every chart marks the profiles; the list names them.
  await expect(page.locator('[data-marker="profile"]')).toHaveCount(3);
  await expect(page.locator('figure[data-chart="CPU"] .marker-profile').first()).toBeAttached();
  await cpu.scrollIntoViewIfNeeded();
  await screenshot(page, 'live-profile');
});
