import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import { type RawGrpcClient, rawGrpcClient } from '../testing/raw-grpc.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 2;
// Field 1 with wire type 7 (none exists); a length-delimited field 2 claiming 100 absent bytes;
// a varint that never ends.
const NOT_PROTOBUF = [
  Uint8Array.of(0x0f),
  Uint8Array.of(0x12, 0x64, 0x41),
  Uint8Array.of(0x08, ...Array(11).fill(0xff)),
];

describe('request bytes that are not protobuf (found by the gRPC fuzz)', () => {
  let t: TestApi;
  let prefix: string;
  let player: RawGrpcClient;
  let events: RawGrpcClient;

  beforeAll(async () => {
    prefix = `malformed-${randomUUID()}`;
    t = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_PARTITIONS: String(PARTITIONS) });
    player = rawGrpcClient(t.grpcAddress);
    events = rawGrpcClient(`127.0.0.1:${t.api.eventsGrpcPort}`);
  });
  afterAll(async () => {
    player?.close();
    events?.close();
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
    await t?.close();
  });

  it('player port: UNAUTHENTICATED without credentials, INVALID_ARGUMENT with them, never INTERNAL', async () => {
    for (const bytes of NOT_PROTOBUF) {
      for (const method of ['SetGoalActive', 'ClaimGoalReward', 'InitializePlayer']) {
        const path = `/service.Service/${method}`;
        expect((await player.call(path, bytes)).code, method).toBe(status.UNAUTHENTICATED);
        const answer = await player.call(path, bytes, { 'x-mock-user-id': 'raw-bytes' });
        expect(answer.code, method).toBe(status.INVALID_ARGUMENT);
        expect(answer.details).toMatch(/not a valid protobuf message/);
      }
    }
    expect(await t.api.ctx.progress.listByUser('raw-bytes')).toEqual([]);
  });

  it('player port: grpc.health.v1 answers INVALID_ARGUMENT too, and still SERVING to a real probe', async () => {
    // protobufjs (the health service's decoder) reads the endless varint as some string: a
    // decodable request for an unknown service, NOT_FOUND. The other two no decoder accepts.
    for (const bytes of NOT_PROTOBUF.slice(0, 2)) {
      const answer = await player.call('/grpc.health.v1.Health/Check', bytes);
      expect(answer.code, `${[...bytes]}: ${answer.details}`).toBe(status.INVALID_ARGUMENT);
    }
    // An empty message is a valid HealthCheckRequest for the whole server.
    expect((await player.call('/grpc.health.v1.Health/Check', new Uint8Array())).code).toBe(
      status.OK,
    );
  });

  it('event port: UNAUTHENTICATED without a key, INVALID_ARGUMENT with one, nothing queued', async () => {
    const services = [
      '/accelbyte.social.statistic.v1.StatisticStatItemUpdatedService/OnMessage',
      '/accelbyte.iam.account.v1.UserAuthenticationUserLoggedInService/OnMessage',
    ];
    for (const bytes of NOT_PROTOBUF) {
      for (const path of services) {
        expect((await events.call(path, bytes)).code, path).toBe(status.UNAUTHENTICATED);
        const answer = await events.call(path, bytes, { 'x-api-key': TEST_INGEST_KEY });
        expect(answer.code, path).toBe(status.INVALID_ARGUMENT);
      }
    }
    expect(await queuedJobs(REDIS_URL, prefix, PARTITIONS)).toEqual([]);
  });
});
