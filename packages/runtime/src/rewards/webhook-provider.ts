import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type GrantRecord,
  RewardDeliveryError,
  type RewardProvider,
  raiseForStatus,
  rewardPayload,
} from './reward-provider.ts';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the value of the X-Signature header. */
export function webhookSignature(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** What a receiver does with X-Signature: recompute over the raw bytes, compare in constant time. */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(webhookSignature(rawBody, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * POSTs each grant to the game backend, signed, with the idempotency key as a header: the
 * receiver dedupes by that key, which makes a retry after a lost answer harmless.
 */
export function webhookRewardProvider(options: { url: string; secret: string }): RewardProvider {
  return {
    name: 'webhook',
    async grant(record: GrantRecord, signal: AbortSignal) {
      const body = JSON.stringify(rewardPayload(record));
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': webhookSignature(body, options.secret),
            'idempotency-key': record.idempotencyKey,
          },
          body,
          signal,
        });
      } catch (error) {
        throw new RewardDeliveryError(`webhook unreachable: ${describe(error)}`, false);
      }
      await raiseForStatus('webhook', response);
      await response.body?.cancel();
    },
  };
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
