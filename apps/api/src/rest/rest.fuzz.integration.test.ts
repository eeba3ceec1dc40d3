import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokenJsonText,
  contentTypes,
  FUZZ_TIMEOUT_MS,
  headerText,
  hostileText,
  runFuzz,
  wrongTypeFor,
} from '../testing/fuzz.ts';
import {
  KNOWN_IDS,
  PLAYER_ROUTES,
  ROUTES_WITH_BODY,
  ROUTES_WITH_IDS,
  type Route,
} from '../testing/player-routes.ts';
import {
  playerToken,
  refusedPlayerCredentials,
  TEST_JWT_SECRET,
} from '../testing/player-tokens.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

/**
 * The player REST API and the admin routes under generated hostile requests
 * (docs/security-testing.md). Each input class names the only answers it may get; a 5xx, a
 * dropped connection or a changed row fails the run.
 */

const BASE = '/challenge';
const ADMIN_KEY = 'fuzz-admin-key-0123456789abcdefghijkl';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

interface Probe {
  inputClass: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The only statuses this input may get, and why (docs/security-testing.md). */
  allowed: number[];
}

const json = 'application/json';

function probes(validAuth: Record<string, string>, refused: fc.Arbitrary<Record<string, string>>) {
  const withAuth = (headers: Record<string, string> = {}) => ({ ...validAuth, ...headers });
  const realPath = (r: Route) => `${BASE}${r.path('season', 'kill-10')}`;

  // 401: whatever the route and body, no valid player token means no further look.
  const refusedCredentials = fc
    .record({ route: fc.constantFrom(...PLAYER_ROUTES), headers: refused })
    .map(
      ({ route, headers }): Probe => ({
        inputClass: 'refused credentials',
        method: route.method,
        path: realPath(route),
        headers: route.body ? { ...headers, 'content-type': json } : headers,
        body: route.body && JSON.stringify(route.body),
        allowed: [401],
      }),
    );

  // 400: the body is not JSON, not an object, or one field has the wrong type.
  const malformedBody = fc
    .record({ route: fc.constantFrom(...ROUTES_WITH_BODY), type: contentTypes, seed: fc.nat() })
    .chain(({ route, type }) => {
      const field = fc.constantFrom(...Object.keys(route.body!));
      const wrongField = field.chain((key) =>
        wrongTypeFor(route.body![key]).map((bad) => JSON.stringify({ ...route.body, [key]: bad })),
      );
      const notAnObject = fc
        .oneof(hostileText({ maxLength: 50 }), fc.double(), fc.boolean(), fc.array(fc.nat()))
        .map((v) => JSON.stringify(v) ?? '0');
      return fc.oneof(brokenJsonText, notAnObject, wrongField).map(
        (body): Probe => ({
          inputClass: 'malformed body',
          method: route.method,
          path: realPath(route),
          headers: withAuth({ 'content-type': type }),
          body,
          allowed: [400],
        }),
      );
    });

  // Unknown ids: 404 (nothing to act on); longer than an id may be: 400 (validation) or 404
  // (Fastify's router refuses a path parameter over 512 bytes before any route matches).
  const shortId = hostileText({ maxLength: 40 }).filter((s) => s !== '' && !KNOWN_IDS.has(s));
  const longId = fc
    .tuple(fc.constantFrom('a', '\u00e9', '\ud83c\udfae', '-'), fc.integer({ min: 129, max: 700 }))
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
  const hostileIds = fc
    .record({
      route: fc.constantFrom(...ROUTES_WITH_IDS),
      long: fc.boolean(),
      goal: fc.oneof(fc.constant('kill-10'), shortId),
    })
    .chain(({ route, long, goal }) =>
      (long ? longId : shortId).map(
        (challenge): Probe => ({
          inputClass: long ? 'id too long' : 'unknown id',
          method: route.method,
          path: `${BASE}${route.path(encodeURIComponent(challenge), encodeURIComponent(goal))}`,
          headers: route.body ? withAuth({ 'content-type': json }) : withAuth(),
          body: route.body && JSON.stringify(route.body),
          allowed: long ? [400, 404] : [404],
        }),
      ),
    );

  // 400: activeOnly must be a boolean (or true/false/1/0), once.
  const badQuery = fc
    .oneof(
      hostileText({ maxLength: 60 })
        .filter((s) => !['true', 'false', '1', '0'].includes(s))
        .map((v) => `activeOnly=${encodeURIComponent(v)}`),
      fc.constant('activeOnly=true&activeOnly=false'),
      fc.constant('activeOnly=1&activeOnly=1'),
    )
    .map(
      (query): Probe => ({
        inputClass: 'bad query',
        method: 'GET',
        path: `${BASE}/v1/challenges?${query}`,
        headers: withAuth(),
        allowed: [400],
      }),
    );

  // 405: a real path with a method it does not take; 404: a path no route has.
  const wrongMethod = fc
    .record({ route: fc.constantFrom(...PLAYER_ROUTES), method: fc.constantFrom(...METHODS) })
    .filter(({ route, method }) => method !== route.method)
    .map(
      ({ route, method }): Probe => ({
        inputClass: 'wrong method',
        method,
        path: realPath(route),
        headers: withAuth(),
        allowed: [405],
      }),
    );
  const unknownPath = fc
    .record({
      method: fc.constantFrom(...METHODS),
      segments: fc.array(hostileText({ maxLength: 30 }), { minLength: 1, maxLength: 5 }),
      under: fc.constantFrom(
        `${BASE}/v1/no-such`,
        `${BASE}/v2`,
        '/nothing-here',
        `${BASE}/v1/challenges/a/b/c/d`,
      ),
    })
    .map(
      ({ method, segments, under }): Probe => ({
        inputClass: 'unknown path',
        method,
        path: `${under}/${segments.map(encodeURIComponent).join('/')}`,
        headers: withAuth(),
        allowed: [404],
      }),
    );

  // 413: over the player API's 64 KB body limit.
  const tooLarge = fc
    .record({
      route: fc.constantFrom(...ROUTES_WITH_BODY),
      size: fc.integer({ min: 65_537, max: 400_000 }),
    })
    .map(
      ({ route, size }): Probe => ({
        inputClass: 'body too large',
        method: route.method,
        path: realPath(route),
        headers: withAuth({ 'content-type': json }),
        body: JSON.stringify({ ...route.body, padding: 'x'.repeat(size) }),
        allowed: [413],
      }),
    );

  // Admin routes: 401 without credentials, 403 with any that are not the admin key (a player
  // token too). The profile routes also take an admin session, so a cookie is a credential there.
  const adminRoutes = [
    { method: 'GET', path: '/admin/v1/clock', cookieCounts: false },
    { method: 'POST', path: '/admin/v1/clock', body: { offsetSeconds: 60 }, cookieCounts: false },
    {
      method: 'POST',
      path: '/admin/v1/profile',
      body: { processId: 'api:x:1', kind: 'cpu', seconds: 1 },
      cookieCounts: true,
    },
    {
      method: 'GET',
      path: '/admin/v1/profiles/cpu-00000000-0000-4000-8000-000000000000',
      cookieCounts: true,
    },
  ];
  const adminCredentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
    refused,
    fc.constant(validAuth),
    headerText({ maxLength: 60 }).map((k) => ({ authorization: `Bearer ${k || 'k'}` })),
    fc.constant({ authorization: `Bearer ${ADMIN_KEY}x` }),
    headerText({ maxLength: 60 }).map((c) => ({ cookie: `challenges_session=${c}` })),
  );
  const admin = fc
    .record({ route: fc.constantFrom(...adminRoutes), headers: adminCredentials })
    .map(({ route, headers }): Probe => {
      // An empty header is no credential.
      const credentials =
        Boolean(headers.authorization) ||
        Boolean(headers['x-mock-user-id']) ||
        (route.cookieCounts && Boolean(headers.cookie));
      return {
        inputClass: 'admin without the admin key',
        method: route.method,
        path: `${BASE}${route.path}`,
        headers: route.body ? { ...headers, 'content-type': json } : headers,
        body: route.body && JSON.stringify(route.body),
        allowed: credentials ? [403] : [401],
      };
    });

  const requestId = fc.option(headerText({ maxLength: 300 }), { freq: 3 });
  return fc
    .record({
      probe: fc.oneof(
        refusedCredentials,
        malformedBody,
        hostileIds,
        badQuery,
        wrongMethod,
        unknownPath,
        tooLarge,
        admin,
      ),
      requestId,
    })
    .map(({ probe, requestId }) =>
      requestId === null
        ? probe
        : { ...probe, headers: { ...probe.headers, 'x-request-id': requestId } },
    );
}

