import { randomUUID } from 'node:crypto';

/**
 * UUIDs, trace ids, ULIDs and base64 ids fit; anything longer or with other characters would
 * let a caller bloat or forge log lines, so it is replaced by a fresh id.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** The caller's `x-request-id` when it is safe to log and echo, otherwise a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
