import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with a configured one in constant time for equal lengths. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether an `authorization` header is `Bearer <secret>` (the secret compared in constant time). */
export function bearerIsSecret(authorization: string | undefined, secret: string): boolean {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer !== undefined && sameSecret(bearer, secret);
}
