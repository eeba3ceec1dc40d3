import { AUDIENCE_LIMITS, CoreError, type PlayerAttributes } from '@challenges/core';
import {
  createRemoteJWKSet,
  errors,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type KeyObject,
} from 'jose';
import type { Env } from '../env.ts';

/** Resolves a player's user id from request credentials; the same for REST and gRPC. */
export interface PlayerAuthenticator {
  authenticate(credentials: { authorization?: string; mockUserId?: string }): Promise<string>;
  /**
   * The AUDIENCE_JWT_CLAIMS of credentials `authenticate` just accepted, as player attributes
   * (docs/definitions.md#audiences); undefined when none are configured or carried.
   */
  claimsOf?(credentials: { authorization?: string }): PlayerAttributes | undefined;
}

const MAX_USER_ID_LENGTH = 128;

function unauthenticated(message: string): CoreError {
  return new CoreError('UNAUTHENTICATED', message);
}

function checkedUserId(id: string | undefined): string {
  if (id === undefined || id.trim() === '') throw unauthenticated('missing credentials');
  if (id.length > MAX_USER_ID_LENGTH) throw unauthenticated('user id is too long');
  return id;
}

export function mockAuthenticator(): PlayerAuthenticator {
  return {
    authenticate: async ({ mockUserId }) => checkedUserId(mockUserId),
  };
}

type JwtKey = Uint8Array | KeyObject | JWTVerifyGetKey;

async function resolveKey(env: Env): Promise<{ key: JwtKey; algorithms: string[] }> {
  const configured = env.JWT_ALGORITHMS?.split(',').map((a) => a.trim());
  if (env.JWT_JWKS_URL) {
    return {
      key: createRemoteJWKSet(new URL(env.JWT_JWKS_URL)),
      algorithms: configured ?? ['RS256', 'ES256'],
    };
  }
  if (env.JWT_PUBLIC_KEY) {
    const algorithm = configured?.[0] ?? 'RS256';
    const pem = env.JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    return { key: await importSPKI(pem, algorithm), algorithms: [algorithm] };
  }
  if (env.JWT_SECRET) {
    return { key: new TextEncoder().encode(env.JWT_SECRET), algorithms: configured ?? ['HS256'] };
  }
  throw new Error('AUTH_MODE=jwt needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET');
}

/**
 * Verified tokens by their exact text: a player sends the same token with every call, and an
 * HS256/RS256 verification (base64, JSON, signature) costs more than the rest of a small
 * request's auth. An entry lives until the token's exp but at most `ttlMs`, so a key taken out of
 * a JWKS stops being honoured within that time; the map is cleared when full.
 */
export function verifiedTokenCache(options: { ttlMs: number; maxEntries: number }) {
  const entries = new Map<
    string,
    { userId: string; until: number; claims: PlayerAttributes | undefined }
  >();
  return {
    get(token: string, nowMs: number): string | undefined {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (nowMs < entry.until) return entry.userId;
      entries.delete(token);
      return undefined;
    },
    set(
      token: string,
      userId: string,
      expSeconds: number,
      nowMs: number,
      claims?: PlayerAttributes,
    ): void {
      if (entries.size >= options.maxEntries) entries.clear();
      const until = Math.min(expSeconds * 1000, nowMs + options.ttlMs);
      entries.set(token, { userId, until, claims });
    },
    /** The claims stored with a cached token. */
    claims(token: string): PlayerAttributes | undefined {
      return entries.get(token)?.claims;
    },
  };
}

/** The configured claims the token carries as scalars (others are left out). */
export function claimAttributes(
  payload: JWTPayload,
  names: readonly string[],
): PlayerAttributes | undefined {
  if (names.length === 0) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const name of names) {
    const value = payload[name];
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      out[name] = value;
    } else if (typeof value === 'string' && value.length <= AUDIENCE_LIMITS.stringValueLength) {
      out[name] = value;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export async function jwtAuthenticator(
  env: Env,
  now: () => number = Date.now,
): Promise<PlayerAuthenticator> {
  const { key, algorithms } = await resolveKey(env);
  const verified = verifiedTokenCache({ ttlMs: 60_000, maxEntries: 50_000 });
  const options = {
    algorithms,
    // A token without exp would be valid forever once leaked; without sub it names no player.
    requiredClaims: ['exp', 'sub'],
    ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
    ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
  };
  return {
    authenticate: async ({ authorization }) => {
      const match = authorization?.match(/^Bearer\s+(\S+)$/i);
      const token = match?.[1];
      if (!token) throw unauthenticated('missing bearer token');
      const cached = verified.get(token, now());
      if (cached !== undefined) return cached;
      let payload: JWTPayload;
      try {
        // jose overloads differ by key kind; all three are valid here.
        payload = (
          await jwtVerify(token, key as Uint8Array, { ...options, currentDate: new Date(now()) })
        ).payload;
      } catch (error) {
        // Claims are checked after the signature: a reason here only helps the token's issuer.
        const claim = error instanceof errors.JWTClaimValidationFailed ? `: ${error.message}` : '';
        throw unauthenticated(`invalid token${claim}`);
      }
      const userId = checkedUserId(payload.sub);
      // requiredClaims makes exp a number here.
      verified.set(
        token,
        userId,
        payload.exp!,
        now(),
        claimAttributes(payload, env.audienceJwtClaims),
      );
      return userId;
    },
    // Only with AUDIENCE_JWT_CLAIMS: without, a call does no extra work (`claimsOf?.`).
    ...(env.audienceJwtClaims.length === 0
      ? {}
      : {
          claimsOf: ({ authorization }: { authorization?: string }) => {
            const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
            return token === undefined ? undefined : verified.claims(token);
          },
        }),
  };
}

export async function createAuthenticator(env: Env): Promise<PlayerAuthenticator> {
  return env.AUTH_MODE === 'mock' ? mockAuthenticator() : jwtAuthenticator(env);
}
