import { createDashboardUserRepository, createPool, createPrismaClient } from '@challenges/db';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInitialAdmin, LOCAL_ADMIN_EMAIL } from '../auth/dashboard-users.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { cookieClient, outcome, signedIn } from '../testing/trpc-client.ts';

const ADMIN = { email: 'Root@Example.com', password: 'correct horse battery' };

describe('dashboard sign-in over tRPC', () => {
  let t: TestApi;
  let db: pg.Client;

  beforeAll(async () => {
    t = await startTestApi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const createUser = async (email: string, role: 'viewer' | 'editor' | 'admin') => {
    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    return admin.client.user.create.mutate({ email, password: 'password-123', role });
  };

  it('creates the first admin from ADMIN_EMAIL (lower-cased) with an argon2id hash', async () => {
    const { rows } = await db.query('SELECT email, role, password_hash FROM dashboard_users');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'root@example.com', role: 'admin' });
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('signs in with any email case, sets a sealed http-only SameSite=Lax cookie, signs out', async () => {
    const session = cookieClient(t);
    expect(await session.client.auth.session.query()).toBeNull();
    const me = await session.client.auth.signIn.mutate({
      email: 'ROOT@example.com',
      password: ADMIN.password,
    });
    expect(me).toEqual({ email: 'root@example.com', role: 'admin' });
    const cookie = session.lastSetCookie.find((c) => c.startsWith('challenges_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i); // sent with every path of the api
    expect(cookie).not.toMatch(/Secure/i); // only in production
    expect(cookie).not.toContain('admin'); // sealed, not readable
    expect(await session.client.auth.session.query()).toEqual(me);

    await session.client.auth.signOut.mutate();
    expect(session.cookies.has('challenges_session')).toBe(false);
    expect(await session.client.auth.session.query()).toBeNull();
    expect(await outcome(session.client.user.list.query())).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const session = cookieClient(t);
    const wrong = session.client.auth.signIn.mutate({ email: ADMIN.email, password: 'nope-nope' });
    await expect(wrong).rejects.toThrow('invalid email or password');
    const unknown = session.client.auth.signIn.mutate({
      email: 'ghost@example.com',
      password: 'nope-nope',
    });
    await expect(unknown).rejects.toThrow('invalid email or password');
    expect(session.cookies.size).toBe(0);
  });

  it('a forged or tampered cookie is no session', async () => {
    const forged = cookieClient(t, { cookies: new Map([['challenges_session', 'Fe26.2*1*abc']]) });
    expect(await forged.client.auth.session.query()).toBeNull();
    expect(await outcome(forged.client.player.goals.query({ userId: 'u' }))).toBe('UNAUTHORIZED');
  });

  it('disabling a user ends their session at once; enabled again, they sign in anew', async () => {
    const user = await createUser('disabled@example.com', 'editor');
    const victim = await signedIn(t, 'disabled@example.com', 'password-123');
    expect(await outcome(victim.client.player.goals.query({ userId: 'u' }))).toBe('OK');

    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    await admin.client.user.disable.mutate({ userId: user.id });
    expect(await outcome(victim.client.player.goals.query({ userId: 'u' }))).toBe('UNAUTHORIZED');
    expect(await victim.client.auth.session.query()).toBeNull();
    const again = cookieClient(t).client.auth.signIn.mutate({
      email: 'disabled@example.com',
      password: 'password-123',
    });
    await expect(again).rejects.toThrow('invalid email or password');

    await admin.client.user.enable.mutate({ userId: user.id });
    // The old cookie stays dead: enabling does not bring back a session that was ended.
    expect(await outcome(victim.client.player.goals.query({ userId: 'u' }))).toBe('UNAUTHORIZED');
    const back = await signedIn(t, 'disabled@example.com', 'password-123');
    expect(await outcome(back.client.player.goals.query({ userId: 'u' }))).toBe('OK');
  });

  it('a role change ends the sessions of that user; the next sign-in has the new role', async () => {
    const user = await createUser('promoted@example.com', 'viewer');
    const session = await signedIn(t, 'promoted@example.com', 'password-123');
    const reset = (s: typeof session) =>
      s.client.player.resetGoal.mutate({ userId: 'u', goalId: 'g' });
    expect(await outcome(reset(session))).toBe('FORBIDDEN');

    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    await admin.client.user.setRole.mutate({ userId: user.id, role: 'editor' });
    expect(await outcome(reset(session))).toBe('UNAUTHORIZED');
    const promoted = await signedIn(t, 'promoted@example.com', 'password-123');
    expect(await outcome(reset(promoted))).toBe('OK');
    expect(await promoted.client.auth.session.query()).toEqual({
      email: 'promoted@example.com',
      role: 'editor',
    });

    await admin.client.user.setRole.mutate({ userId: user.id, role: 'viewer' });
    expect(await outcome(reset(promoted))).toBe('UNAUTHORIZED');
  });

  it('a deleted user loses the session, and a re-created one with that email does not get it', async () => {
    const user = await createUser('deleted@example.com', 'viewer');
    const session = await signedIn(t, 'deleted@example.com', 'password-123');
    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    await admin.client.user.delete.mutate({ userId: user.id });
    await createUser('deleted@example.com', 'admin');
    expect(await session.client.auth.session.query()).toBeNull();
    expect(await outcome(session.client.user.list.query())).toBe('UNAUTHORIZED');
  });

  it('an admin cannot change their own account; another admin can demote them', async () => {
    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    const self = (await admin.client.user.list.query()).find((u) => u.email === 'root@example.com');
    const selfChanges = [
      () => admin.client.user.disable.mutate({ userId: self!.id }),
      () => admin.client.user.delete.mutate({ userId: self!.id }),
      () => admin.client.user.setRole.mutate({ userId: self!.id, role: 'viewer' }),
    ];
    for (const call of selfChanges) expect(await outcome(call())).toBe('BAD_REQUEST');
    const second = await createUser('second-admin@example.com', 'admin');
    const other = await signedIn(t, 'second-admin@example.com', 'password-123');
    await other.client.user.setRole.mutate({ userId: self!.id, role: 'viewer' });
    expect(await outcome(admin.client.user.list.query())).toBe('UNAUTHORIZED');
    const demoted = await signedIn(t, ADMIN.email, ADMIN.password);
    expect(await outcome(demoted.client.user.delete.mutate({ userId: second.id }))).toBe(
      'FORBIDDEN',
    );
    await other.client.user.setRole.mutate({ userId: self!.id, role: 'admin' });
    const restored = await signedIn(t, ADMIN.email, ADMIN.password);
    expect(await outcome(restored.client.user.delete.mutate({ userId: second.id }))).toBe('OK');
    expect(await outcome(other.client.user.list.query())).toBe('UNAUTHORIZED');
  });

  it('creating a user whose email exists (in any case) is refused and changes nothing', async () => {
    const admin = await signedIn(t, ADMIN.email, ADMIN.password);
    const before = (await admin.client.user.list.query()).length;
    const dup = admin.client.user.create.mutate({
      email: 'ROOT@EXAMPLE.COM',
      password: 'password-123',
      role: 'viewer',
    });
    await expect(dup).rejects.toThrow('already exists');
    expect(await admin.client.user.list.query()).toHaveLength(before);
  });

  it('ten failed sign-ins lock that email from that address, even with the right password', async () => {
    await createUser('locked@example.com', 'viewer');
    const session = cookieClient(t);
    for (let i = 0; i < 10; i++) {
      const bad = session.client.auth.signIn.mutate({ email: 'locked@example.com', password: 'x' });
      expect(await outcome(bad)).toBe('UNAUTHORIZED');
    }
    const right = session.client.auth.signIn.mutate({
      email: 'Locked@example.com',
      password: 'password-123',
    });
    expect(await outcome(right)).toBe('TOO_MANY_REQUESTS');
    // Other accounts are not affected.
    expect(await outcome(signedIn(t, ADMIN.email, ADMIN.password))).toBe('OK');
  });
});

describe('first start without ADMIN_EMAIL', () => {
  it('creates no user; a later start with it creates the admin once and never changes it', async () => {
    const t = await startTestApi();
    const pool = createPool({ databaseUrl: t.databaseUrl, max: 1 });
    try {
      const users = createDashboardUserRepository(createPrismaClient(pool));
      expect(await users.countAll()).toBe(0);
      expect(await outcome(cookieClient(t).client.user.list.query())).toBe('UNAUTHORIZED');

      const log = pino({ level: 'silent' });
      await ensureInitialAdmin(users, { email: 'a@example.com', password: 'first-password' }, log);
      await ensureInitialAdmin(users, { email: 'a@example.com', password: 'other-password' }, log);
      await ensureInitialAdmin(users, { email: 'b@example.com', password: 'other-password' }, log);
      expect((await users.list()).map((u) => [u.email, u.role])).toEqual([
        ['a@example.com', 'admin'],
      ]);
      expect(await outcome(signedIn(t, 'a@example.com', 'first-password'))).toBe('OK');
    } finally {
      await pool.end();
      await t.close();
    }
  });
});

describe('LOCAL_ADMIN=enabled (npm start) without ADMIN_EMAIL', () => {
  it('creates a local admin and prints its generated password once; that password signs in', async () => {
    const t = await startTestApi();
    const pool = createPool({ databaseUrl: t.databaseUrl, max: 1 });
    try {
      const users = createDashboardUserRepository(createPrismaClient(pool));
      const printed: string[] = [];
      const print = (text: string) => printed.push(text);
      const log = pino({ level: 'silent' });
      const config = { email: undefined, password: undefined, generate: true };
      await ensureInitialAdmin(users, config, log, print);
      await ensureInitialAdmin(users, config, log, print);

      expect(printed).toHaveLength(1);
      const [, email, password] =
        /Dashboard admin created: (\S+) \/ (\S+)\n/.exec(printed[0] ?? '') ?? [];
      expect(email).toBe(LOCAL_ADMIN_EMAIL);
      expect(password?.length).toBeGreaterThanOrEqual(20);
      expect(await outcome(signedIn(t, email!, password!))).toBe('OK');
      expect((await users.list()).map((u) => [u.email, u.role])).toEqual([[email, 'admin']]);
    } finally {
      await pool.end();
      await t.close();
    }
  });
});
