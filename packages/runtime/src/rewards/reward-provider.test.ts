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
  // Known answers from the shell, not from the code under test:
  //   printf '%s' '{"idempotencyKey":"u1:g1:once"}' | openssl dgst -sha256 -hmac 'webhook-secret' -hex
  //   printf '%s' '{"idempotencyKey":"玩家:g1:once"}' | openssl dgst -sha256 -hmac 'webhook-secret' -hex
  it('matches HMAC-SHA256 computed by openssl, over the UTF-8 bytes of the body', () => {
    expect(webhookSignature('{"idempotencyKey":"u1:g1:once"}', 'webhook-secret')).toBe(
      'sha256=9c51f30534d5e23407451083e7f5a02b8d32d5080e63c6f6d31d64356af5fc2d',
    );
    const nonAscii = '{"idempotencyKey":"玩家:g1:once"}';
    const expected = 'sha256=aecc0974ae2dc248b2ed200cb5285fcba332e4a8a9289c05e0ac8f795d32bfa5';
    expect(webhookSignature(nonAscii, 'webhook-secret')).toBe(expected);
    expect(webhookSignature(Buffer.from(nonAscii, 'utf8'), 'webhook-secret')).toBe(expected);
    expect(verifyWebhookSignature(nonAscii, expected, 'webhook-secret')).toBe(true);
  });

  it('is sha256=<hex HMAC> of the raw body and verifies only with the same secret and body', () => {
    const body = '{"idempotencyKey":"k"}';
    const header = webhookSignature(body, 'secret');
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, header, 'secret')).toBe(true);
    expect(verifyWebhookSignature(body, header, 'other')).toBe(false);
    expect(verifyWebhookSignature(`${body} `, header, 'secret')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, 'secret')).toBe(false);
    // A header of another length is refused, not thrown on (timingSafeEqual would throw).
    expect(verifyWebhookSignature(body, 'sha256=abc', 'secret')).toBe(false);
    expect(verifyWebhookSignature(body, `${header}0`, 'secret')).toBe(false);
  });
});
