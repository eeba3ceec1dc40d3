import { expect, type Page, test } from '@playwright/test';
import { screenshot, signIn, trpcMutation, trpcQuery } from './helpers';

const target = (page: Page) => page.locator('li[data-goal="kill-10"]').getByLabel(/Target/);

async function liveVersion(page: Page): Promise<number> {
  return (await trpcQuery<{ liveVersion: number }>(page, 'challenge.draft')).liveVersion;
}

test('the live version is shown read-only next to the draft, which differs from it', async ({
  page,
}) => {
  await signIn(page);
  const live = await liveVersion(page);
  const liveTarget = await target(page).inputValue();
  await target(page).fill('77');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('unsaved changes')).toHaveCount(0);

  await page.getByRole('tab', { name: `Live v${live}` }).click();
  const shown = page.getByRole('region', { name: `Live version ${live}` });
  await expect(shown).toContainText(`Live version v${live}, read-only`);
  await expect(target(page)).toHaveValue(liveTarget);
  await expect(target(page)).toHaveAttribute('readonly', '');
  await page.getByRole('tab', { name: 'Form' }).click();
  await expect(target(page)).toHaveValue('77');
});

test('after a rollback the notice names the version rolled back to and the new live one', async ({
  page,
}) => {
  await signIn(page);
  const before = await liveVersion(page);
  await target(page).fill(String(100 + before));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page
    .getByRole('dialog', { name: 'Publish the draft?' })
    .getByRole('button', { name: 'Publish' })
    .click();
  const notice = page.getByRole('status').filter({ hasText: /version/ });
  await expect(notice).toHaveText(`Published version ${before + 1}.`);

  await page
    .getByRole('row', { name: new RegExp(`^v${before}\\b`) })
    .getByRole('button', { name: 'Roll back' })
    .click();
  await page
    .getByRole('dialog', { name: `Roll back to version ${before}?` })
    .getByRole('button', { name: 'Roll back' })
    .click();
  await expect(notice).toHaveText(
    `Rolled back to version ${before}: it is live as version ${before + 2}.`,
  );
  await expect(
    page.getByRole('row', { name: new RegExp(`^v${before + 2}\\b.*live`) }),
  ).toBeVisible();
});

test('the audit log lists who changed what, newest first, by page and by action', async ({
  page,
}) => {
  await signIn(page);
  // More entries than one page holds.
  const draft = await trpcQuery<{ content: unknown }>(page, 'challenge.draft');
  for (let i = 0; i < 21; i++) {
    const saved = await trpcMutation(page, 'challenge.updateDraft', { content: draft.content });
    expect(saved.status()).toBe(200);
  }
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  const rows = page.locator('tr[data-audit]');
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText('admin@e2e.test');
  await expect(rows.first()).toContainText('Draft saved');
  const ids = await rows.evaluateAll((trs) =>
    trs.map((tr) => Number(tr.getAttribute('data-audit'))),
  );
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  await screenshot(page, 'audit');

  await page.getByRole('button', { name: 'Older' }).click();
  await expect(page.getByText('Page 2')).toBeVisible();
  await expect(rows.first()).toHaveAttribute('data-audit', String(ids.at(-1)! - 1));
  await page.getByRole('button', { name: 'Newer' }).click();
  await expect(rows.first()).toHaveAttribute('data-audit', String(ids[0]));

  await page.getByLabel('Action').selectOption('rollback');
  await expect(rows.first()).toContainText('Rollback');
  await expect(rows.first()).toContainText(/back to version \d+/);
  for (const text of await rows.allInnerTexts()) expect(text).toContain('Rollback');
});
