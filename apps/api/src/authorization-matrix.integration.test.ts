import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAuthenticationUserLoggedInServiceService } from './gen/accelbyte/iam/account/v1/account.js';
import { StatisticStatItemUpdatedServiceService } from './gen/accelbyte/social/statistic/v1/statistic.js';
import { ServiceService } from './gen/service/service.js';
import { protoMethods } from './grpc/testing/proto-methods.ts';
import { obliterateQueues } from './testing/event-clients.ts';
import { playerToken, TEST_JWT_SECRET } from './testing/player-tokens.ts';
import { type RawGrpcClient, rawGrpcClient } from './testing/raw-grpc.ts';
import {
  startTestApi,
  TEST_DASHBOARD_ORIGIN,
  TEST_INGEST_KEY,
  type TestApi,
} from './testing/test-api.ts';
import { cookieHeader, signedIn } from './testing/trpc-client.ts';

/**
 * Who may call which REST route, player gRPC method and event port (the tRPC procedures have
 * their own matrix, trpc/authorization-matrix.integration.test.ts). Rows are checked against
 * the server's route table and the .proto files: a new entry point without a row fails.
 * AUTH_MODE=jwt, as in production.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const ADMIN_KEY = 'matrix-admin-api-key-0123456789abcdef';

type Principal = 'anonymous' | 'player' | 'ingestKey' | 'viewer' | 'editor' | 'admin' | 'adminKey';
const PRINCIPALS: Principal[] = [
  'anonymous',
  'player',
  'ingestKey',
  'viewer',
  'editor',
  'admin',
  'adminKey',
];
/** What a cell shows: the call passed authorization (any answer but a refusal or a 5xx), or the refusal. */
type Cell = 'allowed' | 401 | 403 | 'UNAUTHENTICATED';

type Who = Principal | 'others';
const only = (allowed: Who[], refusal: Cell, except: Partial<Record<Principal, Cell>> = {}) =>
  Object.fromEntries(
    PRINCIPALS.map((p) => [p, allowed.includes(p) ? 'allowed' : (except[p] ?? refusal)]),
  ) as Record<Principal, Cell>;
const everyone = only(PRINCIPALS, 401);

interface RestRow {
  path: string;
  body?: unknown;
  expected: Record<Principal, Cell>;
}

// Dashboard users send only their session cookie, so to the admin-key routes they are callers
// without credentials (401); a player's token or any bearer is credentials (403).
const adminKeyOnly = only(['adminKey'], 403, {
  anonymous: 401,
  ingestKey: 401,
  viewer: 401,
  editor: 401,
  admin: 401,
});
// Profiles: the admin key or an admin's session.
const adminProfiles = only(['adminKey', 'admin'], 403, { anonymous: 401, ingestKey: 401 });
const playerOnly = only(['player'], 401);

/** One row per `METHOD /url` of the REST server (tRPC's `/trpc/:path` has its own matrix). */
const REST: Record<string, RestRow> = {
  'GET /healthz': { path: '/healthz', expected: everyone },
  'GET /challenge/healthz': { path: '/challenge/healthz', expected: everyone },
  'GET /challenge/openapi.json': { path: '/challenge/openapi.json', expected: everyone },
  'GET /challenge/docs': { path: '/challenge/docs', expected: everyone },
  'POST /challenge/v1/events': {
    path: '/challenge/v1/events',
    body: { events: [{ id: 'matrix', type: 'login', userId: 'u', namespace: 'other-game' }] },
    expected: only(['ingestKey'], 401),
  },
  'PUT /challenge/v1/players/:id/attributes': {
    path: '/challenge/v1/players/matrix-player/attributes',
    body: { attributes: { country: 'DE' } },
    expected: only(['ingestKey'], 401),
  },
  'GET /challenge/v1/challenges': { path: '/challenge/v1/challenges', expected: playerOnly },
  'GET /challenge/v1/challenges/stream': {
    path: '/challenge/v1/challenges/stream',
    expected: playerOnly,
  },
  'POST /challenge/v1/challenges/initialize': {
    path: '/challenge/v1/challenges/initialize',
    expected: playerOnly,
  },
  'PUT /challenge/v1/challenges/:challengeId/goals/:goalId/active': {
    path: '/challenge/v1/challenges/season/goals/kill-10/active',
    body: { isActive: true },
    expected: playerOnly,
  },
  'POST /challenge/v1/challenges/:challengeId/goals/:goalId/claim': {
    path: '/challenge/v1/challenges/season/goals/kill-10/claim',
    expected: playerOnly,
  },
  'POST /challenge/v1/challenges/:challengeId/goals/batch-select': {
    path: '/challenge/v1/challenges/pool/goals/batch-select',
    body: { goalIds: ['pool-1'] },
    expected: playerOnly,
  },
  'POST /challenge/v1/challenges/:challengeId/goals/random-select': {
    path: '/challenge/v1/challenges/pool/goals/random-select',
    body: { count: 1 },
    expected: playerOnly,
  },
  'GET /challenge/v1/challenges/:challengeId/rotation': {
    path: '/challenge/v1/challenges/daily/rotation',
    expected: playerOnly,
  },
  'DELETE /challenge/v1/users/me/data': {
    path: '/challenge/v1/users/me/data',
    expected: playerOnly,
  },
  'GET /challenge/admin/v1/clock': { path: '/challenge/admin/v1/clock', expected: adminKeyOnly },
  'POST /challenge/admin/v1/clock': {
    path: '/challenge/admin/v1/clock',
    body: { offsetSeconds: 0 },
    expected: adminKeyOnly,
  },
  'POST /challenge/admin/v1/profile': {
    path: '/challenge/admin/v1/profile',
    body: { processId: 'api:nowhere:1', kind: 'cpu', seconds: 1 },
    expected: adminProfiles,
  },
  'GET /challenge/admin/v1/profiles/:id': {
    path: `/challenge/admin/v1/profiles/cpu-${randomUUID()}`,
    expected: adminProfiles,
  },
};

