import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceService } from '../gen/service/service.js';
import { FUZZ_TIMEOUT_MS, hostileText, notProtobuf, runFuzz } from '../testing/fuzz.ts';
import {
  playerToken,
  refusedPlayerCredentials,
  TEST_JWT_SECRET,
} from '../testing/player-tokens.ts';
import { type RawGrpcClient, rawGrpcClient } from '../testing/raw-grpc.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

/**
 * The player gRPC port under generated hostile calls (docs/security-testing.md): raw bytes that
 * are not protobuf, messages with broken fields, refused credentials, unknown methods.
 */

const KNOWN_IDS = new Set(['season', 'daily', 'pool', 'tutorial', 'kill-10', 'pool-1']);
type MethodName = keyof typeof ServiceService;
const path = (m: MethodName) => ServiceService[m].path;
const encode = (m: MethodName, message: unknown) =>
  (ServiceService[m].requestSerialize as (v: unknown) => Buffer)(message);

const AUTHENTICATED: MethodName[] = [
  'getUserChallenges',
  'initializePlayer',
  'setGoalActive',
  'claimGoalReward',
  'batchSelectGoals',
  'randomSelectGoals',
  'getRotationStatus',
];

/** Valid requests naming real ids: only refused credentials may carry these. */
const VALID: Record<MethodName, unknown> = {
  getUserChallenges: { activeOnly: true },
  initializePlayer: {},
  setGoalActive: { challengeId: 'season', goalId: 'kill-10', isActive: true },
  claimGoalReward: { challengeId: 'season', goalId: 'kill-10' },
  batchSelectGoals: { challengeId: 'pool', goalIds: ['pool-1'], replaceExisting: false },
  randomSelectGoals: {
    challengeId: 'pool',
    count: 1,
    replaceExisting: false,
    excludeActive: false,
  },
  getRotationStatus: { challengeId: 'daily' },
  healthCheck: {},
  watchChallenges: {},
};

interface Probe {
  inputClass: string;
  path: string;
  bytes: Uint8Array;
  metadata: Record<string, string>;
  allowed: number[];
}

// An id that is empty or longer than 128 characters (zod counts code points, so 65 emoji are
// 65) makes the request invalid (3); an unknown one of a valid length names nothing (5).
const badId = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 129, max: 2000 }).map((n) => 'x'.repeat(n)),
  hostileText({ maxLength: 20 }).map((s) => `${s}${'\ud83c\udfae'.repeat(129)}`),
);
const unknownId = hostileText({ maxLength: 100 }).filter(
  (s) => s !== '' && [...s].length <= 128 && !KNOWN_IDS.has(s),
);
const isBad = (id: string) => id === '' || [...id].length > 128;

