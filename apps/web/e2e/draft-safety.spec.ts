import { expect, type Page, test } from '@playwright/test';
import { screenshot, signIn, trpcMutation, trpcQuery } from './helpers';

const editor = { email: 'editor@e2e.test', password: 'editor-password-e2e' };

const kill10 = (page: Page) => page.locator('li[data-goal="kill-10"]');
const target = (page: Page) => kill10(page).getByLabel(/Target/);
const saveDraft = (page: Page) => page.getByRole('button', { name: 'Save draft' });

async function liveVersion(page: Page): Promise<number> {
  return (await trpcQuery<{ liveVersion: number }>(page, 'challenge.draft')).liveVersion;
}

test('two editors on one draft: the later save is refused, shows the diff, and overwrites only on purpose', async ({
  page,
  browser,
}) => {
  await signIn(page);
  const created = await trpcMutation(page, 'user.create', { ...editor, role: 'editor' });
  expect([200, 409]).toContain(created.status());
  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, editor);
  const original = await target(page).inputValue();

  // The editor's unsaved edit was made on the draft as it was before the admin's save.
  await kill10(second).getByLabel('Qty').fill('7');
  await target(page).fill('21');
  await saveDraft(page).click();
  await expect(page.getByText('unsaved changes')).toHaveCount(0);

  await saveDraft(second).click();
  const conflict = second.getByRole('alert', { name: 'Save conflict' });
  await expect(conflict).toContainText(/The draft was changed by admin@e2e\.test at \d{4}-/);
  const diff = conflict.getByRole('list', { name: 'Differences: theirs → mine' });
  await expect(diff).toContainText(`goals[kill-10].requirement.targetValue: 21 → ${original}`);
  await expect(diff).toContainText('goals[kill-10].reward.quantity: 1 → 7');
  await screenshot(second, 'challenges-conflict');

  // Refused means nothing stored: the admin's save is what the draft holds.
  await page.reload();
  await expect(target(page)).toHaveValue('21');
  await expect(kill10(page).getByLabel('Qty')).toHaveValue('1');

  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(conflict).toHaveCount(0);
  await expect(second.getByText('unsaved changes')).toHaveCount(0);
  await page.reload();
  await expect(kill10(page).getByLabel('Qty')).toHaveValue('7');
  await expect(target(page)).toHaveValue(original);

  // And the other way out: take theirs.
  await kill10(second).getByLabel('Qty').fill('9');
  await kill10(page).getByLabel('Qty').fill('1');
  await saveDraft(page).click();
  await expect(page.getByText('unsaved changes')).toHaveCount(0);
  await saveDraft(second).click();
  await conflict.getByRole('button', { name: 'Reload theirs (drop mine)' }).click();
  await expect(kill10(second).getByLabel('Qty')).toHaveValue('1');
  await expect(second.getByText('unsaved changes')).toHaveCount(0);
  await other.close();
});

test('unsaved edits: leaving through the nav asks first, closing the tab gets the browser prompt', async ({
  page,
}) => {
  await signIn(page);
  await target(page).click();
  await target(page).fill('44');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Players' })
    .click();
  const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Challenges', level: 1 })).toBeVisible();
  await expect(target(page)).toHaveValue('44');

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Players' })
    .click();
  await ask.getByRole('button', { name: 'Leave and discard' }).click();
  await expect(page.getByRole('heading', { name: 'Players', level: 1 })).toBeVisible();

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Challenges' })
    .click();
  await expect(target(page)).not.toHaveValue('44');
  await target(page).click();
  await target(page).fill('45');
  const prompt = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await prompt;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.accept();
});

test('an import is compared with the draft and replaces it only once confirmed', async ({
  page,
}) => {
  await signIn(page);
  const current = await target(page).inputValue();
  type Goal = { goalId: string; requirement: { targetValue: number } };
  const draft = await trpcQuery<{ content: { challenges: { goals: Goal[] }[] } }>(
    page,
    'challenge.draft',
  );
  const file = structuredClone(draft.content);
  const goal = file.challenges.flatMap((c) => c.goals).find((g) => g.goalId === 'kill-10')!;
  goal.requirement.targetValue = 55;
  const upload = {
    name: 'season.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  };

  await page.getByLabel('Definitions file to import').setInputFiles(upload);
  const ask = page.getByRole('dialog', { name: 'Replace the draft with season.json?' });
  await expect(ask.getByRole('list', { name: /Differences/ })).toContainText(
    `goals[kill-10].requirement.targetValue: ${current} → 55`,
  );
  await expect(ask).toContainText('1 difference');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(target(page)).toHaveValue(current);
  await page.reload();
  await expect(target(page)).toHaveValue(current);

  await page.getByLabel('Definitions file to import').setInputFiles(upload);
  await ask.getByRole('button', { name: 'Replace the draft' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Imported into the draft.' }),
  ).toBeVisible();
  await expect(target(page)).toHaveValue('55');
});

test('reset to live drops the draft; publishing a draft equal to live makes no version', async ({
  page,
}) => {
  await signIn(page);
  const live = await liveVersion(page);
  await target(page).fill('66');
  await saveDraft(page).click();
  await expect(page.getByText('unsaved changes')).toHaveCount(0);

  await page.getByRole('button', { name: 'Reset to live' }).click();
  const ask = page.getByRole('dialog', { name: 'Reset the draft to live?' });
  await expect(ask).toContainText(`live version ${live}`);
  await ask.getByRole('button', { name: 'Reset the draft' }).click();
  await expect(target(page)).not.toHaveValue('66');
  await page.getByRole('tab', { name: 'Diff against live' }).click();
  await expect(
    page.getByText(`The saved draft is identical to live version ${live}.`),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Publish' }).click();
  const publish = page.getByRole('dialog', { name: 'Publish the draft?' });
  await publish.getByRole('button', { name: 'Publish' }).click();
  await expect(publish).toContainText(
    `Nothing to publish: the draft is identical to live version ${live}.`,
  );
  await publish.getByRole('button', { name: 'Cancel' }).click();
  expect(await liveVersion(page)).toBe(live);
  await expect(page.getByRole('row', { name: new RegExp(`^v${live + 1}\\b`) })).toHaveCount(0);
});