type GrpcRow = { path: string; message: Uint8Array; expected: Record<Principal, Cell> };
const encode = (m: keyof typeof ServiceService, value: unknown) =>
  (ServiceService[m].requestSerialize as (v: unknown) => Buffer)(value);
const playerGrpc = only(['player'], 'UNAUTHENTICATED');
const PLAYER_GRPC: Record<keyof typeof ServiceService, Omit<GrpcRow, 'path'>> = {
  getUserChallenges: { message: encode('getUserChallenges', {}), expected: playerGrpc },
  initializePlayer: { message: encode('initializePlayer', {}), expected: playerGrpc },
  setGoalActive: {
    message: encode('setGoalActive', { challengeId: 'season', goalId: 'kill-10', isActive: true }),
    expected: playerGrpc,
  },
  claimGoalReward: {
    message: encode('claimGoalReward', { challengeId: 'season', goalId: 'kill-10' }),
    expected: playerGrpc,
  },
  batchSelectGoals: {
    message: encode('batchSelectGoals', { challengeId: 'pool', goalIds: ['pool-1'] }),
    expected: playerGrpc,
  },
  randomSelectGoals: {
    message: encode('randomSelectGoals', { challengeId: 'pool', count: 1 }),
    expected: playerGrpc,
  },
  getRotationStatus: {
    message: encode('getRotationStatus', { challengeId: 'daily' }),
    expected: playerGrpc,
  },
  // A server stream: the cell is its first message (allowed) or its status.
  watchChallenges: { message: encode('watchChallenges', {}), expected: playerGrpc },
  // Probes call it without credentials, like GET /healthz.
  healthCheck: {
    message: encode('healthCheck', {}),
    expected: only(PRINCIPALS, 'UNAUTHENTICATED'),
  },
};
const ingestOnly = only(['ingestKey'], 'UNAUTHENTICATED');
const EVENT_GRPC: GrpcRow[] = [
  {
    path: StatisticStatItemUpdatedServiceService.onMessage.path,
    message: StatisticStatItemUpdatedServiceService.onMessage.requestSerialize({
      id: 'matrix',
      namespace: 'other-game',
      timestamp: '',
      userId: 'u',
      payload: { statCode: 'kills', latestValue: 1, inc: 1 },
    }),
    expected: ingestOnly,
  },
  {
    path: UserAuthenticationUserLoggedInServiceService.onMessage.path,
    message: UserAuthenticationUserLoggedInServiceService.onMessage.requestSerialize({
      id: 'matrix',
      namespace: 'other-game',
      timestamp: '',
      userId: 'u',
    }),
    expected: ingestOnly,
  },
];

