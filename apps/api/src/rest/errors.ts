import { CoreError, type CoreErrorCode, isCoreError } from '@challenges/core';

/** gRPC status numbers the REST error body carries in `code`. */
export const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The one table from core error codes to HTTP status and gRPC code. */
export const ERROR_TABLE: Record<CoreErrorCode, { http: number; grpc: number }> = {
  INVALID_ARGUMENT: { http: 400, grpc: GRPC.INVALID_ARGUMENT },
  INVALID_DEFINITIONS: { http: 400, grpc: GRPC.INVALID_ARGUMENT },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GRPC.INVALID_ARGUMENT },
  UNAUTHENTICATED: { http: 401, grpc: GRPC.UNAUTHENTICATED },
  PERMISSION_DENIED: { http: 403, grpc: GRPC.PERMISSION_DENIED },
  NOT_FOUND: { http: 404, grpc: GRPC.NOT_FOUND },
  ROUTE_NOT_FOUND: { http: 404, grpc: GRPC.NOT_FOUND },
  METHOD_NOT_ALLOWED: { http: 405, grpc: GRPC.UNIMPLEMENTED },
  NOT_COMPLETED: { http: 400, grpc: GRPC.FAILED_PRECONDITION },
  GOAL_INACTIVE: { http: 400, grpc: GRPC.FAILED_PRECONDITION },
  GOAL_ROTATED: { http: 400, grpc: GRPC.FAILED_PRECONDITION },
  ALREADY_CLAIMED: { http: 409, grpc: GRPC.ALREADY_EXISTS },
  PREREQUISITES_NOT_MET: { http: 400, grpc: GRPC.FAILED_PRECONDITION },
  INSUFFICIENT_GOALS: { http: 400, grpc: GRPC.FAILED_PRECONDITION },
  RATE_LIMITED: { http: 429, grpc: GRPC.RESOURCE_EXHAUSTED },
  UNAVAILABLE: { http: 503, grpc: GRPC.UNAVAILABLE },
  INTERNAL: { http: 500, grpc: GRPC.INTERNAL },
};

export interface ErrorBody {
  code: number;
  errorCode: CoreErrorCode;
  message: string;
  details: unknown[];
}

export function errorBody(error: CoreError): { status: number; body: ErrorBody } {
  const mapped = ERROR_TABLE[error.code];
  return {
    status: mapped.http,
    body: { code: mapped.grpc, errorCode: error.code, message: error.message, details: [] },
  };
}

/** Fastify's own errors (parsing, limits) and anything unexpected, as core errors. */
export function toCoreError(error: unknown): CoreError {
  if (isCoreError(error)) return error;
  const fastify = error as { code?: string; statusCode?: number; message?: string };
  switch (fastify.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CoreError('PAYLOAD_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new CoreError('INVALID_ARGUMENT', 'a path parameter is too long');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new CoreError('INVALID_ARGUMENT', fastify.message ?? 'invalid request body');
  }
  if (error instanceof SyntaxError) {
    return new CoreError('INVALID_ARGUMENT', `malformed JSON body: ${error.message}`);
  }
  if (fastify.statusCode !== undefined && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return new CoreError('INVALID_ARGUMENT', fastify.message ?? 'invalid request');
  }
  return new CoreError('INTERNAL', 'internal error');
}
