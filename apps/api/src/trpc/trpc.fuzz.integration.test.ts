import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../auth/dashboard-session.ts';
import {
  brokenJsonText,
  FUZZ_TIMEOUT_MS,
  headerText,
  hostileText,
  junkJson,
  runFuzz,
} from '../testing/fuzz.ts';
import {
  playerToken,
  refusedPlayerCredentials,
  TEST_JWT_SECRET,
} from '../testing/player-tokens.ts';
import { startTestApi, TEST_DASHBOARD_ORIGIN, type TestApi } from '../testing/test-api.ts';
import { cookieHeader, signedIn } from '../testing/trpc-client.ts';
import { malformedInput, PROCEDURES, tampered } from '../testing/trpc-procedures.ts';
import { appRouter } from './router.ts';

/**
 * tRPC under generated hostile calls (docs/security-testing.md): refused credentials, inputs
 * of the wrong shape from an admin (or a player for `me.*`), cross-site changes, wrong methods,
 * unknown procedures, bodies that are not JSON or too large, sign-in guesses.
 */

const ADMIN = { email: 'fuzz-admin@example.com', password: 'fuzz-admin-password' };
const definitions = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: string; inputs: unknown[] } }
>;
const ALL = Object.keys(definitions).sort();
const isQuery = (path: string) => definitions[path]!._def.type === 'query';
const takesInput = (path: string) => definitions[path]!._def.inputs.length > 0;
const access = (path: string) => PROCEDURES[path]!.access;
const PROTECTED = ALL.filter((p) => access(p) !== 'public');
// auth.signOut would end the admin session the rest of the run uses; it takes no input anyway.
const WITH_INPUT = ALL.filter((p) => takesInput(p) && p !== 'auth.signOut');
const DASHBOARD_MUTATIONS = ALL.filter((p) => !isQuery(p) && access(p) !== 'player');

interface Probe {
  inputClass: string;
  path: string;
  /** GET for queries (input in the query string), POST for mutations (input as the body). */
  method: 'GET' | 'POST';
  input?: string;
  headers: Record<string, string>;
  allowed: number[];
}

function call(
  path: string,
  input: string | undefined,
  headers: Record<string, string>,
  method?: 'GET' | 'POST',
): Omit<Probe, 'inputClass' | 'allowed'> {
  return { path, method: method ?? (isQuery(path) ? 'GET' : 'POST'), input, headers };
}

