import { expect, type Page, test } from '@playwright/test';
import { screenshot, signIn, stackUrls } from './helpers';

/** The Challenges page's per-goal counts, as the dashboard reads them. */
async function goalStats(page: Page): Promise<unknown> {
  const res = await page.request.get(`${stackUrls().web}/trpc/challenge.goalStats`);
  expect(res.status()).toBe(200);
  return (await res.json()).result.data;
}

// A real run: the api spawns the load-test runner against itself (the e2e stack's api, with an
// ADMIN_API_KEY so the runner can take its mid-run CPU profile), and the page follows it.
test('starts a short run from the dashboard and opens its report', async ({ page }) => {
  // Setup, warm-up, 5 measured seconds, the events settling, the profile and the report.
  test.setTimeout(180_000);
  await signIn(page);
  const statsBefore = await goalStats(page);
  await page.getByRole('link', { name: 'Load tests' }).click();
  await expect(page.getByRole('heading', { name: 'Load tests', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Start a load test' })).toBeVisible();
  expect(page.url()).toBe(`${stackUrls().web}/load-tests`);

  await page.getByLabel('Scenario').selectOption('mixed');
  await page.getByLabel('Requests/s').fill('20');
  await page.getByLabel('Events/s').fill('20');
  await page.getByLabel('Duration (s)').fill('5');
  await page.getByLabel('Users').fill('10');
  await page.getByRole('button', { name: 'Start' }).click();

  // Live: the run's card with its status, then its progress numbers moving.
  const live = page.getByRole('region', { name: /^Run lt-.* · mixed/ });
  await expect(live.getByText('running', { exact: true })).toBeVisible();
  await expect(live.locator('[data-stat="Completed"]')).not.toHaveText(/^(—|0)$/, {
    timeout: 60_000,
  });

  // The page opens the report itself when the run ends.
  const report = page.getByRole('region', { name: /^Report of lt-/ });
  await expect(report).toBeVisible({ timeout: 90_000 });
  const endpoints = report.getByRole('region', { name: 'Latency per endpoint' });
  await expect(
    endpoints
      .getByRole('row')
      .filter({ hasText: /challenges/ })
      .first(),
  ).toBeVisible();
  await expect(
    report.locator('[data-chart="Latency over time"] .recharts-wrapper svg'),
  ).toBeVisible();
  await expect(report.getByRole('button', { name: 'Download Markdown' })).toBeVisible();
  // The stack's worker metrics port is not the default: the api told the runner where it is.
  const lost = report
    .getByRole('list', { name: 'Verdict' })
    .getByRole('listitem')
    .filter({ hasText: 'lost events' });
  await expect(lost).toContainText('pass');
  await expect(lost).toContainText('actual 0');
  // Where the box's CPU went: the runner measures itself among the processes.
  const cpu = report.getByRole('region', { name: 'Where the CPU went' });
  await expect(cpu.getByRole('row').filter({ hasText: 'load generator' })).toBeVisible();
  await expect(cpu.getByRole('row').filter({ hasText: /^api/ })).toBeVisible();

  // The history lists it as completed.
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('row').nth(1)).toContainText('completed');
  await expect(history.getByRole('row').nth(1)).toContainText(/PASS|FAIL/);
  // Its made-up players never counted as players.
  expect(await goalStats(page)).toEqual(statsBefore);
  // The endpoint table and the charts below it, rather than the form at the top.
  await endpoints.scrollIntoViewIfNeeded();
  await screenshot(page, 'load-tests');
});

test('cancelling a run asks first', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto(`${stackUrls().web}/load-tests`);
  await page.getByLabel('Scenario').selectOption('list');
  await page.getByLabel('Requests/s').fill('5');
  await page.getByLabel('Events/s').fill('0');
  await page.getByLabel('Duration (s)').fill('120');
  await page.getByLabel('Users').fill('5');
  await page.getByRole('button', { name: 'Start' }).click();
  const live = page.getByRole('region', { name: /^Run lt-.* · list/ });
  await expect(live.getByText('running', { exact: true })).toBeVisible();

  await live.getByRole('button', { name: 'Cancel run' }).click();
  const confirm = page.getByRole('dialog', { name: /^Cancel lt-/ });
  await expect(confirm).toContainText('test players are removed');
  await confirm.getByRole('button', { name: 'Keep running' }).click();
  await expect(confirm).toBeHidden();
  await expect(live.getByText('running', { exact: true })).toBeVisible();

  await live.getByRole('button', { name: 'Cancel run' }).click();
  await confirm.getByRole('button', { name: 'Cancel run' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('row').nth(1)).toContainText('cancelled', { timeout: 30_000 });
});
