import { CoreError, type CoreErrorCode, isCoreError } from '@challenges/core';
import { isTransientDatabaseError } from '@challenges/db';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/** gRPC status numbers; the REST error body carries the same number in `code`. */
export const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * The one table from core error codes to HTTP status, gRPC code and tRPC code. It lives outside rest/ so
 * the REST, gRPC and tRPC edges all map through it.
 */
export const ERROR_TABLE: Record<
  CoreErrorCode,
  { http: number; grpc: number; trpc: TRPC_ERROR_CODE_KEY }
> = {
  INVALID_ARGUMENT: { http: 400, grpc: GRPC.INVALID_ARGUMENT, trpc: 'BAD_REQUEST' },
  INVALID_DEFINITIONS: { http: 400, grpc: GRPC.INVALID_ARGUMENT, trpc: 'BAD_REQUEST' },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GRPC.INVALID_ARGUMENT, trpc: 'PAYLOAD_TOO_LARGE' },
  UNAUTHENTICATED: { http: 401, grpc: GRPC.UNAUTHENTICATED, trpc: 'UNAUTHORIZED' },
  PERMISSION_DENIED: { http: 403, grpc: GRPC.PERMISSION_DENIED, trpc: 'FORBIDDEN' },
  NOT_FOUND: { http: 404, grpc: GRPC.NOT_FOUND, trpc: 'NOT_FOUND' },
  ROUTE_NOT_FOUND: { http: 404, grpc: GRPC.NOT_FOUND, trpc: 'NOT_FOUND' },
  METHOD_NOT_ALLOWED: { http: 405, grpc: GRPC.UNIMPLEMENTED, trpc: 'METHOD_NOT_SUPPORTED' },
  NOT_COMPLETED: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  GOAL_INACTIVE: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  GOAL_ROTATED: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  ALREADY_CLAIMED: { http: 409, grpc: GRPC.ALREADY_EXISTS, trpc: 'CONFLICT' },
  PREREQUISITES_NOT_MET: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  INSUFFICIENT_GOALS: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  GOAL_ENDED: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  CLAIM_WINDOW_CLOSED: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  CONFLICT: { http: 409, grpc: GRPC.ABORTED, trpc: 'CONFLICT' },
  NO_CHANGES: { http: 400, grpc: GRPC.FAILED_PRECONDITION, trpc: 'PRECONDITION_FAILED' },
  RATE_LIMITED: { http: 429, grpc: GRPC.RESOURCE_EXHAUSTED, trpc: 'TOO_MANY_REQUESTS' },
  UNAVAILABLE: { http: 503, grpc: GRPC.UNAVAILABLE, trpc: 'SERVICE_UNAVAILABLE' },
  INTERNAL: { http: 500, grpc: GRPC.INTERNAL, trpc: 'INTERNAL_SERVER_ERROR' },
};

/**
 * What a thrown value means to a caller: a core error as it is; PostgreSQL unreachable (or
 * refusing connections) is UNAVAILABLE, so clients retry instead of reporting a bug; anything
 * else is undefined (INTERNAL, logged).
 */
export function coreErrorOf(error: unknown): CoreError | undefined {
  if (isCoreError(error)) return error;
  if (isTransientDatabaseError(error)) {
    return new CoreError('UNAVAILABLE', 'the database is unavailable; retry later');
  }
  return undefined;
}

/** A gRPC edge's status for any thrown value: core errors by the table, anything else INTERNAL. */
export function grpcStatusOf(error: unknown): { code: number; details: string } {
  const core = coreErrorOf(error);
  if (core) return { code: ERROR_TABLE[core.code].grpc, details: core.message };
  return { code: GRPC.INTERNAL, details: 'internal error' };
}
