import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { cookieClient, outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';
import { appRouter } from './router.ts';

type Access = 'public' | 'player' | 'viewer' | 'editor' | 'admin';
type Identity = 'anonymous' | 'player' | 'viewer' | 'editor' | 'admin';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const SIGN_IN = { email: 'matrix-signin@example.com', password: 'matrix-password' };

/**
 * Who may call what, and a valid input to call it with. Every procedure of the router needs a
 * row: a new procedure without one fails the first test below.
 */
const EXPECTED: Record<string, { access: Access; input?: unknown; endsSessions?: boolean }> = {
  'auth.signIn': { access: 'public', input: SIGN_IN },
  // Ends every session of the caller: the identities sign in again after this row.
  'auth.signOut': { access: 'public', endsSessions: true },
  'auth.session': { access: 'public' },
  // A wrong current password: allowed through auth, refused as BAD_REQUEST, nothing changes.
  'auth.changePassword': {
    access: 'viewer',
    input: { currentPassword: 'not-my-password', newPassword: 'matrix-new-password' },
  },
  'user.list': { access: 'admin' },
  'user.create': {
    access: 'admin',
    input: { email: 'new@example.com', password: 'password-123', role: 'viewer' },
  },
  'user.setRole': { access: 'admin', input: { userId: MISSING_ID, role: 'editor' } },
  'user.disable': { access: 'admin', input: { userId: MISSING_ID } },
  'user.enable': { access: 'admin', input: { userId: MISSING_ID } },
  'user.delete': { access: 'admin', input: { userId: MISSING_ID } },
  'user.resetPassword': {
    access: 'admin',
    input: { userId: MISSING_ID, password: 'password-123' },
  },
  'apiKey.list': { access: 'admin' },
  'apiKey.create': { access: 'admin', input: { name: 'matrix' } },
  'apiKey.revoke': { access: 'admin', input: { id: MISSING_ID } },
  'player.goals': { access: 'viewer', input: { userId: 'someone' } },
  'player.setActive': {
    access: 'editor',
    input: { userId: 'someone', challengeId: 'c', goalId: 'g', isActive: true },
  },
  'player.resetGoal': { access: 'editor', input: { userId: 'someone', goalId: 'g' } },
  'player.deleteData': { access: 'editor', input: { userId: 'someone' } },
  'me.list': { access: 'player', input: { activeOnly: false } },
  'me.initialize': { access: 'player' },
  'me.setActive': { access: 'player', input: { challengeId: 'c', goalId: 'g', isActive: true } },
  'me.batchSelect': { access: 'player', input: { challengeId: 'c', goalIds: ['g'] } },
  'me.randomSelect': { access: 'player', input: { challengeId: 'c', count: 1 } },
  'me.claim': { access: 'player', input: { challengeId: 'c', goalId: 'g' } },
  'me.rotation': { access: 'player', input: { challengeId: 'c' } },
  'challenge.versions': { access: 'viewer', input: { limit: 10 } },
  'challenge.draft': { access: 'viewer' },
  'challenge.validateDraft': { access: 'viewer' },
  'challenge.diffDraft': { access: 'viewer' },
  'challenge.export': { access: 'viewer', input: {} },
  'challenge.audit': { access: 'viewer', input: { limit: 10 } },
  'challenge.updateDraft': { access: 'editor', input: { content: { challenges: [] } } },
  'challenge.publish': { access: 'editor', input: { note: 'matrix' } },
  'challenge.rollback': { access: 'editor', input: { version: 1 } },
  'challenge.import': { access: 'editor', input: { content: { challenges: [] }, publish: false } },
  'challenge.goalStats': { access: 'viewer' },
  'live.processes': { access: 'viewer' },
  'live.series': { access: 'viewer', input: { windowSeconds: 10 } },
  // An id no process has: the admin gets NOT_FOUND at once instead of a profile's wait.
  'profile.cpu': { access: 'admin', input: { processId: 'api:nowhere:1', seconds: 1 } },
  'profile.heap': { access: 'admin', input: { processId: 'api:nowhere:1', seconds: 1 } },
  'reward.list': { access: 'viewer', input: { limit: 10 } },
  'reward.events': { access: 'viewer', input: { grantId: '1' } },
  'reward.retry': { access: 'editor', input: { ids: ['1'] } },
  'loadtest.list': { access: 'viewer', input: { limit: 10 } },
  'loadtest.get': { access: 'viewer', input: { id: 'lt-missing' } },
  // startTestApi's runner is a fake one: the admin's call spawns no real traffic.
  'loadtest.start': {
    access: 'admin',
    input: { scenario: 'list', rps: 1, eps: 0, durationSeconds: 1, users: 1 },
  },
  'loadtest.cancel': { access: 'admin', input: { id: 'lt-missing' } },
};

const RANK: Record<Identity, number> = { anonymous: 0, player: 0, viewer: 1, editor: 2, admin: 3 };
const NEEDED: Record<Access, number> = { public: 0, player: 0, viewer: 1, editor: 2, admin: 3 };

/** What an identity gets: OK-ish (anything but an auth refusal) or the refusal's code. */
function expected(access: Access, who: Identity): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  if (access === 'public') return 'allowed';
  if (access === 'player') return who === 'player' ? 'allowed' : 'UNAUTHORIZED';
  // Player credentials never count for the dashboard: no session is no session.
  if (who === 'anonymous' || who === 'player') return 'UNAUTHORIZED';
  return RANK[who] >= NEEDED[access] ? 'allowed' : 'FORBIDDEN';
}