function probes(valid: Record<string, string>, refused: fc.Arbitrary<Record<string, string>>) {
  // 16: no valid player token, whatever the bytes (credentials are checked before the message).
  const refusedCredentials = fc
    .record({
      method: fc.constantFrom(...AUTHENTICATED),
      metadata: refused,
      junk: fc.boolean(),
      bytes: notProtobuf,
    })
    .map(
      ({ method, metadata, junk, bytes }): Probe => ({
        inputClass: 'refused credentials',
        path: path(method),
        bytes: junk ? bytes : encode(method, VALID[method]),
        metadata,
        allowed: [status.UNAUTHENTICATED],
      }),
    );

  // 3: bytes that do not decode.
  const malformed = fc
    .record({ method: fc.constantFrom(...AUTHENTICATED), bytes: notProtobuf })
    .map(
      ({ method, bytes }): Probe => ({
        inputClass: 'not protobuf',
        path: path(method),
        bytes,
        metadata: valid,
        allowed: [status.INVALID_ARGUMENT],
      }),
    );

  // Any bytes: they may decode by chance. Listing is read-only (0 or 3); every other method's
  // decoded ids are empty, too long or unknown (3 or 5). InitializePlayer is left out: any
  // decodable request is a valid initialize.
  const randomBytes = fc
    .record({
      method: fc.constantFrom(...AUTHENTICATED.filter((m) => m !== 'initializePlayer')),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 512 }),
    })
    .map(
      ({ method, bytes }): Probe => ({
        inputClass: 'random bytes',
        path: path(method),
        bytes,
        metadata: valid,
        allowed:
          method === 'getUserChallenges'
            ? [status.OK, status.INVALID_ARGUMENT]
            : [status.INVALID_ARGUMENT, status.NOT_FOUND],
      }),
    );

  // Well-formed messages with hostile ids: 3 when one is empty or too long, else 5.
  const hostileFields = fc
    .record({
      method: fc.constantFrom<MethodName>(
        'setGoalActive',
        'claimGoalReward',
        'batchSelectGoals',
        'randomSelectGoals',
        'getRotationStatus',
      ),
      challengeId: fc.oneof(badId, unknownId),
      goalId: fc.oneof(badId, unknownId, fc.constant('kill-10')),
      goalIds: fc.array(fc.oneof(badId, unknownId), { maxLength: 5 }),
      count: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      flag: fc.boolean(),
    })
    .map(({ method, challengeId, goalId, goalIds, count, flag }): Probe => {
      const message = {
        challengeId,
        goalId,
        goalIds,
        count,
        isActive: flag,
        replaceExisting: flag,
        excludeActive: flag,
      };
      const ids = [challengeId];
      if (method === 'setGoalActive' || method === 'claimGoalReward') ids.push(goalId);
      if (method === 'batchSelectGoals') ids.push(...goalIds);
      // Selection also refuses an empty goal list and a count outside 1..1000 (3).
      const invalid =
        ids.some(isBad) ||
        (method === 'batchSelectGoals' && goalIds.length === 0) ||
        (method === 'randomSelectGoals' && (count < 1 || count > 1000));
      return {
        inputClass: invalid ? 'invalid field' : 'unknown id',
        path: path(method),
        bytes: encode(method, message),
        metadata: valid,
        allowed: invalid ? [status.INVALID_ARGUMENT] : [status.NOT_FOUND],
      };
    });

  // 12: a method the service does not have.
  const unknownMethod = fc
    .record({
      name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,40}$/),
      service: fc.constantFrom('service.Service', 'service.Admin', 'grpc.reflection.v1.Nothing'),
      bytes: fc.uint8Array({ maxLength: 64 }),
    })
    .filter(
      ({ name, service }) =>
        !Object.values(ServiceService).some((m) => m.path === `/${service}/${name}`),
    )
    .map(
      ({ name, service, bytes }): Probe => ({
        inputClass: 'unknown method',
        path: `/${service}/${name}`,
        bytes,
        metadata: valid,
        allowed: [status.UNIMPLEMENTED],
      }),
    );

  // 0: the health check is public and reads nothing from its request.
  const health = fc.uint8Array({ maxLength: 128 }).map(
    (bytes): Probe => ({
      inputClass: 'health check with junk',
      path: path('healthCheck'),
      bytes,
      metadata: {},
      allowed: [status.OK],
    }),
  );

  // grpc.health.v1 (a library's handlers behind our decoding): 3 for bytes that do not decode;
  // random bytes that do name a service: 0 for one it knows ('' or service.Service), else 5.
  const standardHealth = fc.oneof(notProtobuf, fc.uint8Array({ maxLength: 128 })).map(
    (bytes): Probe => ({
      inputClass: 'grpc.health.v1 with junk',
      path: '/grpc.health.v1.Health/Check',
      bytes,
      metadata: {},
      allowed: [status.OK, status.INVALID_ARGUMENT, status.NOT_FOUND],
    }),
  );

  return fc.oneof(
    { weight: 1, arbitrary: standardHealth },
    { weight: 3, arbitrary: refusedCredentials },
    { weight: 3, arbitrary: malformed },
    { weight: 3, arbitrary: randomBytes },
    { weight: 4, arbitrary: hostileFields },
    { weight: 1, arbitrary: unknownMethod },
    { weight: 1, arbitrary: health },
  );
}

describe('player gRPC fuzz: hostile calls get 3, 5, 12 or 16 and change nothing', () => {
  let t: TestApi;
  let client: RawGrpcClient;
  let valid: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApi({
      AUTH_MODE: 'jwt',
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_PER_MIN: '100000000',
    });
    client = rawGrpcClient(t.grpcAddress);
    valid = { authorization: `Bearer ${await playerToken('fuzz-player')}` };
    const init = await client.call(path('initializePlayer'), encode('initializePlayer', {}), valid);
    expect(init.code).toBe(status.OK);
  });
  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it(
    'answers every generated call with its class’s status, stays up, writes no row',
    async () => {
      await runFuzz({
        edge: 'player gRPC',
        databaseUrl: t.databaseUrl,
        probes: probes(valid, await refusedPlayerCredentials()),
        answer: async (probe, check) =>
          check((await client.call(probe.path, probe.bytes, probe.metadata)).code),
      });
      const health = await client.call(path('healthCheck'), encode('healthCheck', {}));
      expect(health.code).toBe(status.OK);
      const list = await client.call(
        path('getUserChallenges'),
        encode('getUserChallenges', {}),
        valid,
      );
      expect(list.code).toBe(status.OK);
    },
    FUZZ_TIMEOUT_MS,
  );
});