describe('authorization matrix: REST routes, player gRPC, event ports (AUTH_MODE=jwt)', () => {
  let t: TestApi;
  let prefix: string;
  /** Headers (REST) and metadata (gRPC) each principal sends. */
  const credentials = {} as Record<Principal, Record<string, string>>;
  let playerPort: RawGrpcClient;
  let eventPort: RawGrpcClient;

  beforeAll(async () => {
    prefix = `matrix-${randomUUID()}`;
    t = await startTestApi({
      AUTH_MODE: 'jwt',
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_API_KEY: ADMIN_KEY,
      QA_CLOCK: 'enabled',
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: '1',
      ADMIN_EMAIL: 'matrix-admin@example.com',
      ADMIN_PASSWORD: 'matrix-admin-password',
    });
    const admin = await signedIn(t, 'matrix-admin@example.com', 'matrix-admin-password');
    const cookie = async (email: string, role: 'viewer' | 'editor') => {
      await admin.client.user.create.mutate({ email, password: 'password-123', role });
      return { cookie: cookieHeader((await signedIn(t, email, 'password-123')).cookies) };
    };
    credentials.anonymous = {};
    credentials.player = { authorization: `Bearer ${await playerToken('matrix-player')}` };
    credentials.ingestKey = { 'x-api-key': TEST_INGEST_KEY };
    credentials.viewer = await cookie('matrix-viewer@example.com', 'viewer');
    credentials.editor = await cookie('matrix-editor@example.com', 'editor');
    credentials.admin = { cookie: cookieHeader(admin.cookies) };
    credentials.adminKey = { authorization: `Bearer ${ADMIN_KEY}` };
    playerPort = rawGrpcClient(t.grpcAddress);
    eventPort = rawGrpcClient(`127.0.0.1:${t.api.eventsGrpcPort}`);
  });
  afterAll(async () => {
    playerPort?.close();
    eventPort?.close();
    await obliterateQueues(REDIS_URL, prefix, 1);
    await t?.close();
  });

  it('has a row for every REST route the server registered, and no stale ones', () => {
    const routes = t.api.app.routeList().filter((r) => !r.endsWith(' /trpc/:path'));
    expect([...new Set(routes)].sort()).toEqual(Object.keys(REST).sort());
  });

  it('has a row for every rpc in proto/, and no stale ones', () => {
    const rows = [
      ...Object.values(ServiceService).map((m) => m.path),
      ...EVENT_GRPC.map((r) => r.path),
    ].sort();
    expect(rows).toEqual(protoMethods());
    expect(Object.keys(PLAYER_GRPC).sort()).toEqual(Object.keys(ServiceService).sort());
  });

  const restCell = (res: Response): Cell | string => {
    if (res.status === 401 || res.status === 403) return res.status;
    return res.status < 500 ? 'allowed' : `HTTP ${res.status}`;
  };
  const grpcCell = (code: number): Cell | string => {
    if (code === status.UNAUTHENTICATED) return 'UNAUTHENTICATED';
    if (code === status.PERMISSION_DENIED) return 'PERMISSION_DENIED';
    // INTERNAL, UNKNOWN, UNAVAILABLE and the like are never "allowed".
    const refusals = [status.INTERNAL, status.UNKNOWN, status.UNAVAILABLE, status.DATA_LOSS];
    return refusals.includes(code) ? `gRPC ${code}` : 'allowed';
  };

  it.each(Object.keys(REST).sort())('REST %s', async (route) => {
    const row = REST[route]!;
    const method = route.split(' ')[0]!;
    const actual: Record<string, Cell | string> = {};
    for (const who of PRINCIPALS) {
      // What a browser sends for the dashboard (the CSRF rule needs both for cookie changes).
      const headers = { origin: TEST_DASHBOARD_ORIGIN, ...credentials[who] };
      const body = row.body === undefined ? undefined : JSON.stringify(row.body);
      const res = await fetch(t.url(row.path), {
        method,
        headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
        body,
      });
      // A stream that opened is allowed: its first bytes are enough.
      if (res.headers.get('content-type')?.startsWith('text/event-stream'))
        await res.body?.cancel();
      else await res.arrayBuffer();
      actual[who] = restCell(res);
    }
    expect(actual).toEqual(row.expected);
  });

  const grpcRows: [string, GrpcRow, 'player' | 'event'][] = [
    ...Object.entries(PLAYER_GRPC).map(
      ([name, row]) =>
        [
          name,
          { ...row, path: ServiceService[name as keyof typeof ServiceService].path },
          'player',
        ] as [string, GrpcRow, 'player'],
    ),
    ...EVENT_GRPC.map((row) => [row.path, row, 'event'] as [string, GrpcRow, 'event']),
  ];
  it.each(grpcRows)('gRPC %s', async (_name, row, port) => {
    const client = port === 'player' ? playerPort : eventPort;
    const actual: Record<string, Cell | string> = {};
    for (const who of PRINCIPALS) {
      const call = ServiceService.watchChallenges.path === row.path ? client.stream : client.call;
      actual[who] = grpcCell((await call(row.path, row.message, credentials[who])).code);
    }
    expect(actual).toEqual(row.expected);
  });
});
