/**
 * The one error type of the domain. Every edge (REST, gRPC, tRPC) maps `code` through exactly
 * one table to its own status; the message is shown to clients as is.
 */
export const CORE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_DEFINITIONS',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NOT_COMPLETED',
  'GOAL_INACTIVE',
  'GOAL_ROTATED',
  'ALREADY_CLAIMED',
  'PREREQUISITES_NOT_MET',
  'INSUFFICIENT_GOALS',
  'GOAL_ENDED',
  'CLAIM_WINDOW_CLOSED',
  'RATE_LIMITED',
  'CONFLICT',
  'NO_CHANGES',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    /** Extra machine-readable facts (e.g. every validation problem of a definitions file). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export function isCoreError(value: unknown): value is CoreError {
  return value instanceof CoreError;
}
