import { expect, test } from '@playwright/test';
import { E2E_INGEST_KEY, screenshot, signIn, stackUrls } from './helpers';

test('a player looked up after sending events shows their progress moving', async ({
  page,
  request,
}) => {
  const userId = `e2e-player-${Date.now()}`;
  const { api, web } = stackUrls();
  const init = await request.post(`${api}/challenge/v1/challenges/initialize`, {
    headers: { 'x-mock-user-id': userId },
  });
  expect(init.status()).toBe(200);

  await signIn(page);
  await page.goto(`${web}/players`);
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Look up' }).click();
  const row = page.locator('tr[data-goal="daily-reset"]');
  await expect(row.getByTestId('progress-text')).toHaveText('0 / 2 wins');
  await expect(row.getByText('active', { exact: true })).toBeVisible();

  const sent = await request.post(`${api}/challenge/v1/events`, {
    headers: { 'x-api-key': E2E_INGEST_KEY },
    data: { events: [{ id: `${userId}-1`, type: 'stat', userId, statCode: 'wins', inc: 1 }] },
  });
  expect(sent.status()).toBe(202);
  // The page polls; the worker applies the event within a second or two.
  await expect(row.getByTestId('progress-text')).toHaveText('1 / 2 wins');
  await expect(row.getByText('in progress')).toBeVisible();
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1');
  await screenshot(page, 'players');

  await row.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset goal' }).click();
  await expect(row.getByTestId('progress-text')).toHaveText('0 / 2 wins');

  // The challenge editor shows live per-goal counts (challenge.goalStats) over all players.
  await page.getByRole('link', { name: 'Challenges' }).click();
  const counts = page.locator('li[data-goal="daily-reset"]').getByTestId('goal-stats');
  await expect(counts).toContainText(/[1-9]\d* assigned/);
  await expect(counts).toContainText(/[1-9]\d* active/);
});
