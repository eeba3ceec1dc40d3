import { expect, type Page, test } from '@playwright/test';
import { screenshot, signIn } from './helpers';

// Schedules (docs/definitions.md): a goal's window in the form, validated inline; a draft
// scheduled to publish, seen on the Schedule page and cancelled there.
test('an editor gives a goal a window, schedules the draft, sees it on the calendar and cancels it', async ({
  page,
}) => {
  // Two publishes and four page visits: longer than the default on a busy box.
  test.setTimeout(120_000);
  await signIn(page);
  const goal = page.locator('li[data-goal="kill-10"]');
  const endsAt = goal.getByLabel('Ends at');
  await endsAt.fill('next friday');
  await expect(goal.getByRole('alert')).toContainText('schedule.endsAt must be an RFC 3339 time');
  await expect(page.getByRole('button', { name: 'Schedule for later…' })).toBeDisabled();
  await endsAt.fill('2099-12-31T00:00:00Z');
  await expect(goal.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('unsaved changes')).toHaveCount(0);

  await page.getByRole('button', { name: 'Schedule for later…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule the draft to publish' });
  await dialog.getByLabel('Publish at (your local time)').fill('2099-06-01T12:00');
  await dialog.getByLabel('Note (optional)').fill('e2e summer launch');
  await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Publish scheduled for' })).toBeVisible();

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Schedule' })
    .click();
  await expect(page.getByRole('heading', { name: 'Schedule', level: 1 })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'e2e summer launch' });
  await expect(row).toContainText('pending');
  await expect(row).toContainText('2099');
  await screenshot(page, 'schedule');

  await row.getByRole('button', { name: 'Cancel' }).click();
  await page
    .getByRole('dialog', { name: 'Cancel this scheduled publish?' })
    .getByRole('button', { name: 'Cancel the publish' })
    .click();
  await expect(row).toContainText('cancelled');
  await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0);

  // Published, the goal's window shows on the calendar.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Challenges' }).click();
  await publish(page);
  await nav.getByRole('link', { name: 'Schedule' }).click();
  const window = page.getByRole('row').filter({ hasText: 'kill-10' });
  await expect(window).toContainText('open');
  await expect(window).toContainText('2099-12-31');

  // Put the definitions back as they were (other tests read kill-10).
  await nav.getByRole('link', { name: 'Challenges' }).click();
  await page.locator('li[data-goal="kill-10"]').getByLabel('Ends at').fill('');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('unsaved changes')).toHaveCount(0);
  await publish(page);
});

async function publish(page: Page) {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Publish the draft?' })
    .getByRole('button', { name: 'Publish' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: /Published version/ })).toBeVisible();
}
