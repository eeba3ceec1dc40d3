import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { UserAuthenticationUserLoggedInServiceService } from '../gen/accelbyte/iam/account/v1/account.js';
import { StatisticStatItemUpdatedServiceService } from '../gen/accelbyte/social/statistic/v1/statistic.js';
import { eventClients, obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import { FUZZ_TIMEOUT_MS, headerText, hostileText, notProtobuf, runFuzz } from '../testing/fuzz.ts';
import { type RawGrpcClient, rawGrpcClient } from '../testing/raw-grpc.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';

/**
 * The event gRPC port (AccelByte OnMessage services) under generated hostile calls
 * (docs/security-testing.md): refused keys, bytes that are not protobuf, events with broken
 * fields, unknown methods. Nothing may be queued.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 2;
const STAT = StatisticStatItemUpdatedServiceService.onMessage;
const LOGIN = UserAuthenticationUserLoggedInServiceService.onMessage;
const encodeStat = (m: Parameters<typeof STAT.requestSerialize>[0]) => STAT.requestSerialize(m);
const encodeLogin = (m: Parameters<typeof LOGIN.requestSerialize>[0]) => LOGIN.requestSerialize(m);

interface Probe {
  inputClass: string;
  path: string;
  bytes: Uint8Array;
  metadata: Record<string, string>;
  allowed: number[];
}

const key = { 'x-api-key': TEST_INGEST_KEY };
// The ingest checks ids by UTF-16 length: empty or over 128 units is invalid.
const validId = hostileText({ maxLength: 60 }).filter((s) => s !== '' && s.length <= 128);
const badId = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 129, max: 3000 }).map((n) => 'u'.repeat(n)),
  fc.integer({ min: 65, max: 500 }).map((n) => '\ud83c\udfae'.repeat(n)),
);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const notFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
const anyText = hostileText({ maxLength: 100 });

/** A stat event with at least one defect: user id or stat code empty/too long, id too long, a value not finite. */
const brokenStat = fc
  .record({
    defect: fc.constantFrom('userId', 'statCode', 'id', 'latestValue', 'inc'),
    bad: badId.filter((s) => s !== ''),
    badOrEmpty: badId,
    notFinite,
    id: fc.oneof(fc.constant(''), validId),
    userId: validId,
    statCode: fc.oneof(validId, fc.constantFrom('kills', 'wins')),
    namespace: fc.oneof(fc.constant('test'), anyText),
    timestamp: anyText,
    latestValue: finite,
    inc: finite,
  })
  .map((r) =>
    encodeStat({
      id: r.defect === 'id' ? r.bad : r.id,
      namespace: r.namespace,
      timestamp: r.timestamp,
      userId: r.defect === 'userId' ? r.badOrEmpty : r.userId,
      payload: {
        statCode: r.defect === 'statCode' ? r.badOrEmpty : r.statCode,
        latestValue: r.defect === 'latestValue' ? r.notFinite : r.latestValue,
        inc: r.defect === 'inc' ? r.notFinite : r.inc,
      },
    }),
  );

const brokenLogin = fc
  .record({
    defect: fc.constantFrom('userId', 'id'),
    bad: badId.filter((s) => s !== ''),
    badOrEmpty: badId,
    id: validId,
    userId: validId,
    namespace: fc.oneof(fc.constant('test'), anyText),
    timestamp: anyText,
  })
  .map((r) =>
    encodeLogin({
      id: r.defect === 'id' ? r.bad : r.id,
      namespace: r.namespace,
      timestamp: r.timestamp,
      userId: r.defect === 'userId' ? r.badOrEmpty : r.userId,
    }),
  );

const validStat = fc
  .record({ id: validId, userId: validId, namespace: fc.constantFrom('test', 'other') })
  .map((r) =>
    encodeStat({ ...r, timestamp: '', payload: { statCode: 'kills', latestValue: 1, inc: 1 } }),
  );

const refusedKey = fc.oneof(
  fc.constant({}),
  fc.constant({ 'x-api-key': '' }),
  headerText().map((k) => ({ 'x-api-key': k })),
  fc.constant({ 'x-api-key': `${TEST_INGEST_KEY}x` }),
  fc.constant({ 'x-api-key': TEST_INGEST_KEY.toUpperCase() }),
  headerText({ maxLength: 40 }).map((k) => ({ 'x-api-key': `chk_${k}` })),
  fc.constant({ authorization: `Bearer ${TEST_INGEST_KEY}` }),
);

const probes = fc.oneof(
  // 16: no valid key, whatever the bytes (the key is checked before the message).
  fc
    .record({
      path: fc.constantFrom(STAT.path, LOGIN.path),
      metadata: refusedKey,
      bytes: fc.oneof(validStat, brokenStat, notProtobuf, fc.uint8Array({ maxLength: 256 })),
    })
    .map((p): Probe => ({ ...p, inputClass: 'refused key', allowed: [status.UNAUTHENTICATED] })),
  // 3: a valid key and bytes that do not decode.
  fc.record({ path: fc.constantFrom(STAT.path, LOGIN.path), bytes: notProtobuf }).map(
    (p): Probe => ({
      ...p,
      inputClass: 'not protobuf',
      metadata: key,
      allowed: [status.INVALID_ARGUMENT],
    }),
  ),
  // 3: a valid key and an event with a broken field.
  fc
    .oneof(
      brokenStat.map((bytes) => ({ path: STAT.path, bytes })),
      brokenLogin.map((bytes) => ({ path: LOGIN.path, bytes })),
    )
    .map(
      (p): Probe => ({
        ...p,
        inputClass: 'invalid event',
        metadata: key,
        allowed: [status.INVALID_ARGUMENT],
      }),
    ),
  // Random bytes with a valid key: refused (3), or by chance a well-formed event, which is
  // acknowledged (0) and skipped: its namespace, stat code or login goals match nothing here
  // (the queue check after the run holds either way).
  fc
    .record({
      path: fc.constantFrom(STAT.path, LOGIN.path),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 512 }),
    })
    .map(
      (p): Probe => ({
        ...p,
        inputClass: 'random bytes',
        metadata: key,
        allowed: [status.OK, status.INVALID_ARGUMENT],
      }),
    ),
  // 12: a method neither service has.
  fc
    .record({
      service: fc.constantFrom(
        'accelbyte.social.statistic.v1.StatisticStatItemUpdatedService',
        'accelbyte.iam.account.v1.UserAuthenticationUserLoggedInService',
        'service.Service',
      ),
      name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,30}$/).filter((n) => n !== 'OnMessage'),
      bytes: fc.uint8Array({ maxLength: 64 }),
    })
    .map(
      ({ service, name, bytes }): Probe => ({
        inputClass: 'unknown method',
        path: `/${service}/${name}`,
        bytes,
        metadata: key,
        allowed: [status.UNIMPLEMENTED],
      }),
    ),
);

describe('event gRPC fuzz: hostile calls get 3, 12 or 16 and queue nothing', () => {
  let t: TestApi;
  let prefix: string;
  let client: RawGrpcClient;

  beforeAll(async () => {
    prefix = `ingest-grpc-fuzz-${randomUUID()}`;
    t = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_PARTITIONS: String(PARTITIONS) });
    client = rawGrpcClient(`127.0.0.1:${t.api.eventsGrpcPort}`);
  });
  afterAll(async () => {
    client?.close();
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
    await t?.close();
  });

  it(
    'answers every generated call with its class’s status, stays up, queues and writes nothing',
    async () => {
      await runFuzz({
        edge: 'event gRPC',
        databaseUrl: t.databaseUrl,
        probes,
        answer: async (probe, check) =>
          check((await client.call(probe.path, probe.bytes, probe.metadata)).code),
        queued: () => queuedJobs(REDIS_URL, prefix, PARTITIONS),
      });
      // Still up: a real client's valid event is acknowledged.
      const clients = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, TEST_INGEST_KEY);
      try {
        await clients.login({ id: 'after', namespace: 'other', userId: 'u' });
      } finally {
        clients.close();
      }
    },
    FUZZ_TIMEOUT_MS,
  );
});
