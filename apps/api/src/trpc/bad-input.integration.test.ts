import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_DASHBOARD_ORIGIN, type TestApi } from '../testing/test-api.ts';
import { cookieClient, outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';
import { TRPC_BODY_LIMIT_BYTES } from './register.ts';
import { appRouter } from './router.ts';

type AnyProcedure = { _def: { type: 'query' | 'mutation'; inputs: unknown[] } };
const PROCEDURES = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const long = (n: number) => 'x'.repeat(n);

/** Per-procedure bad inputs beyond the generic ones: wrong types, bounds, formats. */
const BAD_INPUTS: Record<string, unknown[]> = {
  'auth.signIn': [
    { email: 'not-an-email', password: 'x' },
    { email: 'a@b.co', password: long(300) },
  ],
  'user.create': [
    { email: 'a@b.co', password: 'short', role: 'viewer' },
    { email: 'a@b.co', password: 'password-123', role: 'root' },
    { email: `${long(250)}@b.co`, password: 'password-123', role: 'viewer' },
  ],
  'auth.changePassword': [
    { currentPassword: '', newPassword: 'long-enough-password' },
    { currentPassword: 'bad-password', newPassword: 'short' },
    { currentPassword: 'bad-password', newPassword: long(300) },
  ],
  'user.setRole': [{ userId: 'not-a-uuid', role: 'viewer' }],
  'user.resetPassword': [
    { userId: 'not-a-uuid', password: 'password-123' },
    { userId: '00000000-0000-4000-8000-000000000000', password: 'short' },
  ],
  'user.delete': [{ userId: 42 }],
  'apiKey.create': [{ name: '' }, { name: '   ' }, { name: long(101) }],
  'player.goals': [{ userId: '' }, { userId: long(129) }],
  'player.search': [
    { prefix: '' },
    { prefix: 'a', limit: 101 },
    { prefix: 'a', cursor: long(129) },
  ],
  'player.timeline': [
    { userId: 'u', cursor: 'not-a-cursor' },
    { userId: 'u', cursor: long(1001) },
    { userId: 'u', limit: 0 },
  ],
  'player.setActive': [{ userId: 'u', challengeId: 'season', goalId: 'kill-10', isActive: 'yes' }],
  'player.resetGoal': [{ userId: 'u', goalId: long(129) }],
  'me.list': [{ activeOnly: 'true' }],
  'me.setActive': [{ challengeId: 'season', goalId: 'kill-10' }],
  'me.batchSelect': [
    { challengeId: 'pool', goalIds: 'pool-1' },
    { challengeId: 'pool', goalIds: Array.from({ length: 1001 }, (_, i) => `g${i}`) },
  ],
  'me.randomSelect': [
    { challengeId: 'pool', count: 1.5 },
    { challengeId: 'pool', count: 'two' },
  ],
  'me.claim': [{ challengeId: long(129), goalId: 'tutorial' }],
  'challenge.updateDraft': [{ content: [] }, { content: 42 }, { content: '' }, {}],
  'challenge.import': [{ content: { challenges: [] }, publish: 'yes' }],
  'challenge.export': [{ version: -1 }],
  'challenge.rollback': [{ version: 0 }, { version: '3' }],
  'challenge.versions': [{ limit: 10_000 }],
};

describe('bad input on every tRPC procedure', () => {
  let t: TestApi;
  let client: TrpcTestClient;
  let db: pg.Client;

  beforeAll(async () => {
    t = await startTestApi({ ADMIN_EMAIL: 'bad@example.com', ADMIN_PASSWORD: 'bad-password' });
    const admin = await signedIn(t, 'bad@example.com', 'bad-password');
    // Admin session and player credentials at once, so every procedure gets past auth.
    client = cookieClient(t, {
      cookies: admin.cookies,
      headers: { 'x-mock-user-id': 'bad-input-player' },
      frozen: true,
    }).client;
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const call = (path: string, input: unknown) => {
    const [area, name] = path.split('.') as [string, string];
    const procedure = (client as any)[area][name];
    return outcome(
      PROCEDURES[path]!._def.type === 'query' ? procedure.query(input) : procedure.mutate(input),
    );
  };

  const stored = async () => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM dashboard_users)::int AS users,
              (SELECT count(*) FROM ingest_api_keys)::int AS keys,
              (SELECT count(*) FROM goal_progress)::int AS progress`,
    );
    return rows[0];
  };

  const withInput = Object.keys(PROCEDURES)
    .filter((path) => PROCEDURES[path]!._def.inputs.length > 0)
    .sort();

  it.each(withInput)('%s: wrong types and bounds are BAD_REQUEST', async (path) => {
    const before = await stored();
    for (const input of [42, 'text', [1, 2], ...(BAD_INPUTS[path] ?? [])]) {
      expect(await call(path, input), JSON.stringify(input).slice(0, 80)).toBe('BAD_REQUEST');
    }
    expect(await stored()).toEqual(before);
  });

  it('every bad-input entry names a procedure that exists', () => {
    expect(Object.keys(BAD_INPUTS).filter((path) => !withInput.includes(path))).toEqual([]);
  });

  // Mutations without an input never read the body (tRPC parses it lazily), so there is
  // nothing to refuse there; every mutation that takes input must refuse a body over the limit.
  const mutations = withInput.filter((path) => PROCEDURES[path]!._def.type === 'mutation');

  it.each(mutations)('%s: a body over the limit is PAYLOAD_TOO_LARGE', async (path) => {
    const before = await stored();
    const huge = { name: long(TRPC_BODY_LIMIT_BYTES + 1024) };
    expect(await call(path, huge)).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored()).toEqual(before);
  });

  it('a non-JSON body is BAD_REQUEST, and unknown procedures are NOT_FOUND', async () => {
    const raw = await fetch(t.url('/trpc/auth.signIn'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_DASHBOARD_ORIGIN },
      body: '{not json',
    });
    expect(raw.status).toBe(400);
    const missing = await fetch(t.url('/trpc/user.nope'));
    expect(missing.status).toBe(404);
  });
});
