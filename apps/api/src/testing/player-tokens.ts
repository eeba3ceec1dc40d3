import fc from 'fast-check';
import { SignJWT } from 'jose';
import { headerText } from './fuzz.ts';

/** The JWT_SECRET of the test apis that run AUTH_MODE=jwt for the fuzz and the matrix. */
export const TEST_JWT_SECRET = 'fuzz-and-matrix-jwt-secret-0123456789';

/** An HS256 player token as a game backend would mint it; options make it a broken one. */
export async function playerToken(
  sub: string | undefined,
  options: {
    secret?: string;
    expiresIn?: string | number | null;
    alg?: 'HS256' | 'HS512';
    /** Extra claims (e.g. the AUDIENCE_JWT_CLAIMS an audience reads). */
    claims?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const jwt = new SignJWT(options.claims ?? {}).setProtectedHeader({ alg: options.alg ?? 'HS256' });
  if (sub !== undefined) jwt.setSubject(sub);
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '1h');
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Player credentials that must all be refused with UNAUTHENTICATED in AUTH_MODE=jwt: nothing,
 * junk, a mock id, tokens signed with another key, without exp or sub, expired, another
 * algorithm, `alg: none`, a subject too long to be a user id.
 */
export async function refusedPlayerCredentials(): Promise<fc.Arbitrary<Record<string, string>>> {
  const badTokens = await Promise.all([
    playerToken('fuzz-player', { secret: 'another-secret-another-secret-another' }),
    playerToken('fuzz-player', { expiresIn: null }),
    playerToken(undefined),
    playerToken(''),
    playerToken('fuzz-player', { expiresIn: Math.floor(Date.now() / 1000) - 3600 }),
    playerToken('x'.repeat(129)),
    playerToken('fuzz-player', { alg: 'HS512' }),
    `${b64({ alg: 'none' })}.${b64({ sub: 'fuzz-player', exp: 4e9 })}.`,
  ]);
  return fc.oneof(
    fc.constant({}),
    headerText().map((junk) => ({ authorization: junk })),
    headerText().map((junk) => ({ authorization: `Bearer ${junk}` })),
    headerText({ maxLength: 40 }).map((id) => ({ 'x-mock-user-id': id || 'someone' })),
    fc.constantFrom(...badTokens).map((token) => ({ authorization: `Bearer ${token}` })),
  );
}
