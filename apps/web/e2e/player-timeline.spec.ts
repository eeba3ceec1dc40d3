import { expect, test } from '@playwright/test';
import {
  claimTutorial,
  initializePlayer,
  rewardControlUrl,
  screenshot,
  signIn,
  stackUrls,
} from './helpers';

test('players are found by the start of their id, a page of 20 at a time', async ({
  page,
  request,
}) => {
  const prefix = `e2e-find-${Date.now()}-`;
  const ids = Array.from({ length: 21 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
  for (const id of ids) await initializePlayer(request, id);

  await signIn(page);
  await page.getByRole('link', { name: 'Players' }).click();
  await page.getByLabel('User id').fill(prefix);
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Matching players' });
  await expect(results.getByRole('link')).toHaveCount(20);
  await expect(results.getByRole('link').first()).toHaveText(ids[0]!);
  await page.getByRole('button', { name: 'More players' }).click();
  await expect(results.getByRole('link')).toHaveCount(21);
  await expect(page.getByRole('button', { name: 'More players' })).toHaveCount(0);

  await results.getByRole('link', { name: ids[20] }).click();
  await expect(page).toHaveURL(new RegExp(`user=${ids[20]}`));
  await expect(page.getByLabel('User id')).toHaveValue(ids[20]!);
  await expect(page.locator('tr[data-goal="daily-reset"]')).toBeVisible();
});

test("a player's timeline lists events, activations, claims and grants, newest first, linked with Rewards", async ({
  page,
  request,
}) => {
  const userId = `e2e-timeline-${Date.now()}`;
  const { web } = stackUrls();
  expect((await request.post(`${rewardControlUrl()}/accept`)).status()).toBe(200);
  await claimTutorial(request, userId);

  await signIn(page);
  await page.goto(`${web}/players?user=${encodeURIComponent(userId)}`);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByRole('list', { name: `Timeline of ${userId}` });
  // The claim's inline delivery is granted: created, then attempt 1 granted.
  await expect(timeline.locator('li[data-kind="grant"]')).toHaveCount(2);
  const kinds = await timeline
    .locator('li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
  expect(kinds.indexOf('claimed')).toBeGreaterThan(-1);
  // Newest first: the delivery follows the claim, the claim the completion.
  expect(kinds.indexOf('grant')).toBeLessThan(kinds.indexOf('claimed'));
  expect(kinds.indexOf('claimed')).toBeLessThan(kinds.indexOf('completed'));
  expect(kinds).toContain('assigned');
  await expect(timeline.locator('li[data-kind="events"]')).toContainText(
    '1 event of stat:tutorial_completed',
  );
  await expect(timeline.locator('li[data-kind="grant"]').first()).toContainText(
    'attempt 1: granted',
  );
  await expect(timeline.locator('time').first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await screenshot(page, 'players-timeline');

  // To Rewards, filtered to this player's grant; and back to the timeline from its row.
  await timeline.locator('li[data-kind="grant"]').first().getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Rewards', level: 1 })).toBeVisible();
  await expect(page.getByLabel('User id')).toHaveValue(userId);
  await expect(page.getByLabel('Status')).toHaveValue('any');
  const row = page.locator('tr[data-status="granted"]');
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: userId }).click();
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('list', { name: `Timeline of ${userId}` })).toBeVisible();
});
