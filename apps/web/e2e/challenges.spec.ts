import { expect, test } from '@playwright/test';
import { screenshot, signIn, stackUrls } from './helpers';

test('an editor fixes an invalid target in the draft, publishes it, and players get it', async ({
  page,
  request,
}) => {
  await signIn(page);
  const goal = page.locator('li[data-goal="kill-10"]');
  const target = goal.getByLabel(/Target/);
  await expect(target).toHaveValue('10');

  await target.fill('0');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(goal.getByRole('alert')).toContainText('targetValue must be positive');
  await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();

  await target.fill('12');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(goal.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText('valid', { exact: true })).toBeVisible();

  await page.getByRole('tab', { name: 'Diff against live' }).click();
  await expect(page.getByText('requirement.targetValue: 10 → 12')).toBeVisible();
  await page.getByRole('tab', { name: 'Form' }).click();

  await page.getByRole('button', { name: 'Publish' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish the draft?' });
  await dialog.getByLabel('Note (optional)').fill('kill-10 needs 12');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Published version 2.' })).toBeVisible();
  await expect(page.getByRole('row', { name: /v2.*live/ })).toBeVisible();

  const res = await request.get(`${stackUrls().api}/challenge/v1/challenges`, {
    headers: { 'x-mock-user-id': 'e2e-publish-check' },
  });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as {
    challenges: { goals: { goalId: string; requirement: { targetValue: number } }[] }[];
  };
  const kill10 = body.challenges.flatMap((c) => c.goals).find((g) => g.goalId === 'kill-10');
  expect(kill10?.requirement.targetValue).toBe(12);
  await screenshot(page, 'challenges');
});
