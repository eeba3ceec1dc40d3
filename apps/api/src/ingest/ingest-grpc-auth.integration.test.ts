import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventClients, obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 2;
const ENV_KEY = 'grpc-env-key';

const stat = (id: string) => ({
  id,
  namespace: 'test',
  userId: 'alice',
  payload: { statCode: 'kills', latestValue: 1, inc: 1 },
});

/** The counter of refused keys, read back from the api's own /metrics. */
async function unauthenticatedCount(t: TestApi): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${t.api.metricsPort}/metrics`)).text();
  const line = /^challenge_ingest_errors_total\{kind="unauthenticated"\} (\d+)/m.exec(text);
  return Number(line?.[1] ?? Number.NaN);
}

describe('event gRPC ingest needs an ingest key (EVENTS_GRPC_AUTH=key, the default)', () => {
  let t: TestApi;
  let prefix: string;
  let admin: TrpcTestClient;
  const opened: ReturnType<typeof eventClients>[] = [];
  const clients = (key?: string) => {
    const c = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, key);
    opened.push(c);
    return c;
  };
  const queuedIds = async () =>
    (await queuedJobs(REDIS_URL, prefix, PARTITIONS)).flatMap((j) =>
      j.data.events.map((e) => e.id),
    );

  beforeAll(async () => {
    prefix = `ingest-grpc-auth-${randomUUID()}`;
    t = await startTestApi({
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: String(PARTITIONS),
      INGEST_API_KEYS: `other-key,${ENV_KEY}`,
      ADMIN_EMAIL: 'keys@example.com',
      ADMIN_PASSWORD: 'keys-password',
    });
    admin = (await signedIn(t, 'keys@example.com', 'keys-password')).client;
  });
  afterEach(async () => {
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
  });
  afterAll(async () => {
    for (const c of opened) c.close();
    await t?.close();
  });

  it('answers UNAUTHENTICATED without a key or with a wrong one, queues nothing, counts it', async () => {
    const before = await unauthenticatedCount(t);
    for (const key of [undefined, '', 'wrong', `${ENV_KEY}x`, 'chk_not-a-dashboard-key']) {
      const c = clients(key);
      await expect(c.stat(stat(`refused-${key}`)), String(key)).rejects.toMatchObject({
        code: status.UNAUTHENTICATED,
      });
      await expect(
        c.login({ id: 'refused-login', namespace: 'test', userId: 'alice' }),
      ).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    }
    // Checked before the message is looked at: an invalid event still gets 16, not 3.
    await expect(clients().stat({ id: 'x', namespace: 'test', userId: '' })).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    expect(await queuedIds()).toEqual([]);
    expect(await unauthenticatedCount(t)).toBe(before + 11);
  });

  it('queues events sent with an INGEST_API_KEYS key', async () => {
    const c = clients(ENV_KEY);
    await c.stat(stat('with-env-key'));
    await c.login({ id: 'login-env-key', namespace: 'test', userId: 'bob' });
    expect((await queuedIds()).sort()).toEqual(['login-env-key', 'with-env-key']);
  });

  it('accepts a key created in the dashboard until it is revoked', async () => {
    const { apiKey, key } = await admin.apiKey.create.mutate({ name: 'gRPC game server' });
    await clients(key).stat(stat('with-dashboard-key'));
    expect(await queuedIds()).toEqual(['with-dashboard-key']);

    await admin.apiKey.revoke.mutate({ id: apiKey.id });
    await expect(clients(key).stat(stat('after-revoke'))).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    expect(await queuedIds()).toEqual(['with-dashboard-key']);
  });
});

describe('EVENTS_GRPC_AUTH=none on EVENTS_GRPC_HOST', () => {
  let t: TestApi;
  let prefix: string;

  beforeAll(async () => {
    prefix = `ingest-grpc-none-${randomUUID()}`;
    t = await startTestApi({
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: String(PARTITIONS),
      EVENTS_GRPC_AUTH: 'none',
      // Another loopback address than HTTP_HOST (127.0.0.1): the listener binds only there.
      EVENTS_GRPC_HOST: '127.0.0.2',
    });
  });
  afterAll(async () => {
    await t?.close();
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
  });

  it('accepts events without a key, on the configured address only', async () => {
    const c = eventClients(`127.0.0.2:${t.api.eventsGrpcPort}`);
    try {
      await c.stat(stat('no-key-needed'));
    } finally {
      c.close();
    }
    const queued = await queuedJobs(REDIS_URL, prefix, PARTITIONS);
    expect(queued.flatMap((j) => j.data.events.map((e) => e.id))).toEqual(['no-key-needed']);

    const elsewhere = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`);
    try {
      await expect(elsewhere.stat(stat('wrong-address'))).rejects.toMatchObject({
        code: status.UNAVAILABLE,
      });
    } finally {
      elsewhere.close();
    }
  });
});
