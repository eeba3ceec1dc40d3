import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { independentClient } from './grpc/testing/independent-client.ts';
import { eventClients } from './testing/event-clients.ts';
import { startTestApi, type TestApi } from './testing/test-api.ts';
import { startToggleProxy, type ToggleProxy } from './testing/toggle-proxy.ts';
import { signedIn } from './testing/trpc-client.ts';

// PostgreSQL "goes down" behind a proxy of our own; the shared server keeps serving other files.
describe('a database outage', () => {
  let proxy: ToggleProxy;
  let t: TestApi;
  let cookie: string;
  let unverifiedKey: string;

  beforeAll(async () => {
    proxy = await startToggleProxy({ host: '127.0.0.1', port: 5432 });
    t = await startTestApi(
      { ADMIN_EMAIL: 'outage@example.com', ADMIN_PASSWORD: 'outage-password' },
      { databaseVia: (url) => proxy.url(url) },
    );
    const admin = await signedIn(t, 'outage@example.com', 'outage-password');
    cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    // Created but never used, so no verifier cache knows it: checking it needs the database.
    unverifiedKey = (await admin.client.apiKey.create.mutate({ name: 'outage' })).key;
  });
  afterAll(async () => {
    proxy?.up();
    await t?.close();
    await proxy?.close();
  });

  const trpcQuery = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(t.url(`/trpc/${path}`), { headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers 503 / UNAVAILABLE on every edge, /healthz names only what is down, then recovers', async () => {
    expect((await t.call('GET', '/healthz')).status).toBe(200);
    proxy.down();

    for (const path of ['/healthz', '/challenge/healthz']) {
      const health = await t.call('GET', path);
      expect(health.status).toBe(503);
      // No driver message, host or port: anyone may call /healthz.
      expect(health.body).toEqual({
        status: 'unhealthy',
        checks: { database: 'unavailable', redis: 'ok' },
      });
    }

    const rest = await t.call('GET', '/challenge/v1/challenges', { user: 'outage-player' });
    expect(rest.status).toBe(503);
    expect(rest.body).toMatchObject({ code: 14, errorCode: 'UNAVAILABLE' });

    for (const [path, headers] of [
      ['apiKey.list', { cookie }],
      ['me.list', { 'x-mock-user-id': 'outage-player' }],
    ] as const) {
      const trpc = await trpcQuery(path, headers);
      expect(trpc.status, path).toBe(503);
      expect(trpc.body.error.data, path).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        httpStatus: 503,
        errorCode: 'UNAVAILABLE',
      });
    }

    const player = independentClient(t.grpcAddress);
    const events = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, unverifiedKey);
    try {
      expect(await player.call('GetUserChallenges', {}, { user: 'outage-player' })).toMatchObject({
        ok: false,
        code: status.UNAVAILABLE,
        errorCode: 'UNAVAILABLE',
      });
      // A dashboard key that cannot be checked now: retry later (14), not "bad key" (16).
      await expect(
        events.login({ id: 'outage-login', namespace: 'test', userId: 'outage-player' }),
      ).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      player.close();
      events.close();
    }

    proxy.up();
    await vi.waitFor(
      async () => expect((await t.call('GET', '/challenge/healthz')).status).toBe(200),
      { timeout: 15_000, interval: 100 },
    );
    expect(
      (await t.call('GET', '/challenge/v1/challenges', { user: 'outage-player' })).status,
    ).toBe(200);
    expect((await trpcQuery('apiKey.list', { cookie })).status).toBe(200);
  });
});
