import { expect, test } from '@playwright/test';
import { screenshot, signIn, stackUrls } from './helpers';

test('the live page shows requests per second while players call the api', async ({
  page,
  request,
}) => {
  await signIn(page);
  await page.goto(`${stackUrls().web}/live`);
  await expect(page.locator('.recharts-wrapper svg').first()).toBeVisible();

  // Steady player traffic until the page has seen it (or the test times out).
  let sending = true;
  const traffic = (async () => {
    while (sending) {
      await request.get(`${stackUrls().api}/challenge/v1/challenges`, {
        headers: { 'x-mock-user-id': 'e2e-live' },
      });
    }
  })();
  try {
    await expect(page.locator('[data-stat="Requests/s"]')).not.toHaveText('0', {
      timeout: 15_000,
    });
    await expect(page.getByText(/REST GET .*challenges/).first()).toBeVisible();
  } finally {
    sending = false;
    await traffic;
  }
  await screenshot(page, 'live');

  // Admin: a 5-second CPU profile of the api process, summarised as its top functions.
  const apiRow = page.getByRole('row').filter({ hasText: /^api:/ });
  await apiRow.getByRole('button', { name: 'CPU profile' }).click();
  const result = page.getByRole('region', { name: /CPU profile of api:/ });
  await expect(result.getByRole('row').nth(1)).toBeVisible({ timeout: 20_000 });
});
