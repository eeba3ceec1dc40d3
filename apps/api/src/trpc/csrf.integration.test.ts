import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDefinitions, updateDraft } from '../application/definitions/index.ts';
import { startTestApi, TEST_DASHBOARD_ORIGIN, type TestApi } from '../testing/test-api.ts';
import { cookieClient, cookieHeader, outcome, signedIn } from '../testing/trpc-client.ts';
import { appRouter } from './router.ts';

const ADMIN = { email: 'csrf-admin@example.com', password: 'csrf-admin-password' };
const EVIL = 'http://evil.example';

type Procedures = Record<string, { _def: { type: string } }>;
/** Every mutation the session cookie authorises: all but the player's own (`me.*`). */
const COOKIE_MUTATIONS = Object.entries(appRouter._def.procedures as unknown as Procedures)
  .filter(([path, p]) => p._def.type === 'mutation' && !path.startsWith('me.'))
  .map(([path]) => path)
  .sort();

describe('CSRF: cookie-authenticated changes need JSON from the dashboard origin', () => {
  let t: TestApi;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    cookie = cookieHeader((await signedIn(t, ADMIN.email, ADMIN.password)).cookies);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, headers: Record<string, string>, body: RequestInit['body']) =>
    fetch(t.url(path), { method: 'POST', headers: { cookie, ...headers }, body });
  const versions = () =>
    cookieClient(t, { headers: { cookie } }).client.challenge.versions.query({ limit: 50 });

  it('the confirmed attack: challenge.publish as a multipart form from another site', async () => {
    const before = await versions();
    const form = new FormData();
    form.set('note', 'csrf');
    const res = await post('/trpc/challenge.publish', { origin: EVIL }, form);
    expect(res.status).toBe(403);
    expect(await versions()).toEqual(before);
  });

  it.each(COOKIE_MUTATIONS)('%s: a foreign Origin is 403, also with JSON', async (path) => {
    const res = await post(
      `/trpc/${path}`,
      { origin: EVIL, 'content-type': 'application/json' },
      '{}',
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.data.errorCode).toBe('PERMISSION_DENIED');
  });

  it.each(COOKIE_MUTATIONS)('%s: multipart is 403 even from the dashboard', async (path) => {
    const form = new FormData();
    form.set('x', '1');
    const multipart = await post(`/trpc/${path}`, { origin: TEST_DASHBOARD_ORIGIN }, form);
    expect(multipart.status).toBe(403);
    // tRPC has no parser for these (415); the CSRF rule would refuse them next (403).
    for (const body of [new Blob(['{}'], { type: 'text/plain' }), new Blob(['{}'])]) {
      const res = await post(`/trpc/${path}`, { origin: TEST_DASHBOARD_ORIGIN }, body);
      expect([403, 415]).toContain(res.status);
    }
  });

  it('without Origin only Sec-Fetch-Site: same-origin passes; cross-site is refused', async () => {
    const session = (headers: Record<string, string>) =>
      cookieClient(t, { origin: null, headers: { cookie, ...headers } }).client;
    const publish = (headers: Record<string, string>) =>
      outcome(session(headers).challenge.publish.mutate({ note: 'fetch-site' }));
    expect(await publish({})).toBe('FORBIDDEN');
    expect(await publish({ 'sec-fetch-site': 'cross-site' })).toBe('FORBIDDEN');
    expect(await publish({ 'sec-fetch-site': 'same-site' })).toBe('FORBIDDEN');
    expect(await publish({ 'sec-fetch-site': 'same-origin' })).not.toBe('FORBIDDEN');
  });

  it('same-origin JSON is accepted: the dashboard publishes', async () => {
    const before = await versions();
    // A draft unlike live: publishing an unchanged one makes no version (NO_CHANGES).
    const { content } = await exportDefinitions(t.api.ctx);
    content.challenges[0]!.name = 'changed for the same-origin publish';
    await updateDraft(t.api.ctx, { content, actor: ADMIN.email });
    const res = await post(
      '/trpc/challenge.publish',
      { origin: TEST_DASHBOARD_ORIGIN, 'content-type': 'application/json' },
      JSON.stringify({ note: 'same origin' }),
    );
    expect(res.status).toBe(200);
    expect(await versions()).not.toEqual(before);
  });

  it('no other site can sign a browser in (login CSRF)', async () => {
    const res = await fetch(t.url('/trpc/auth.signIn'), {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("a player's own mutations (header credentials, no cookie) are not subject to it", async () => {
    const res = await fetch(t.url('/trpc/me.initialize'), {
      method: 'POST',
      headers: {
        origin: EVIL,
        'x-mock-user-id': 'csrf-player',
        'content-type': 'application/json',
      },
    });
    expect(res.status).toBe(200);
  });
});

describe('CSRF on the REST profile route', () => {
  const ADMIN_KEY = 'csrf-admin-key-0123456789-0123456789';
  let t: TestApi;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApi({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ADMIN_API_KEY: ADMIN_KEY,
    });
    cookie = cookieHeader((await signedIn(t, ADMIN.email, ADMIN.password)).cookies);
  });
  afterAll(async () => {
    await t?.close();
  });

  // An unknown process: an accepted request answers 404 at once instead of profiling.
  const body = JSON.stringify({ processId: 'api:nowhere:1', kind: 'cpu', seconds: 1 });
  const profile = (headers: Record<string, string>, payload: RequestInit['body'] = body) =>
    fetch(t.url('/challenge/admin/v1/profile'), { method: 'POST', headers, body: payload });

  it('with the session cookie: foreign Origin, text/plain and multipart are 403', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await profile({ cookie, origin: EVIL, ...json })).status).toBe(403);
    const plain = { cookie, origin: TEST_DASHBOARD_ORIGIN, 'content-type': 'text/plain' };
    expect((await profile(plain)).status).toBe(403);
    const form = new FormData();
    form.set('processId', 'api:nowhere:1');
    expect((await profile({ cookie, origin: TEST_DASHBOARD_ORIGIN }, form)).status).toBe(403);
  });

  it('with the session cookie and same-origin JSON it runs; the bearer key needs no Origin', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await profile({ cookie, origin: TEST_DASHBOARD_ORIGIN, ...json })).status).toBe(404);
    expect((await profile({ authorization: `Bearer ${ADMIN_KEY}`, ...json })).status).toBe(404);
  });
});
