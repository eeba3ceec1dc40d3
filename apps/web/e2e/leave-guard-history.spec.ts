import { expect, type Page, test } from '@playwright/test';
import { signIn } from './helpers';

const target = (page: Page) => page.locator('li[data-goal="kill-10"]').getByLabel(/Target/);
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 1 });

test('unsaved edits: browser Back asks first; cancel keeps the page and the edit, leave goes back', async ({
  page,
}) => {
  await signIn(page);
  // Players, then back to Challenges inside the app: Back is then a move within the page's history.
  await nav(page, 'Players').click();
  await expect(heading(page, 'Players')).toBeVisible();
  await nav(page, 'Challenges').click();
  await expect(heading(page, 'Challenges')).toBeVisible();
  await target(page).click();
  await target(page).fill('46');

  const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
  await page.goBack({ waitUntil: 'commit' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(page).toHaveURL(/\/challenges$/);
  await expect(heading(page, 'Challenges')).toBeVisible();
  await expect(target(page)).toHaveValue('46');
  await expect(page.getByText('unsaved changes')).toBeVisible();

  await page.goBack({ waitUntil: 'commit' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Leave and discard' }).click();
  await expect(heading(page, 'Players')).toBeVisible();
  await expect(page).toHaveURL(/\/players$/);

  // Nothing was saved: the draft is as it was.
  await nav(page, 'Challenges').click();
  await expect(target(page)).not.toHaveValue('46');
});
