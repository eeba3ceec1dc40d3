import { randomBytes } from 'node:crypto';
import { CoreError, type TWebhookInput } from '@challenges/core';
import type { Webhook, WebhookDeliveryStatus, WebhookRepository } from '@challenges/db';
import {
  checkWebhookUrl,
  type WebhookAddressPolicy,
  type WebhookSubscriptions,
} from '@challenges/runtime';

/** Outbound webhooks (docs/webhooks.md): what the dashboard edits, and the claim's gate. */
export interface WebhookAdmin {
  repository: WebhookRepository;
  subscriptions: WebhookSubscriptions;
  policy: WebhookAddressPolicy;
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** Refuses a URL the worker would never be allowed to call (SSRF guard), with the reason. */
async function checkUrl(admin: WebhookAdmin, url: string): Promise<void> {
  const refused = await checkWebhookUrl(url, admin.policy);
  if (refused) throw new CoreError('INVALID_ARGUMENT', `This URL is not allowed: ${refused}`);
}

export async function createWebhook(
  admin: WebhookAdmin,
  input: TWebhookInput,
): Promise<{ webhook: Webhook; secret: string }> {
  await checkUrl(admin, input.url);
  const secret = newSecret();
  const webhook = await admin.repository.create({ ...input, secret });
  await admin.subscriptions.invalidate();
  return { webhook, secret };
}

export async function updateWebhook(
  admin: WebhookAdmin,
  input: TWebhookInput & { id: string },
): Promise<Webhook> {
  await checkUrl(admin, input.url);
  const webhook = await admin.repository.update(input.id, input);
  if (!webhook) throw new CoreError('NOT_FOUND', `no webhook ${input.id}`);
  await admin.subscriptions.invalidate();
  return webhook;
}

export async function deleteWebhook(admin: WebhookAdmin, id: string): Promise<void> {
  if (!(await admin.repository.remove(id))) throw new CoreError('NOT_FOUND', `no webhook ${id}`);
  await admin.subscriptions.invalidate();
}

/** A new signing secret, shown once. */
export async function rotateWebhookSecret(admin: WebhookAdmin, id: string): Promise<string> {
  const secret = newSecret();
  if (!(await admin.repository.setSecret(id, secret))) {
    throw new CoreError('NOT_FOUND', `no webhook ${id}`);
  }
  return secret;
}

export function listWebhookDeliveries(
  admin: WebhookAdmin,
  input: { webhookId?: string; status?: WebhookDeliveryStatus; limit: number },
) {
  return admin.repository.deliveries(input);
}

export function retryWebhookDeliveries(admin: WebhookAdmin, ids: readonly string[], at: Date) {
  return admin.repository.retry({ ids, at });
}
