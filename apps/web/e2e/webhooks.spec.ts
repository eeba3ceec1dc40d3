import { expect, test } from '@playwright/test';
import { claimTutorial, rewardControlUrl, screenshot, signIn } from './helpers';

function receiverUrl(): string {
  const url = process.env.E2E_REWARD_WEBHOOK_URL;
  if (!url) throw new Error('the e2e stack is not running (global setup)');
  return url;
}

test('an admin adds a webhook, a claim that fails to deliver is a dead letter, a retry delivers it', async ({
  page,
  request,
}) => {
  const name = `crm-${Date.now()}`;
  const userId = `e2e-webhook-${Date.now()}`;
  const control = rewardControlUrl();
  // The stack's receiver refuses (422, permanent) until accepted: the delivery fails at once.
  expect((await request.post(`${control}/refuse`)).status()).toBe(200);

  await signIn(page);
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'New webhook' }).click();
  const form = page.getByRole('form', { name: 'Webhook' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('URL').fill('crm.example.com/hooks');
  await form.getByLabel('Goal claimed').check();
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(form.getByText('Enter a full URL')).toBeVisible();

  // The cloud metadata address is refused by the server, with the reason.
  await form.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data/');
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(form.getByRole('alert')).toContainText('private, loopback, link-local');

  await form.getByLabel('URL').fill(receiverUrl());
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(page.getByTestId('webhook-secret')).toContainText('whsec_');
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('goal.claimed');
  await expect(row.getByText('enabled', { exact: true })).toBeVisible();

  await claimTutorial(request, userId);
  const delivery = page.getByRole('row').filter({ hasText: `goal.claimed:${userId}:` });
  await expect(delivery.getByText('failed', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(delivery).toContainText('422');
  await screenshot(page, 'webhooks');

  expect((await request.post(`${control}/accept`)).status()).toBe(200);
  await page.getByRole('button', { name: /Retry failed/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'queued again' })).toBeVisible();
  await page.getByLabel('Status').selectOption('delivered');
  await expect(delivery.getByText('delivered', { exact: true })).toBeVisible({ timeout: 15_000 });

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  expect((await request.post(`${control}/refuse`)).status()).toBe(200);
});