describe('REST fuzz: hostile requests get a 4xx and change nothing', () => {
  let t: TestApi;
  let validAuth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApi({
      AUTH_MODE: 'jwt',
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_API_KEY: ADMIN_KEY,
      // On, but out of reach: the run tests inputs, not the limiter (no 429 is allowed).
      RATE_LIMIT_PER_MIN: '100000000',
    });
    validAuth = { authorization: `Bearer ${await playerToken('fuzz-player')}` };
    // A player with rows, so real ids in the paths meet real state.
    const init = await t.call('POST', `${BASE}/v1/challenges/initialize`, { headers: validAuth });
    expect(init.status).toBe(200);
  });
  afterAll(async () => t?.close());

  it(
    'answers every generated request with its class’s 4xx, stays up, writes no row',
    async () => {
      await runFuzz({
        edge: 'REST',
        databaseUrl: t.databaseUrl,
        probes: probes(validAuth, await refusedPlayerCredentials()),
        answer: async (probe, check) => {
          const res = await fetch(t.url(probe.path), {
            method: probe.method,
            headers: probe.headers,
            body: probe.body,
          });
          const text = await res.text();
          check(res.status);
          // Every refusal carries the one error body (a 404 of an unknown path too).
          expect(JSON.parse(text)).toMatchObject({ errorCode: expect.any(String) });
        },
      });
      expect((await t.call('GET', '/healthz')).status).toBe(200);
      expect((await t.call('GET', `${BASE}/v1/challenges`, { headers: validAuth })).status).toBe(
        200,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
