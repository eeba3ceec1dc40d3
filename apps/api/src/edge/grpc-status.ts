import { Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { coreErrorOf, grpcStatusOf } from '../errors/error-table.ts';

/**
 * Any thrown value as a gRPC status through the one error table; the message is the core
 * message, and the stable name rides in the `error-code` trailer so clients need not parse text.
 */
export function toServiceError(error: unknown, log: Logger): Partial<ServiceError> {
  const core = coreErrorOf(error);
  if (!core) log.error({ err: error }, 'gRPC call failed');
  else if (core !== error) log.warn({ err: error }, 'gRPC call failed: dependency unavailable');
  const { code, details } = grpcStatusOf(error);
  const metadata = new Metadata();
  metadata.set('error-code', core?.code ?? 'INTERNAL');
  return { code: code as status, details, metadata };
}

/** The first value of a metadata key as text (grpc-js gives binary keys as Buffers). */
export function metadataText(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : value.toString();
}