/**
 * What counts as "allowed": the call went through authorization and either succeeded or was
 * refused by the procedure itself for its input (the matrix uses ids that do not exist). A 500 or
 * any other code is shown as itself, so a procedure that crashes never passes as allowed.
 */
const ANSWERS_OF_AN_AUTHORIZED_CALL = new Set([
  'OK',
  'BAD_REQUEST',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
]);

function asSeen(code: string): string {
  return ANSWERS_OF_AN_AUTHORIZED_CALL.has(code) ? 'allowed' : code;
}

async function call(client: TrpcTestClient, path: string, input: unknown): Promise<string> {
  const [area, name] = path.split('.') as [string, string];
  const procedure = (client as any)[area][name];
  const type = (appRouter._def.procedures as Record<string, any>)[path]._def.type;
  return outcome(type === 'query' ? procedure.query(input) : procedure.mutate(input));
}

describe.each(['mock', 'jwt'] as const)('authorization matrix (AUTH_MODE=%s)', (mode) => {
  let t: TestApi;
  const clients = {} as Record<Identity, TrpcTestClient>;
  const secret = 'matrix-jwt-secret-matrix-jwt-secret';

  beforeAll(async () => {
    t = await startTestApi({
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'admin-password',
      ...(mode === 'jwt' ? { AUTH_MODE: 'jwt', JWT_SECRET: secret } : {}),
    });
    const admin = await signedIn(t, 'admin@example.com', 'admin-password');
    for (const [email, role] of [
      ['viewer@example.com', 'viewer'],
      ['editor@example.com', 'editor'],
      [SIGN_IN.email, 'viewer'],
    ] as const) {
      const password = email === SIGN_IN.email ? SIGN_IN.password : 'password-123';
      await admin.client.user.create.mutate({ email, password, role });
    }
    const playerHeaders: Record<string, string> =
      mode === 'jwt'
        ? {
            authorization: `Bearer ${await new SignJWT({})
              .setProtectedHeader({ alg: 'HS256' })
              .setSubject('matrix-player')
              .setExpirationTime('1h')
              .sign(new TextEncoder().encode(secret))}`,
          }
        : { 'x-mock-user-id': 'matrix-player' };
    // Frozen too: auth.signIn in the matrix must not leave them holding a session.
    clients.anonymous = cookieClient(t, { frozen: true }).client;
    clients.player = cookieClient(t, { headers: playerHeaders, frozen: true }).client;
    await signInDashboardUsers();
  });

  async function signInDashboardUsers() {
    const frozen = async (email: string, password: string) =>
      cookieClient(t, { cookies: (await signedIn(t, email, password)).cookies, frozen: true })
        .client;
    clients.viewer = await frozen('viewer@example.com', 'password-123');
    clients.editor = await frozen('editor@example.com', 'password-123');
    clients.admin = await frozen('admin@example.com', 'admin-password');
  }
  afterAll(async () => {
    await t?.close();
  });

  it('has an expected-access entry for every procedure of the router, and no stale ones', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  const identities: Identity[] = ['anonymous', 'player', 'viewer', 'editor', 'admin'];
  it.each(Object.keys(appRouter._def.procedures).sort())('%s', async (path) => {
    const entry = EXPECTED[path];
    expect(entry, `no expected-access entry for ${path}`).toBeDefined();
    const actual: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    for (const who of identities) {
      const code = await call(clients[who], path, entry!.input);
      actual[who] = asSeen(code);
      wanted[who] = expected(entry!.access, who);
    }
    if (entry!.endsSessions) await signInDashboardUsers();
    expect(actual).toEqual(wanted);
  });
});
