import { expect, type Page, test } from '@playwright/test';
import { screenshot, signIn, stackUrls, trpcMutation } from './helpers';

async function createUser(admin: Page, email: string, password: string) {
  const res = await trpcMutation(admin, 'user.create', { email, password, role: 'editor' });
  expect(res.status()).toBe(200);
}

// Each test signs in four or five times (argon2 on a busy machine) across two browsers.
test.describe.configure({ timeout: 90_000 });

test('a user changes their own password, then signs in with the new one only', async ({
  page,
  browser,
}) => {
  const user = { email: 'changer@e2e.test', password: 'first-password-e2e' };
  await signIn(page);
  await createUser(page, user.email, user.password);

  const context = await browser.newContext();
  const own = await context.newPage();
  await signIn(own, user);
  await own.getByRole('link', { name: 'Account' }).click();
  await expect(own.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await own.getByLabel('Current password').fill('not-my-password');
  await own.getByLabel('New password', { exact: true }).fill('second-password-e2e');
  await own.getByLabel('Repeat the new password').fill('second-password-e2e');
  await own.getByRole('button', { name: 'Change password' }).click();
  const form = own.getByRole('region', { name: 'Change password' });
  await expect(form.getByRole('alert')).toContainText('The current password is not correct.');

  await own.getByLabel('Current password').fill(user.password);
  await own.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toContainText('Password changed');
  await screenshot(own, 'account');
  // This session goes on (a fresh load still has it); back in after signing out needs the
  // new password.
  await own.reload();
  await expect(own.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await own.getByRole('button', { name: 'Sign out' }).click();
  await expect(own).toHaveURL(/\/sign-in$/);
  await own.goto(`${stackUrls().web}/sign-in`);
  await own.getByLabel('Email').fill(user.email);
  await own.getByLabel('Password').fill(user.password);
  await own.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    own.getByRole('alert').filter({ hasText: /invalid email or password/i }),
  ).toBeVisible();
  await signIn(own, { email: user.email, password: 'second-password-e2e' });
  await context.close();
});

test('an admin resets a password: the user is signed out and signs in with the new one', async ({
  page,
  browser,
}) => {
  const user = { email: 'forgetful@e2e.test', password: 'forgotten-password-e2e' };
  await signIn(page);
  await createUser(page, user.email, user.password);
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await signIn(theirs, user);

  await page.goto(`${stackUrls().web}/users`);
  const row = page.locator(`tr[data-user="${user.email}"]`);
  await row.getByRole('button', { name: 'Reset password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset password' });
  await expect(dialog).toContainText(user.email);
  await dialog.getByLabel('New password').fill('reset-password-e2e');
  await dialog.getByRole('button', { name: 'Set password' }).click();
  await expect(dialog.getByRole('status')).toContainText('signed out everywhere');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // Their open dashboard finds the session gone at its next call (the counts poll).
  await expect(theirs).toHaveURL(/\/sign-in\?next=%2Fchallenges$/);
  await signIn(theirs, { email: user.email, password: 'reset-password-e2e' });
  await context.close();
});
