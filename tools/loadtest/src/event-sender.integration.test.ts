import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventClients,
  obliterateQueues,
  queuedJobs,
} from '../../../apps/api/src/testing/event-clients.ts';
import {
  startTestApi,
  TEST_INGEST_KEY,
  type TestApi,
} from '../../../apps/api/src/testing/test-api.ts';
import { createEventSender, type EventSender, GrpcCallError } from './event-sender.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 2;

// The runner's own gRPC framing against the real ingest (grpc-js server).
describe('the load generator’s event sender', () => {
  let t: TestApi;
  let sender: EventSender;
  const prefix = `lt-sender-${randomUUID()}`;

  beforeAll(async () => {
    t = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_PARTITIONS: String(PARTITIONS) });
    sender = createEventSender(`127.0.0.1:${t.api.eventsGrpcPort}`, 'test', TEST_INGEST_KEY);
  });
  afterAll(async () => {
    sender?.close();
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
    await t?.close();
  });

  it('delivers stat and login events that the ingest acks and queues as sent', async () => {
    const timestamp = '2026-01-01T00:00:00.000Z';
    await sender.stat({ id: 'st-1', userId: 'alice', timestamp, statCode: 'wins', value: 7 });
    await sender.login({ id: 'lg-1', userId: 'bob', timestamp });
    const events = (await queuedJobs(REDIS_URL, prefix, PARTITIONS)).flatMap((j) => j.data.events);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'stat', id: 'st-1', userId: 'alice', statCode: 'wins' }),
        expect.objectContaining({ type: 'login', id: 'lg-1', userId: 'bob' }),
      ]),
    );
    expect(events.find((e) => e.id === 'st-1')).toMatchObject({ value: 7, inc: 1, timestamp });
  });

  it('carries many concurrent calls on one session', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `many-${i}`);
    await Promise.all(
      ids.map((id, i) =>
        sender.stat({ id, userId: `u${i % 7}`, timestamp: '', statCode: 'wins', value: i }),
      ),
    );
    const queued = (await queuedJobs(REDIS_URL, prefix, PARTITIONS)).flatMap((j) =>
      j.data.events.map((e) => e.id),
    );
    expect(queued.filter((id) => id.startsWith('many-')).sort()).toEqual([...ids].sort());
  });

  it('rejects with the gRPC status the ingest answers', async () => {
    const refused = sender.login({ id: 'x', userId: '', timestamp: '' });
    await expect(refused).rejects.toBeInstanceOf(GrpcCallError);
    await expect(refused).rejects.toMatchObject({ code: 3 });
  });

  it('reads a refusal’s status and message as grpc-js’s own client reads them', async () => {
    const grpcJs = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, TEST_INGEST_KEY);
    try {
      const theirs = await grpcJs.login({ id: 'x', namespace: 'test', userId: '' }).catch((e) => e);
      const ours = await sender.login({ id: 'x', userId: '', timestamp: '' }).catch((e) => e);
      expect(theirs.details).toMatch(/\w/);
      expect({ code: ours.code, message: ours.message }).toEqual({
        code: theirs.code,
        message: theirs.details,
      });
    } finally {
      grpcJs.close();
    }
  });

  it('sends the ingest key: without it, or with a wrong one, the ingest answers 16', async () => {
    for (const key of [undefined, 'not-the-key']) {
      const keyless = createEventSender(`127.0.0.1:${t.api.eventsGrpcPort}`, 'test', key);
      try {
        await expect(
          keyless.login({ id: `nokey-${key}`, userId: 'u', timestamp: '' }),
        ).rejects.toMatchObject({ code: 16 });
      } finally {
        keyless.close();
      }
    }
  });

  it('rejects as unavailable when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = createEventSender(`127.0.0.1:${port}`, 'test');
    try {
      await expect(nowhere.login({ id: 'x', userId: 'u', timestamp: '' })).rejects.toMatchObject({
        code: 14,
      });
    } finally {
      nowhere.close();
    }
  });
});
