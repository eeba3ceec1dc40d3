import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playerToken } from '../testing/player-tokens.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';
import { cookieClient, outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';
import {
  type Access,
  PROCEDURES as EXPECTED,
  type Identity,
  SIGN_IN,
} from '../testing/trpc-procedures.ts';
import { appRouter } from './router.ts';

const RANK: Record<Identity, number> = {
  anonymous: 0,
  player: 0,
  ingestKey: 0,
  viewer: 1,
  editor: 2,
  admin: 3,
};
const NEEDED: Record<Access, number> = { public: 0, player: 0, viewer: 1, editor: 2, admin: 3 };

/** What an identity gets: OK-ish (anything but an auth refusal) or the refusal's code. */
function expected(access: Access, who: Identity): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  if (access === 'public') return 'allowed';
  if (access === 'player') return who === 'player' ? 'allowed' : 'UNAUTHORIZED';
  // Player credentials (or an ingest key) never count for the dashboard: no session is no session.
  if (who === 'anonymous' || who === 'player' || who === 'ingestKey') return 'UNAUTHORIZED';
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
            authorization: `Bearer ${await playerToken('matrix-player', { secret })}`,
          }
        : { 'x-mock-user-id': 'matrix-player' };
    // Frozen too: auth.signIn in the matrix must not leave them holding a session.
    clients.anonymous = cookieClient(t, { frozen: true }).client;
    clients.player = cookieClient(t, { headers: playerHeaders, frozen: true }).client;
    // A game server's ingest key is a credential for the event ports only.
    clients.ingestKey = cookieClient(t, {
      headers: { 'x-api-key': TEST_INGEST_KEY },
      frozen: true,
    }).client;
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

  const identities: Identity[] = ['anonymous', 'player', 'ingestKey', 'viewer', 'editor', 'admin'];
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
