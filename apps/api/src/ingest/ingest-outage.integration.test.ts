import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventClients, obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { startToggleProxy, type ToggleProxy } from '../testing/toggle-proxy.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 8;
const KEY = 'outage-key';

// Redis "goes down" behind a proxy of our own: the shared Redis keeps serving other test files.
describe('ingest while Redis is unavailable', () => {
  let proxy: ToggleProxy;
  let t: TestApi;
  let prefix: string;
  let clients: ReturnType<typeof eventClients>;

  beforeAll(async () => {
    proxy = await startToggleProxy({ host: '127.0.0.1', port: 6379 });
    prefix = `ingest-outage-${randomUUID()}`;
    t = await startTestApi({
      REDIS_URL: proxy.url(REDIS_URL),
      QUEUE_PREFIX: prefix,
      INGEST_API_KEYS: KEY,
    });
    clients = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, KEY);
  });
  afterAll(async () => {
    clients.close();
    await t.close();
    await proxy.close();
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
  });

  const stat = (id: string) =>
    clients.stat({
      id,
      namespace: 'test',
      userId: 'alice',
      payload: { statCode: 'kills', latestValue: 1, inc: 1 },
    });
  const postEvents = (ids: string[]) =>
    t.call('POST', '/challenge/v1/events', {
      body: {
        events: ids.map((id) => ({ id, type: 'stat', userId: 'bob', statCode: 'kills', value: 1 })),
      },
      headers: { 'x-api-key': KEY },
    });
  const queuedIds = async () =>
    (await queuedJobs(REDIS_URL, prefix, PARTITIONS))
      .flatMap((j) => j.data.events.map((e) => e.id))
      .sort();

  it('answers Unavailable / 503 quickly, acknowledges nothing, and recovers when Redis returns', async () => {
    await stat('before');
    expect(await queuedIds()).toEqual(['before']);

    proxy.down();
    const started = performance.now();
    await expect(stat('during-grpc')).rejects.toMatchObject({ code: status.UNAVAILABLE });
    const http = await postEvents(['during-http-1', 'during-http-2']);
    expect(http.status).toBe(503);
    expect(http.body).toMatchObject({ code: 14, errorCode: 'UNAVAILABLE' });
    // Fail fast: the producer does not queue commands offline while Redis is away.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await queuedIds()).toEqual(['before']);

    proxy.up();
    // The producer reconnects on its own; the platform's retry then succeeds.
    await vi.waitFor(() => stat('after'), { timeout: 15_000, interval: 100 });
    const retried = await postEvents(['during-http-1', 'during-http-2']);
    expect(retried.status).toBe(202);
    expect(await queuedIds()).toEqual(['after', 'before', 'during-http-1', 'during-http-2']);
  });
});

describe('an api stopped while Redis is unavailable', () => {
  it('stops within seconds: nothing of its close waits for Redis to come back', async () => {
    const proxy = await startToggleProxy({ host: '127.0.0.1', port: 6379 });
    try {
      const t = await startTestApi({
        REDIS_URL: proxy.url(REDIS_URL),
        QUEUE_PREFIX: `ingest-outage-stop-${randomUUID()}`,
        INGEST_API_KEYS: KEY,
      });
      proxy.down();
      // Its clients have seen the outage: the ingest refuses, the push reader's XREAD waits in
      // a client that reconnects on a timer (what an afterAll once hung 60 s on).
      const refused = await t.call('POST', '/challenge/v1/events', {
        body: { events: [{ id: 'x', type: 'stat', userId: 'carol', statCode: 'kills', value: 1 }] },
        headers: { 'x-api-key': KEY },
      });
      expect(refused.status).toBe(503);
      const started = performance.now();
      // Infinity: still closing after 20 s. The bound leaves room for a loaded CI box (here ≈ 0.3 s).
      const closedInMs = await Promise.race([
        t.close().then(() => performance.now() - started),
        new Promise<number>((resolve) => setTimeout(resolve, 20_000, Number.POSITIVE_INFINITY)),
      ]);
      expect(closedInMs).toBeLessThan(10_000);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
