import { expect, type Locator, type Page, test } from '@playwright/test';
import { claimTutorial, signIn, stackUrls, trpcMutation } from './helpers';

// Written for a phone (E2E_WIDTH=390); at 1280 px the same promises hold trivially.

/** Inside the window, left to right: nothing the test needs is cut off or scrolled away. */
async function expectWithinViewport(page: Page, target: Locator): Promise<void> {
  await expect(target).toBeVisible();
  const box = await target.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, 'element has a box').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

/** What a tap on that point hits is the element itself, not a column scrolled over it. */
async function expectTappable(target: Locator): Promise<void> {
  const hit = await target.evaluate((element) => {
    // Vertically only: scrollIntoView would also scroll the table sideways, hiding the very
    // clipping this checks for.
    const { top } = element.getBoundingClientRect();
    window.scrollBy(0, top - window.innerHeight / 2);
    const box = element.getBoundingClientRect();
    const hitElement = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hitElement !== null && (hitElement === element || element.contains(hitElement));
  });
  expect(hit).toBe(true);
}

test('every nav entry is on screen without scrolling the nav or the page sideways', async ({
  page,
}) => {
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of [
    'Challenges',
    'Players',
    'Live',
    'Load tests',
    'Rewards',
    'Users',
    'Account',
  ]) {
    const link = nav.getByRole('link', { name });
    await expectWithinViewport(page, link);
    await expectTappable(link);
  }
  await nav.getByRole('link', { name: 'Rewards' }).click();
  await expect(page.getByRole('heading', { name: 'Rewards', level: 1 })).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a player's goal actions and the users' actions stay on screen and tappable", async ({
  page,
  request,
}) => {
  const userId = `e2e-narrow-${Date.now()}`;
  const { api, web } = stackUrls();
  const init = await request.post(`${api}/challenge/v1/challenges/initialize`, {
    headers: { 'x-mock-user-id': userId },
  });
  expect(init.status()).toBe(200);

  await signIn(page);
  await page.goto(`${web}/players?user=${encodeURIComponent(userId)}`);
  const row = page.locator('tr[data-goal="daily-reset"]');
  const deactivate = row.getByRole('button', { name: 'Deactivate' });
  await expectWithinViewport(page, deactivate);
  await expectTappable(deactivate);
  await expectWithinViewport(page, row.getByRole('button', { name: 'Reset' }));
  await deactivate.click();
  await expect(row.getByText('inactive', { exact: true })).toBeVisible();

  const email = `narrow-${Date.now()}@e2e.test`;
  const created = await trpcMutation(page, 'user.create', {
    email,
    password: 'narrow-password-e2e',
    role: 'viewer',
  });
  expect(created.status()).toBe(200);
  await page.goto(`${web}/users`);
  const disable = page.locator(`tr[data-user="${email}"]`).getByRole('button', { name: 'Disable' });
  await expectWithinViewport(page, disable);
  await expectTappable(disable);
});

test("a grant's details button stays on screen beside the scrolled columns", async ({
  page,
  request,
}) => {
  const userId = `e2e-narrow-grant-${Date.now()}`;
  const { web } = stackUrls();
  await claimTutorial(request, userId);

  await signIn(page);
  await page.goto(`${web}/rewards?user=${encodeURIComponent(userId)}&status=any`);
  const details = page.getByRole('button', { name: /^Details of grant/ });
  await expectWithinViewport(page, details);
  await expectTappable(details);
  await details.click();
  await expect(page.getByRole('dialog')).toBeVisible();
});

test('the users table shows each e-mail in full beside the pinned actions', async ({ page }) => {
  const email = `narrow-long-address-${Date.now()}@e2e.test`;
  await signIn(page);
  const created = await trpcMutation(page, 'user.create', {
    email,
    password: 'narrow-password-e2e',
    role: 'viewer',
  });
  expect(created.status()).toBe(200);
  await page.goto(`${stackUrls().web}/users`);
  const cell = page.locator(`tr[data-user="${email}"] td`).first();
  await expect(cell).toContainText(email);
  // Every line of the address is on screen and on top: the end of each is what a tap there hits.
  const covered = await cell.evaluate((element) => {
    const { top } = element.getBoundingClientRect();
    window.scrollBy(0, top - window.innerHeight / 2);
    const range = document.createRange();
    range.selectNodeContents(element.firstChild as Node);
    return [...range.getClientRects()].filter((line) => {
      const hit = document.elementFromPoint(line.right - 1, line.top + line.height / 2);
      return line.right > window.innerWidth || hit === null || !element.contains(hit);
    }).length;
  });
  expect(covered).toBe(0);
  await expectWithinViewport(page, cell.getByText(email));
});
