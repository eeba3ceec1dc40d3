import { expect, type Page, test } from '@playwright/test';
import { readDraftJson, signIn, stackUrls, writeDraftJson } from './helpers';

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
