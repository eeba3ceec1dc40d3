import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  E2E_ADMIN,
  readDraftJson,
  signIn,
  stackUrls,
  trpcMutation,
  writeDraftJson,
} from './helpers';

test('the dashboard serves a favicon: neither the browser nor a plain GET meets a 404', async ({
  page,
  request,
}) => {
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`);
  });
  const favicon = await request.get(`${stackUrls().web}/favicon.ico`);
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toMatch(/^image\//);

  await page.goto(`${stackUrls().web}/sign-in`);
  const icon = page.locator('link[rel="icon"]');
  await expect(icon).toHaveCount(1);
  const linked = await request.get(new URL((await icon.getAttribute('href'))!, page.url()).href);
  expect(linked.status()).toBe(200);
  expect(linked.headers()['content-type']).toMatch(/^image\//);
  expect(missing).toEqual([]);
});

/** Keeps only the first goal of one challenge, through the JSON view (nothing is saved). */
async function keepOneGoal(page: Page, challengeId: string): Promise<void> {
  const content = await readDraftJson(page);
  const challenge = content.challenges.find((c) => c.challengeId === challengeId)!;
  challenge.goals = challenge.goals.slice(0, 1);
  await writeDraftJson(page, content);
}

test('counts read "1 goal", "4 goals", "1 problem": one word form for one, the other for more', async ({
  page,
}) => {
  await signIn(page);
  const season = page.getByRole('region', { name: /Season One/ });
  await expect(season.getByText('4 goals', { exact: true })).toBeVisible();

  await keepOneGoal(page, 'daily');
  const daily = page.getByRole('region', { name: /Daily Missions/ });
  await expect(daily.getByText('1 goal', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(daily.getByText('3 goals', { exact: true })).toBeVisible();

  // One problem in the saved draft, then the draft as it was.
  const target = page.locator('li[data-goal="kill-10"]').getByLabel(/Target/);
  const before = await target.inputValue();
  await target.fill('0');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('1 problem', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Diff against live' }).click();
  await expect(page.getByText(/The saved draft has 1 problem;/)).toBeVisible();
  await page.getByRole('tab', { name: 'Form' }).click();
  await target.fill(before);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('valid', { exact: true })).toBeVisible();
});

test('a cleared number field shows empty and says it is required, without NaN', async ({
  page,
}) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (/NaN/.test(message.text())) warnings.push(message.text());
  });
  await signIn(page);
  const goal = page.locator('li[data-goal="kill-10"]');
  for (const label of [/Target/, 'Qty']) {
    const field = goal.getByLabel(label);
    await field.fill('');
    await expect(field).toHaveValue('');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(goal.getByText('Required')).toHaveCount(2);
  // Typing a number again clears the message.
  await goal.getByLabel('Qty').fill('2');
  await expect(goal.getByText('Required')).toHaveCount(1);
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(goal.getByText('Required')).toHaveCount(0);
  expect(warnings).toEqual([]);
});

test("read-only fields look read-only: a viewer's form is flat and grey, an editor's is not", async ({
  page,
  browser,
}) => {
  const viewer = { email: `read-only-${Date.now()}@e2e.test`, password: 'read-only-password-e2e' };
  await signIn(page);
  const created = await trpcMutation(page, 'user.create', { ...viewer, role: 'viewer' });
  expect(created.status()).toBe(200);
  const background = (field: Locator) =>
    field.evaluate((element) => getComputedStyle(element).backgroundColor);

  const editable = page.locator('li[data-goal="kill-10"]').getByLabel('Name');
  await expect(editable).toBeEditable();
  const editableBackground = await background(editable);

  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await signIn(viewerPage, viewer);
  const readOnly = viewerPage.locator('li[data-goal="kill-10"]').getByLabel('Name');
  await expect(readOnly).toHaveAttribute('readonly', '');
  expect(await background(readOnly)).not.toBe(editableBackground);
  await context.close();
});

test('times read one way everywhere, with their zone: "2026-12-06 07:00:35 UTC"', async ({
  page,
}) => {
  const format = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;
  await signIn(page);
  await page.getByRole('link', { name: 'Users' }).click();
  const created = page.locator(`tr[data-user="${E2E_ADMIN.email}"] time`);
  await expect(created).toHaveText(format);

  const name = `format-${Date.now()}`;
  await page.getByLabel('New key name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  await page
    .getByRole('dialog', { name: 'Copy the new key now' })
    .getByRole('button', { name: 'Close' })
    .click();
  await expect(page.getByRole('row', { name: new RegExp(name) }).locator('time')).toHaveText(
    format,
  );
});

test('a refusal from the api reads as a sentence', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Initial password').fill('another-password-e2e');
  await page.getByRole('button', { name: 'Create user' }).click();
  const users = page.getByRole('region', { name: 'Dashboard users' });
  await expect(users.getByRole('alert')).toHaveText('A user with this email already exists.');
});
