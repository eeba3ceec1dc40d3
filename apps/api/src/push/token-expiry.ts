import { decodeJwt } from 'jose';

/**
 * When the bearer token of an authenticated stream expires (ms), so the stream ends then; the
 * token was verified by the authenticator already. Undefined without a token (mock auth).
 */
export function tokenExpiryMs(authorization: string | undefined): number | undefined {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
