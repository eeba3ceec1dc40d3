import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_DASHBOARD_ORIGIN, type TestApi } from '../testing/test-api.ts';
import { cookieClient, cookieHeader, outcome, signedIn } from '../testing/trpc-client.ts';

const ADMIN = { email: 'limits-admin@example.com', password: 'limits-admin-password' };
const BATCHED = { email: 'batched@example.com', password: 'batched-password' };

/** A sign-in as the dashboard's proxy forwards it for a browser at `ip`. */
function signInFrom(t: TestApi, ip: string, email: string, password: string) {
  const session = cookieClient(t, { headers: { 'x-forwarded-for': ip } });
  return outcome(session.client.auth.signIn.mutate({ email, password }));
}

function tally(codes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/** A hand-made tRPC batch request, as a script (not the dashboard's client) would send it. */
function batch(t: TestApi, paths: string[], inputs: unknown[], cookie?: string) {
  const body = Object.fromEntries(inputs.map((input, i) => [String(i), input]));
  return fetch(t.url(`/trpc/${paths.join(',')}?batch=1`), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: TEST_DASHBOARD_ORIGIN,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}

describe('sign-in budgets (issue 10, finding 3)', () => {
  let t: TestApi;

  beforeAll(async () => {
    // Enough verification slots that only the budgets refuse here (the cap has its own test).
    t = await startTestApi({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SIGN_IN_MAX_VERIFICATIONS: '16',
    });
    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    await admin.client.user.create.mutate({ ...BATCHED, role: 'viewer' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('concurrent wrong guesses never check more passwords than the budget', async () => {
    const guesses = Array.from({ length: 16 }, (_, i) =>
      signInFrom(t, '198.51.100.1', ADMIN.email, `wrong-${i}`),
    );
    expect(tally(await Promise.all(guesses))).toEqual({ UNAUTHORIZED: 10, TOO_MANY_REQUESTS: 6 });
    expect(await signInFrom(t, '198.51.100.1', ADMIN.email, ADMIN.password)).toBe(
      'TOO_MANY_REQUESTS',
    );
  });

  it('a batch naming auth.* is refused whole: a right password among guesses signs nobody in', async () => {
    const guesses = [
      ...Array.from({ length: 15 }, (_, i) => ({ email: BATCHED.email, password: `guess-${i}` })),
      BATCHED,
    ];
    const res = await batch(t, Array(guesses.length).fill('auth.signIn'), guesses);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
    const items = (await res.json()) as { error?: { data: { code: string; errorCode: string } } }[];
    expect(items).toHaveLength(16);
    for (const item of items) {
      expect(item.error?.data).toMatchObject({
        code: 'BAD_REQUEST',
        errorCode: 'INVALID_ARGUMENT',
      });
    }
    // Nothing was counted either: the same address still has its whole budget.
    expect(await signInFrom(t, '127.0.0.1', BATCHED.email, BATCHED.password)).toBe('OK');
  });

  it('batches of other procedures still work; one with auth.session among them does not', async () => {
    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    const cookie = cookieHeader(admin.cookies);
    const get = (paths: string) =>
      fetch(t.url(`/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`), {
        headers: { cookie },
      });
    expect((await get('challenge.draft,user.list')).status).toBe(200);
    expect((await get('auth.session,user.list')).status).toBe(400);
  });

  it('one address may fail 50 times across emails, then is refused; other addresses are not', async () => {
    for (let i = 0; i < 50; i++) {
      expect(await signInFrom(t, '203.0.113.9', `nobody-${i}@example.com`, 'nope-nope')).toBe(
        'UNAUTHORIZED',
      );
    }
    expect(await signInFrom(t, '203.0.113.9', 'fresh@example.com', 'nope-nope')).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await signInFrom(t, '203.0.113.9', ADMIN.email, ADMIN.password)).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await signInFrom(t, '203.0.113.10', 'fresh@example.com', 'nope-nope')).toBe(
      'UNAUTHORIZED',
    );
  });

  it("an attacker's failures lock the attacker's address, never the admin's", async () => {
    for (let i = 0; i < 10; i++) {
      await signInFrom(t, '192.0.2.66', ADMIN.email, `attack-${i}`);
    }
    expect(await signInFrom(t, '192.0.2.66', ADMIN.email, ADMIN.password)).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await signInFrom(t, '192.0.2.200', ADMIN.email, ADMIN.password)).toBe('OK');
    // A forwarded chain counts its right-most hop (the one the proxy saw); the rest is the
    // client's own writing and cannot move it off the locked address.
    expect(await signInFrom(t, '10.9.9.9, 192.0.2.66', ADMIN.email, ADMIN.password)).toBe(
      'TOO_MANY_REQUESTS',
    );
  });
});

describe('the cap on concurrent password checks', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({ SIGN_IN_MAX_VERIFICATIONS: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses sign-ins beyond it at once, unknown emails included', async () => {
    const attempts = Array.from({ length: 12 }, (_, i) =>
      signInFrom(t, `198.51.100.${100 + i}`, `flood-${i}@example.com`, 'nope-nope'),
    );
    const counts = tally(await Promise.all(attempts));
    expect(counts.TOO_MANY_REQUESTS).toBeGreaterThanOrEqual(1);
    expect(counts.UNAUTHORIZED).toBeGreaterThanOrEqual(1);
    expect((counts.TOO_MANY_REQUESTS ?? 0) + (counts.UNAUTHORIZED ?? 0)).toBe(12);
  });
});
