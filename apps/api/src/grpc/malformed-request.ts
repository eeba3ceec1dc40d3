import { CoreError } from '@challenges/core';
import type { ServiceDefinition } from '@grpc/grpc-js';

const MALFORMED = Symbol('malformed protobuf request');

/**
 * grpc-js answers a request its deserializer throws on with INTERNAL, before any handler runs:
 * bytes that are not protobuf would read as a server bug, and skip the key or token check. The
 * services decode through this instead; the handler authenticates first, then refuses the
 * marker with INVALID_ARGUMENT (assertWellFormed).
 */
export function tolerantDecoding<T extends ServiceDefinition>(service: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    out[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return { [MALFORMED]: (error as Error).message };
        }
      },
    };
  }
  return out as T;
}

/** Throws INVALID_ARGUMENT for a request tolerantDecoding could not decode. */
export function assertWellFormed(request: unknown): void {
  if (typeof request === 'object' && request !== null && MALFORMED in request) {
    const reason = (request as { [MALFORMED]: string })[MALFORMED];
    throw new CoreError(
      'INVALID_ARGUMENT',
      `the request is not a valid protobuf message: ${reason}`,
    );
  }
}
