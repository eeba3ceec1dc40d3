import { CoreError, type CoreErrorCode } from '@challenges/core';
import { coreErrorOf, ERROR_TABLE } from '../errors/error-table.ts';

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
  const core = coreErrorOf(error);
  if (core) return core;
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
