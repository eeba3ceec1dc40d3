import { expect, test } from '@playwright/test';
import { screenshot, signIn, stackUrls, trpcMutation } from './helpers';

const viewer = { email: 'viewer@e2e.test', password: 'viewer-password-e2e' };

test('an admin creates a viewer, who sees challenges but cannot publish', async ({
  page,
  browser,
}) => {
  await signIn(page);
  await page.goto(`${stackUrls().web}/users`);
  await page.getByLabel('Email').fill(viewer.email);
  await page.getByLabel('Initial password').fill(viewer.password);
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator(`tr[data-user="${viewer.email}"]`)).toBeVisible();

  await page.getByLabel('New key name').fill('game-server-eu');
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('dialog', { name: 'Copy the new key now' });
  await expect(shown.getByTestId('new-api-key')).not.toBeEmpty();
  await shown.getByRole('button', { name: 'Close' }).click();
  const keyRow = page.getByRole('row', { name: /game-server-eu/ });
  await expect(keyRow.getByText('active')).toBeVisible();
  await screenshot(page, 'users');
  await keyRow.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(keyRow.getByText('revoked')).toBeVisible();

  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await signIn(viewerPage, viewer);
  await expect(viewerPage.locator('li[data-goal="tutorial"]')).toBeVisible();
  await expect(viewerPage.getByRole('button', { name: 'Publish' })).toHaveCount(0);
  await expect(viewerPage.getByRole('button', { name: 'Save draft' })).toHaveCount(0);
  await expect(viewerPage.getByRole('link', { name: 'Users' })).toHaveCount(0);

  // Hidden is not enough: the api itself refuses the viewer's publish.
  const publish = await trpcMutation(viewerPage, 'challenge.publish', {});
  expect(publish.status()).toBe(403);
  const refusal = JSON.stringify(await publish.json());
  expect(refusal).toContain('FORBIDDEN');
  expect(refusal).toContain('needs the editor role');
  await context.close();
});
