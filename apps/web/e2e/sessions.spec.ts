import { type Browser, expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN, screenshot, signIn, stackUrls, trpcMutation } from './helpers';

// Several sign-ins (argon2 on a busy machine) across two browsers per test.
test.describe.configure({ timeout: 90_000 });

async function createUser(admin: Page, email: string, role: 'viewer' | 'editor' | 'admin') {
  const res = await trpcMutation(admin, 'user.create', { email, password: PASSWORD, role });
  expect(res.status()).toBe(200);
}

const PASSWORD = 'sessions-password-e2e';

/** A second browser (own cookies) at the width this run tests. */
async function otherBrowser(browser: Browser, page: Page) {
  const context = await browser.newContext({ viewport: page.viewportSize() });
  return { context, page: await context.newPage() };
}

test('a tab signed out elsewhere goes to sign-in, then back to its page', async ({
  page,
  browser,
}) => {
  const user = { email: 'two-tabs@e2e.test', password: PASSWORD };
  await signIn(page);
  await createUser(page, user.email, 'editor');
  const first = await otherBrowser(browser, page);
  await signIn(first.page, user);
  await first.page.goto(`${stackUrls().web}/rewards?status=failed`);
  await expect(first.page.getByRole('heading', { name: 'Rewards', level: 1 })).toBeVisible();

  const second = await otherBrowser(browser, page);
  await signIn(second.page, user);
  await second.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(second.page).toHaveURL(/\/sign-in$/);

  // The rewards page polls every 2 s: its first 401 sends the tab away.
  await expect(first.page).toHaveURL(/\/sign-in\?next=%2Frewards%3Fstatus%3Dfailed$/);
  await first.page.waitForLoadState();
  await first.page.getByLabel('Email').fill(user.email);
  await first.page.getByLabel('Password').fill(user.password);
  await first.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(first.page.getByRole('heading', { name: 'Rewards', level: 1 })).toBeVisible();
  await expect(first.page).toHaveURL(/\/rewards\?status=failed$/);
  await first.context.close();
  await second.context.close();
});

test('a refused sign-in stays put, and a return path to another site is ignored', async ({
  page,
}) => {
  await page.goto(`${stackUrls().web}/sign-in?next=${encodeURIComponent('//evil.example/')}`);
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('wrong-password-e2e');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Its 401 is a wrong password, not a session that ended: no redirect, the message shows.
  await expect(
    page.getByRole('alert').filter({ hasText: /invalid email or password/i }),
  ).toBeVisible();
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Challenges', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(`${stackUrls().web}/challenges`);
});

test('a demoted editor’s open tab re-reads the session and loses the edit controls', async ({
  page,
  browser,
}) => {
  const user = { email: 'demoted@e2e.test', password: PASSWORD };
  await signIn(page);
  await createUser(page, user.email, 'editor');
  const editor = await otherBrowser(browser, page);
  await signIn(editor.page, user);
  await expect(editor.page.getByRole('button', { name: 'Save draft' })).toBeVisible();

  await page.goto(`${stackUrls().web}/users`);
  await page.getByLabel(`Role of ${user.email}`).selectOption('viewer');
  await expect(page.getByLabel(`Role of ${user.email}`)).toHaveValue('viewer');

  // A role change ends the user's sessions; coming back to the tab re-reads the session, so
  // the tab goes to sign-in at once instead of offering edits the api would refuse.
  await editor.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await expect(editor.page).toHaveURL(/\/sign-in\?next=%2Fchallenges$/);
  await editor.page.waitForLoadState();
  await editor.page.getByLabel('Email').fill(user.email);
  await editor.page.getByLabel('Password').fill(user.password);
  await editor.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(editor.page.getByRole('heading', { name: 'Challenges', level: 1 })).toBeVisible();
  await expect(editor.page.getByRole('complementary').getByText('viewer')).toBeVisible();
  await expect(editor.page.getByRole('button', { name: 'Save draft' })).toHaveCount(0);
  await editor.context.close();
});

test('disable and delete ask first; a deleted user is signed out', async ({ page, browser }) => {
  const user = { email: 'leaver@e2e.test', password: PASSWORD };
  await signIn(page);
  await createUser(page, user.email, 'viewer');
  const theirs = await otherBrowser(browser, page);
  await signIn(theirs.page, user);

  await page.goto(`${stackUrls().web}/users`);
  const row = page.locator(`tr[data-user="${user.email}"]`);
  await row.getByRole('button', { name: 'Disable' }).click();
  const disable = page.getByRole('dialog', { name: `Disable ${user.email}?` });
  await expect(disable).toContainText('sessions end at once');
  await disable.getByRole('button', { name: 'Cancel' }).click();
  await expect(disable).toBeHidden();
  await expect(row.getByText('enabled', { exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'Disable' }).click();
  await disable.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByText('disabled', { exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row.getByText('enabled', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Disable' })).toBeVisible();

  await expect(
    page.locator('tr', { hasText: 'you' }).getByRole('button', { name: 'Delete' }),
  ).toHaveCount(0);
  await row.getByRole('button', { name: 'Delete' }).click();
  const remove = page.getByRole('dialog', { name: `Delete ${user.email}?` });
  await expect(remove).toContainText('removed for good');
  await screenshot(page, 'users-delete');
  await remove.getByRole('button', { name: 'Delete user' }).click();
  await expect(remove).toBeHidden();
  await expect(row).toHaveCount(0);

  // Their open tab's next call (the Challenges page polls its counts) sends it to sign-in.
  await expect(theirs.page).toHaveURL(/\/sign-in\?next=%2Fchallenges$/);
  await theirs.context.close();
});