function probes(
  admin: Record<string, string>,
  player: Record<string, string>,
  refused: fc.Arbitrary<Record<string, string>>,
) {
  const browser = { origin: TEST_DASHBOARD_ORIGIN, 'content-type': 'application/json' };
  const callerFor = (path: string) => (access(path) === 'player' ? player : admin);
  const text = (value: unknown) => JSON.stringify(value) ?? 'null';

  // 401: a protected procedure without the credentials it needs (checked before its input).
  const refusedCredentials = fc
    .record({
      path: fc.constantFrom(...PROTECTED),
      credentials: fc.oneof(
        refused,
        headerText({ maxLength: 80 }).map((c) => ({ cookie: `${SESSION_COOKIE}=${c}` })),
        // The admin's own seal with one character changed (iron-session ignores what follows
        // its `~2` version suffix, so appending would change nothing).
        fc.nat().map((n) => ({ cookie: tampered(admin.cookie!, n) })),
      ),
      swap: fc.boolean(),
      input: junkJson,
    })
    .map(({ path, credentials, swap, input }): Probe => {
      // A player's token is no dashboard session, an admin's session no player token.
      const wrongKind = access(path) === 'player' ? admin : player;
      const valid = PROCEDURES[path]!.input;
      return {
        inputClass: 'refused credentials',
        ...call(path, text(swap ? valid : input), {
          ...browser,
          ...(swap ? wrongKind : credentials),
        }),
        allowed: [401],
      };
    });

  // 400: an authorized caller with an input of the wrong shape.
  const malformed = fc
    .constantFrom(...WITH_INPUT)
    .chain((path) => malformedInput(path).map((input) => ({ path, input })))
    .map(
      ({ path, input }): Probe => ({
        inputClass: 'malformed input',
        ...call(path, text(input), { ...browser, ...callerFor(path) }),
        allowed: [400],
      }),
    );

  // 400: an authorized caller whose input is not JSON.
  const notJson = fc.record({ path: fc.constantFrom(...WITH_INPUT), body: brokenJsonText }).map(
    ({ path, body }): Probe => ({
      inputClass: 'input not JSON',
      ...call(path, body, { ...browser, ...callerFor(path) }),
      allowed: [400],
    }),
  );

  // 403: a dashboard change that is not JSON from a dashboard origin (CSRF rule). A body tRPC
  // cannot read at all (text/plain, urlencoded) is refused by tRPC first: 415.
  const crossSite = fc
    .record({
      path: fc.constantFrom(...DASHBOARD_MUTATIONS),
      origin: fc.option(
        fc.oneof(
          fc.constantFrom(
            'http://evil.test',
            'null',
            `${TEST_DASHBOARD_ORIGIN}.evil.test`,
            'http://dashboard.test:80x',
          ),
          headerText({ maxLength: 40 }),
        ),
      ),
      type: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json',
      ),
      site: fc.constantFrom(undefined, 'cross-site', 'same-site', 'none'),
    })
    .filter(({ origin, type }) => origin !== TEST_DASHBOARD_ORIGIN || type !== 'application/json')
    .map(({ path, origin, type, site }): Probe => {
      const headers: Record<string, string> = { ...admin, 'content-type': type };
      if (origin !== null) headers.origin = origin;
      if (site) headers['sec-fetch-site'] = site;
      return {
        inputClass: 'cross-site change',
        ...call(path, text(PROCEDURES[path]!.input ?? {}), headers),
        allowed: type === 'application/json' ? [403] : [403, 415],
      };
    });

  // 405: a query sent as POST, a mutation as GET.
  const wrongMethod = fc.constantFrom(...ALL).map(
    (path): Probe => ({
      inputClass: 'wrong method',
      ...call(
        path,
        text(PROCEDURES[path]!.input),
        { ...browser, ...callerFor(path) },
        isQuery(path) ? 'POST' : 'GET',
      ),
      allowed: [405],
    }),
  );

  // 404: a procedure the router does not have.
  const unknown = fc
    .record({
      path: hostileText({ maxLength: 40 }).filter((p) => p !== '' && !(p in definitions)),
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
    })
    .map(
      ({ path, method }): Probe => ({
        inputClass: 'unknown procedure',
        path: encodeURIComponent(path),
        method,
        input: method === 'GET' ? undefined : '{}',
        headers: { ...browser, ...admin },
        // tRPC URL-decodes the (already decoded) name once more: a `%` in it can make that
        // fail, 400 "Invalid URL-encoding in path".
        allowed: path.includes('%') ? [400, 404] : [404],
      }),
    );

  // 413: over tRPC's 2 MB body limit.
  const tooLarge = fc
    .record({
      path: fc.constantFrom(...DASHBOARD_MUTATIONS.filter((p) => p !== 'auth.signOut')),
      size: fc.integer({ min: 2 * 1024 * 1024 + 1, max: 3 * 1024 * 1024 }),
    })
    .map(
      ({ path, size }): Probe => ({
        inputClass: 'body too large',
        ...call(path, JSON.stringify({ padding: 'x'.repeat(size) }), { ...browser, ...admin }),
        allowed: [413],
      }),
    );

  // 401 for wrong credentials; 429 once the sign-in limiter (per address and email) refuses
  // further guesses, which is what it is for.
  const guesses = fc
    .record({
      email: fc.oneof(
        fc.constant(ADMIN.email),
        fc.stringMatching(/^[a-z0-9]{1,30}$/).map((name) => `${name}@example.com`),
      ),
      password: fc.string({ minLength: 1, maxLength: 100 }).filter((p) => p !== ADMIN.password),
    })
    .map(
      (credentials): Probe => ({
        inputClass: 'sign-in guess',
        ...call('auth.signIn', JSON.stringify(credentials), browser),
        allowed: [401, 429],
      }),
    );

  return fc.oneof(
    { weight: 4, arbitrary: refusedCredentials },
    { weight: 6, arbitrary: malformed },
    { weight: 2, arbitrary: notJson },
    { weight: 2, arbitrary: crossSite },
    { weight: 1, arbitrary: wrongMethod },
    { weight: 1, arbitrary: unknown },
    { weight: 1, arbitrary: tooLarge },
    { weight: 1, arbitrary: guesses },
  );
}

describe('tRPC fuzz: hostile calls get a 4xx and change nothing', () => {
  let t: TestApi;
  let admin: Record<string, string>;
  let player: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApi({
      AUTH_MODE: 'jwt',
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_PER_MIN: '100000000',
    });
    admin = { cookie: cookieHeader((await signedIn(t, ADMIN.email, ADMIN.password)).cookies) };
    player = { authorization: `Bearer ${await playerToken('fuzz-player')}` };
  });
  afterAll(async () => t?.close());

  async function send(probe: Probe): Promise<Response> {
    const query =
      probe.method === 'GET' && probe.input !== undefined
        ? `?input=${encodeURIComponent(probe.input)}`
        : '';
    return fetch(t.url(`/trpc/${probe.path}${query}`), {
      method: probe.method,
      headers: probe.headers,
      body: probe.method === 'POST' ? probe.input : undefined,
    });
  }

  it(
    'answers every generated call with its class’s 4xx, stays up, writes no row',
    async () => {
      await runFuzz({
        edge: 'tRPC',
        databaseUrl: t.databaseUrl,
        probes: probes(admin, player, await refusedPlayerCredentials()),
        answer: async (probe, check) => {
          const res = await send(probe);
          const body = await res.text();
          // Node refuses a request line and headers over 16 KB itself (431): a query's input
          // rides in the URL.
          const longUrl =
            probe.method === 'GET' && encodeURIComponent(probe.input ?? '').length > 12_000;
          check(res.status, longUrl ? [...probe.allowed, 431] : probe.allowed);
          if (res.status !== 431) {
            expect(JSON.parse(body)).toMatchObject({
              error: { data: { code: expect.any(String) } },
            });
          }
        },
      });
      expect((await t.call('GET', '/healthz')).status).toBe(200);
      // The admin session survived the run, and the api still answers it.
      const session = await fetch(t.url('/trpc/auth.session'), { headers: admin });
      expect(await session.json()).toMatchObject({ result: { data: { email: ADMIN.email } } });
    },
    FUZZ_TIMEOUT_MS,
  );
});
