import { describe, expect, it } from 'vitest';
import { type RewardDeliveryError, raiseForStatus } from './reward-provider.ts';
import { verifyWebhookSignature, webhookSignature } from './webhook-provider.ts';

async function classify(status: number): Promise<'ok' | 'retry' | 'permanent'> {
  try {
    await raiseForStatus('webhook', new Response(status === 204 ? null : 'body', { status }));
    return 'ok';
  } catch (error) {
    return (error as RewardDeliveryError).permanent ? 'permanent' : 'retry';
  }
}

describe('raiseForStatus', () => {
  it('2xx grants; 408, 429 and 5xx retry; any other 4xx is permanent', async () => {
    const statuses = [200, 204, 400, 401, 404, 408, 409, 422, 429, 500, 502, 503];
    const outcomes = await Promise.all(statuses.map(classify));
    expect(Object.fromEntries(statuses.map((s, i) => [s, outcomes[i]]))).toEqual({
      200: 'ok',
      204: 'ok',
      400: 'permanent',
      401: 'permanent',
      404: 'permanent',
      408: 'retry',
      409: 'permanent',
      422: 'permanent',
      429: 'retry',
      500: 'retry',
      502: 'retry',
      503: 'retry',
    });
  });
});

describe('webhook signature', () => {
  it('is sha256=<hex HMAC> of the raw body and verifies only with the same secret and body', () => {
    const body = '{"idempotencyKey":"k"}';
    const header = webhookSignature(body, 'secret');
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, header, 'secret')).toBe(true);
    expect(verifyWebhookSignature(body, header, 'other')).toBe(false);
    expect(verifyWebhookSignature(`${body} `, header, 'secret')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, 'secret')).toBe(false);
  });
});
