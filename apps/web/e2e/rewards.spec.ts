import { expect, test } from '@playwright/test';
import { claimTutorial, E2E_ADMIN, rewardControlUrl, screenshot, signIn } from './helpers';

interface ReceivedGrants {
  effective: Record<string, number>;
  requests: { key: string; signatureValid: boolean }[];
}

test('a failed grant shows on the Rewards page and a retry from there delivers it', async ({
  page,
  request,
}) => {
  const userId = `e2e-reward-${Date.now()}`;
  const control = rewardControlUrl();
  const received = async () =>
    (await (await request.get(`${control}/grants`)).json()) as ReceivedGrants;
  const keysOf = (grants: ReceivedGrants) =>
    grants.requests.filter((r) => r.key.startsWith(`${userId}:`));
  // The stack's webhook refuses (422, permanent) until told otherwise: the claim's inline
  // delivery fails the grant at once instead of leaving it to the worker's backoff.
  expect((await request.post(`${control}/refuse`)).status()).toBe(200);

  await claimTutorial(request, userId);
  const refused = keysOf(await received());
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(refused.every((r) => r.signatureValid)).toBe(true);
  expect(
    Object.keys((await received()).effective).filter((k) => k.startsWith(`${userId}:`)),
  ).toEqual([]);

  await signIn(page);
  await page.getByRole('link', { name: 'Rewards' }).click();
  await expect(page.getByRole('heading', { name: 'Rewards', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('failed');
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Filter' }).click();
  const row = page.getByRole('row').filter({ hasText: userId });
  await expect(row).toHaveCount(1);
  await expect(row.getByText('failed', { exact: true })).toBeVisible();
  await expect(row).toContainText('tutorial');
  await expect(row).toContainText('422');
  await screenshot(page, 'rewards');

  // The audit trail says who failed it and why; Escape closes the native dialog.
  await row.getByRole('button', { name: /Details of grant/ }).click();
  const details = page.getByRole('dialog');
  await expect(details.getByRole('list', { name: 'Audit trail' })).toContainText('422');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  // The game backend is fixed; the dead letter is retried from the page.
  expect((await request.post(`${control}/accept`)).status()).toBe(200);
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Retry selected (1)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'queued for delivery' })).toBeVisible();
  // A retried grant leaves the dead letters; the worker's next scan delivers it.
  await expect(row).toHaveCount(0);
  await page.getByLabel('Status').selectOption('any');
  await expect(row.getByText('granted', { exact: true })).toBeVisible();
  await expect(row.getByRole('checkbox')).toBeDisabled();

  await row.getByRole('button', { name: /Details of grant/ }).click();
  const trail = details.getByRole('list', { name: 'Audit trail' });
  await expect(trail).toContainText(`by ${E2E_ADMIN.email}`);
  await expect(trail.getByRole('listitem').last()).toContainText('granted');
  await details.getByRole('button', { name: 'Close' }).click();

  // Exactly one effective grant for the claim, every delivery signed.
  const after = await received();
  const effective = Object.entries(after.effective).filter(([k]) => k.startsWith(`${userId}:`));
  expect(effective).toHaveLength(1);
  expect(effective[0]![1]).toBe(1);
  expect(keysOf(after).every((r) => r.signatureValid)).toBe(true);
});
