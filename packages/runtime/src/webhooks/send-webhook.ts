import type { DueWebhookDelivery } from '@challenges/db';
import { Agent, fetch } from 'undici';
import { RewardDeliveryError, raiseForStatus } from '../rewards/reward-provider.ts';
import { describe, webhookSignature } from '../rewards/webhook-provider.ts';
import { checkWebhookUrl, guardedLookup, type WebhookAddressPolicy } from './ssrf-guard.ts';

export interface WebhookSender {
  /** One signed POST; throws RewardDeliveryError (permanent or not) when it did not land. */
  send(delivery: DueWebhookDelivery, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * Sends a delivery the way the `webhook` reward provider sends a grant (same X-Signature and
 * Idempotency-Key headers, same status rules), behind the SSRF guard: the URL's addresses are
 * checked before the request and again by the socket's own lookup; redirects are refused (a
 * 3xx is a permanent failure), so a receiver cannot bounce the request to an internal address.
 */
export function createWebhookSender(policy: WebhookAddressPolicy): WebhookSender {
  const agent = new Agent({ connect: { lookup: guardedLookup(policy) } });
  return {
    async send(delivery, signal) {
      const refused = await checkWebhookUrl(delivery.url, policy);
      if (refused) throw new RewardDeliveryError(`refused: ${refused}`, true);
      const body = JSON.stringify({ idempotencyKey: delivery.idempotencyKey, ...delivery.payload });
      let response: Awaited<ReturnType<typeof fetch>>;
      try {
        response = await fetch(delivery.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': webhookSignature(body, delivery.secret),
            'idempotency-key': delivery.idempotencyKey,
            'x-webhook-event': delivery.eventType,
          },
          body,
          signal,
          redirect: 'manual',
          dispatcher: agent,
        });
      } catch (error) {
        throw new RewardDeliveryError(`webhook unreachable: ${describe(error)}`, false);
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new RewardDeliveryError(
          `webhook answered ${response.status}: redirects are refused`,
          true,
        );
      }
      await raiseForStatus('webhook', response as unknown as Response);
      await response.body?.cancel();
    },
    close: () => agent.close(),
  };
}
