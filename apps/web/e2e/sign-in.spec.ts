import { expect, test } from '@playwright/test';
import { E2E_ADMIN, screenshot, signIn, stackUrls } from './helpers';

test('a signed-out visitor is sent to sign-in, a wrong password is refused, then signs in', async ({
  page,
}) => {
  await page.goto(`${stackUrls().web}/challenges`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fchallenges$/);
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: /invalid email or password/i }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fchallenges$/);
  await screenshot(page, 'sign-in');

  await signIn(page);
  await expect(page.getByRole('complementary').getByText(E2E_ADMIN.email)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(`${stackUrls().web}/players`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fplayers$/);
});
