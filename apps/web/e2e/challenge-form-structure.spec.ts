import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, test } from '@playwright/test';
import { readDraftJson, screenshot, signIn, writeDraftJson } from './helpers';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function goalIdsIn(scope: Locator): Promise<string[]> {
  return scope
    .locator('li[data-goal]')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-goal') ?? ''));
}

test('goals are added, removed, reordered and moved; challenges added and removed', async ({
  page,
}) => {
  await signIn(page);
  const pool = page.getByRole('region', { name: /Goal Pool/ });
  await pool.getByRole('button', { name: 'Add goal' }).click();
  const added = page.locator('li[data-goal="goal-1"]');
  await expect(added.getByText('rewardId must not be empty')).toBeVisible();
  await added.getByLabel('Reward', { exact: true }).fill('GOLD');
  await expect(added.getByRole('alert')).toHaveCount(0);

  await page.getByRole('button', { name: 'Move pool-2 up' }).click();
  await expect(page.getByRole('button', { name: 'Move pool-2 up' })).toBeDisabled();
  await page.getByRole('button', { name: 'Move pool-5 down' }).click();
  await page
    .getByRole('combobox', { name: 'Move pool-3 to challenge' })
    .selectOption({ label: 'Daily Missions' });
  await page.getByRole('button', { name: 'Remove pool-4' }).click();
  expect(await goalIdsIn(pool)).toEqual(['pool-2', 'pool-1', 'goal-1', 'pool-5']);

  await page.getByRole('button', { name: 'Add challenge' }).click();
  const created = page.getByRole('region', { name: /New challenge/ });
  await expect(created.locator('li[data-goal="goal-2"]')).toBeVisible();
  await page.getByRole('button', { name: 'Remove challenge season' }).click();
  await expect(page.getByRole('region', { name: /Season One/ })).toHaveCount(0);

  const draft = await readDraftJson(page);
  const ids = (challengeId: string) =>
    draft.challenges.find((c) => c.challengeId === challengeId)?.goals.map((g) => g.goalId);
  expect(draft.challenges.map((c) => c.challengeId)).toEqual(['daily', 'pool', 'challenge-1']);
  expect(ids('pool')).toEqual(['pool-2', 'pool-1', 'goal-1', 'pool-5']);
  expect(ids('daily')).toEqual(['daily-reset', 'daily-keep', 'weekly-no-reset', 'pool-3']);
  expect(ids('challenge-1')).toEqual(['goal-2']);
  expect(await goalIdsIn(page.getByRole('region', { name: /Daily Missions/ }))).toEqual(
    ids('daily'),
  );

  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('region', { name: /Season One/ })).toBeVisible();
});

test('a long draft starts folded; search finds challenges and goals by id or name', async ({
  page,
}) => {
  await signIn(page);
  const m5 = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures/challenges.m5.json'), 'utf8'));
  await writeDraftJson(page, m5);
  const goals = page.locator('li[data-goal]');
  await expect(page.locator('button[aria-expanded="false"]')).toHaveCount(7);
  await expect(goals).toHaveCount(0);
  // 24 goals, folded: every challenge fits on a screen or two instead of ~4,400 px.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(2 * (page.viewportSize()?.height ?? 860));

  const search = page.getByLabel('Search', { exact: true });
  await search.fill('HEADSHOTS');
  expect(await goalIdsIn(page.locator('main'))).toEqual(['daily-headshots', 'daily-10-headshots']);
  await search.fill('winter challenge');
  await expect(goals).toHaveCount(3);
  await search.fill('monthly-kills');
  expect(await goalIdsIn(page.locator('main'))).toEqual(['monthly-kills-goal']);
  await search.fill('nothing-like-this');
  await expect(page.getByText('No challenge or goal matches “nothing-like-this”.')).toBeVisible();
  await search.fill('');
  await expect(goals).toHaveCount(0);

  const winter = page.getByRole('button', { name: /Winter Challenge 2025/ });
  await winter.click();
  await expect(winter).toHaveAttribute('aria-expanded', 'true');
  await expect(goals).toHaveCount(3);
  await screenshot(page, 'challenges-form');
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(goals).toHaveCount(24);
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(goals).toHaveCount(0);
  await page.getByRole('button', { name: 'Discard' }).click();
});

test('a draft the form cannot show says so, and the JSON view still holds it all', async ({
  page,
}) => {
  await signIn(page);
  const draft = await readDraftJson(page);
  draft.challenges[0]!.goals = 'not a list' as never;
  await writeDraftJson(page, draft);
  await expect(page.getByText('has a shape the form cannot show')).toBeVisible();
  await expect(page.getByText("invalid challenge 'season': goals must be an array")).toBeVisible();
  expect((await readDraftJson(page)).challenges[0]!.goals).toBe('not a list');
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(page.locator('li[data-goal="kill-10"]')).toBeVisible();
});
