import { expect, test } from '@playwright/test';
import { screenshot, signIn, stackUrls } from './helpers';

// A real run: the api spawns the load-test runner against itself (the e2e stack's api, with an
// ADMIN_API_KEY so the runner can take its mid-run CPU profile), and the page follows it.
test('starts a short run from the dashboard and opens its report', async ({ page }) => {
  // Setup, warm-up, 5 measured seconds, the profile and the report: well past the default 45 s.
  test.setTimeout(150_000);
  await signIn(page);
  await page.getByRole('link', { name: 'Load tests' }).click();
  await expect(page.getByRole('heading', { name: 'Load tests', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Start a load test' })).toBeVisible();
  expect(page.url()).toBe(`${stackUrls().web}/load-tests`);

  await page.getByLabel('Scenario').selectOption('list');
  await page.getByLabel('Requests/s').fill('20');
  await page.getByLabel('Events/s').fill('0');
  await page.getByLabel('Duration (s)').fill('5');
  await page.getByLabel('Users').fill('10');
  await page.getByRole('button', { name: 'Start' }).click();

  // Live: the run's card with its status, then its progress numbers moving.
  const live = page.getByRole('region', { name: /^Run lt-.* · list/ });
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
  // Where the box's CPU went: the runner measures itself among the processes.
  const cpu = report.getByRole('region', { name: 'Where the CPU went' });
  await expect(cpu.getByRole('row').filter({ hasText: 'load generator' })).toBeVisible();
  await expect(cpu.getByRole('row').filter({ hasText: /^api/ })).toBeVisible();

  // The history lists it as completed.
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('row').nth(1)).toContainText('completed');
  // The endpoint table and the charts below it, rather than the form at the top.
  await endpoints.scrollIntoViewIfNeeded();
  await screenshot(page, 'load-tests');
});
