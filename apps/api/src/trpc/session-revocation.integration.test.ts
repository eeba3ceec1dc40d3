import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import {
  type CookieClient,
  cookieClient,
  cookieHeader,
  outcome,
  signedIn,
} from '../testing/trpc-client.ts';

const ADMIN = { email: 'revoke-admin@example.com', password: 'revoke-admin-password' };
const PASSWORD = 'password-123';

describe('sessions end server-side (issue 10, finding 8)', () => {
  let t: TestApi;
  let admin: CookieClient;

  beforeAll(async () => {
    t = await startTestApi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await signedIn(t, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await t?.close();
  });

  const createUser = (email: string, role: 'viewer' | 'editor' | 'admin' = 'viewer') =>
    admin.client.user.create.mutate({ email, password: PASSWORD, role });
  /** A copy of a session's cookie, replayed by someone who kept it (a browser never would). */
  const copyOf = (session: CookieClient) =>
    cookieClient(t, { cookies: new Map(session.cookies), frozen: true });
  const works = async (session: CookieClient) =>
    outcome(session.client.player.goals.query({ userId: 'u' }));

  it('sign-out: a copied cookie replayed afterwards is 401', async () => {
    await createUser('signout@example.com');
    const session = await signedIn(t, 'signout@example.com', PASSWORD);
    const copy = copyOf(session);
    expect(await works(copy)).toBe('OK');

    await session.client.auth.signOut.mutate();
    expect(await works(copy)).toBe('UNAUTHORIZED');
    expect(await copy.client.auth.session.query()).toBeNull();
    const raw = await fetch(t.url('/trpc/player.goals?input=%7B%22userId%22%3A%22u%22%7D'), {
      headers: { cookie: cookieHeader(copy.cookies) },
    });
    expect(raw.status).toBe(401);
  });

  it('sign-out ends the other sessions of that user too; a new sign-in works', async () => {
    await createUser('two-devices@example.com');
    const laptop = await signedIn(t, 'two-devices@example.com', PASSWORD);
    const phone = await signedIn(t, 'two-devices@example.com', PASSWORD);
    await laptop.client.auth.signOut.mutate();
    expect(await works(phone)).toBe('UNAUTHORIZED');
    expect(await works(await signedIn(t, 'two-devices@example.com', PASSWORD))).toBe('OK');
  });

  it('a role change and disabling end the copied cookie', async () => {
    const roleUser = await createUser('role-change@example.com');
    const roleCopy = copyOf(await signedIn(t, 'role-change@example.com', PASSWORD));
    await admin.client.user.setRole.mutate({ userId: roleUser.id, role: 'editor' });
    expect(await works(roleCopy)).toBe('UNAUTHORIZED');

    const disabledUser = await createUser('disable-me@example.com');
    const disabledCopy = copyOf(await signedIn(t, 'disable-me@example.com', PASSWORD));
    await admin.client.user.disable.mutate({ userId: disabledUser.id });
    await admin.client.user.enable.mutate({ userId: disabledUser.id });
    expect(await works(disabledCopy)).toBe('UNAUTHORIZED');
  });

  it('changing the own password keeps this session, ends the others, swaps the password', async () => {
    await createUser('changer@example.com');
    const here = await signedIn(t, 'changer@example.com', PASSWORD);
    const elsewhere = await signedIn(t, 'changer@example.com', PASSWORD);
    const oldCookie = copyOf(here);

    const me = await here.client.auth.changePassword.mutate({
      currentPassword: PASSWORD,
      newPassword: 'a-brand-new-password',
    });
    expect(me).toEqual({ email: 'changer@example.com', role: 'viewer' });
    expect(await works(here)).toBe('OK');
    expect(await works(elsewhere)).toBe('UNAUTHORIZED');
    expect(await works(oldCookie)).toBe('UNAUTHORIZED');
    expect(await outcome(signedIn(t, 'changer@example.com', PASSWORD))).toBe('UNAUTHORIZED');
    expect(await outcome(signedIn(t, 'changer@example.com', 'a-brand-new-password'))).toBe('OK');
  });

  it('refuses a wrong current password, the same password and a short one, changing nothing', async () => {
    await createUser('careful@example.com');
    const session = await signedIn(t, 'careful@example.com', PASSWORD);
    const change = (currentPassword: string, newPassword: string) =>
      outcome(session.client.auth.changePassword.mutate({ currentPassword, newPassword }));
    await expect(
      session.client.auth.changePassword.mutate({
        currentPassword: 'not-the-password',
        newPassword: 'another-password',
      }),
    ).rejects.toThrow('the current password is not correct');
    expect(await change(PASSWORD, PASSWORD)).toBe('BAD_REQUEST');
    expect(await change(PASSWORD, 'short')).toBe('BAD_REQUEST');
    expect(await works(session)).toBe('OK');
    expect(await outcome(signedIn(t, 'careful@example.com', PASSWORD))).toBe('OK');
  });

  it('guessing the current password with a stolen cookie meets the sign-in budget', async () => {
    await createUser('stolen@example.com');
    const thief = await signedIn(t, 'stolen@example.com', PASSWORD, {
      'x-forwarded-for': '192.0.2.7',
    });
    for (let i = 0; i < 10; i++) {
      const guess = thief.client.auth.changePassword.mutate({
        currentPassword: `guess-${i}`,
        newPassword: 'taken-over-password',
      });
      expect(await outcome(guess)).toBe('BAD_REQUEST');
    }
    const right = thief.client.auth.changePassword.mutate({
      currentPassword: PASSWORD,
      newPassword: 'taken-over-password',
    });
    expect(await outcome(right)).toBe('TOO_MANY_REQUESTS');
  });

  it('an admin resets a password: the user is signed out and signs in with the new one', async () => {
    const user = await createUser('forgetful@example.com', 'editor');
    const session = await signedIn(t, 'forgetful@example.com', PASSWORD);
    const reset = await admin.client.user.resetPassword.mutate({
      userId: user.id,
      password: 'reset-by-admin-1',
    });
    expect(reset).toMatchObject({ email: 'forgetful@example.com', role: 'editor' });
    expect(await works(session)).toBe('UNAUTHORIZED');
    expect(await outcome(signedIn(t, 'forgetful@example.com', PASSWORD))).toBe('UNAUTHORIZED');
    expect(await outcome(signedIn(t, 'forgetful@example.com', 'reset-by-admin-1'))).toBe('OK');
  });

  it('an admin resets no own password there, nor a missing user, nor a short one', async () => {
    const self = (await admin.client.user.list.query()).find((u) => u.email === ADMIN.email)!;
    const reset = (userId: string, password: string) =>
      outcome(admin.client.user.resetPassword.mutate({ userId, password }));
    expect(await reset(self.id, 'a-new-admin-password')).toBe('BAD_REQUEST');
    expect(await reset('00000000-0000-4000-8000-000000000000', 'long-enough-1')).toBe('NOT_FOUND');
    const other = await createUser('short-reset@example.com');
    expect(await reset(other.id, 'short')).toBe('BAD_REQUEST');
    expect(await outcome(signedIn(t, ADMIN.email, ADMIN.password))).toBe('OK');
  });
});
