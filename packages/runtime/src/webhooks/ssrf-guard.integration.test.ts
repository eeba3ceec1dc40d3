import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DueWebhookDelivery } from '@challenges/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RewardDeliveryError } from '../rewards/reward-provider.ts';
import { createWebhookSender } from './send-webhook.ts';
import { checkWebhookUrl, parseWebhookAllowList } from './ssrf-guard.ts';

const strict = parseWebhookAllowList(undefined);
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function delivery(url: string): DueWebhookDelivery {
  return {
    id: '1',
    webhookId: '1',
    eventType: 'goal.completed',
    idempotencyKey: 'goal.completed:p:g:-',
    payload: { type: 'goal.completed' },
    status: 'pending',
    attempts: 0,
    lastError: null,
    nextAttemptAt: new Date(),
    createdAt: new Date(),
    deliveredAt: null,
    url,
    secret: 's',
  };
}

describe('webhook SSRF guard', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://10.1.2.3/hook',
    'http://192.168.0.10/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00:ec2::254]/hook',
    'http://localhost/hook',
  ])('refuses %s', async (url) => {
    expect(await checkWebhookUrl(url, strict)).toMatch(/private, loopback, link-local/);
  });

  it('allows a public address, and a private one only when the allow-list names it', async () => {
    expect(await checkWebhookUrl('https://8.8.8.8/hook', strict)).toBeNull();
    const allowed = parseWebhookAllowList('127.0.0.1/32');
    expect(await checkWebhookUrl('http://127.0.0.1/hook', allowed)).toBeNull();
    expect(await checkWebhookUrl('http://10.0.0.1/hook', allowed)).not.toBeNull();
    expect(await checkWebhookUrl('http://10.0.0.1/hook', parseWebhookAllowList('1'))).toBeNull();
    expect(await checkWebhookUrl('ftp://example.com/x', strict)).toMatch(/http and https/);
  });

  it('never sends to a refused address: the local receiver is not reached', async () => {
    const sender = createWebhookSender(strict);
    for (const host of ['127.0.0.1', 'localhost']) {
      const error = await sender
        .send(delivery(`http://${host}:${port}/hook`), AbortSignal.timeout(2000))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RewardDeliveryError);
      expect((error as RewardDeliveryError).permanent).toBe(true);
    }
    expect(hits).toBe(0);
    await sender.close();
  });

  it('refuses redirects for good (no hop to an internal address)', async () => {
    const sender = createWebhookSender(parseWebhookAllowList('127.0.0.1/32'));
    await sender.send(delivery(`http://127.0.0.1:${port}/ok`), AbortSignal.timeout(2000));
    const error = await sender
      .send(delivery(`http://127.0.0.1:${port}/redirect`), AbortSignal.timeout(2000))
      .catch((e: unknown) => e);
    expect((error as RewardDeliveryError).message).toMatch(/redirects are refused/);
    expect((error as RewardDeliveryError).permanent).toBe(true);
    expect(hits).toBe(2);
    await sender.close();
  });
});
