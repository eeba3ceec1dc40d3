import { CoreError } from '@challenges/core';
import {
  type Server,
  type ServerWritableStream,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

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
    // A stream of requests hands each message to the handler as it comes: left as it is.
    if (method.requestStream) {
      out[name] = method;
      continue;
    }
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

type Malformed = { [MALFORMED]: string };

function isMalformed(request: unknown): request is Malformed {
  return typeof request === 'object' && request !== null && MALFORMED in request;
}

function malformedMessage(request: Malformed): string {
  return `the request is not a valid protobuf message: ${request[MALFORMED]}`;
}

/** Throws INVALID_ARGUMENT for a request tolerantDecoding could not decode. */
export function assertWellFormed(request: unknown): void {
  if (isMalformed(request)) throw new CoreError('INVALID_ARGUMENT', malformedMessage(request));
}

/** The status a wrapped handler answers an undecodable request with. */
function refusal(request: Malformed) {
  return { code: status.INVALID_ARGUMENT, details: malformedMessage(request) };
}

/**
 * For services whose handlers are not ours (grpc.health.v1): a server whose addService decodes
 * tolerantly and answers an undecodable request with INVALID_ARGUMENT before the handler runs.
 */
export function refusingMalformed(server: Server): Server {
  const addService = (service: ServiceDefinition, impl: UntypedServiceImplementation) => {
    const wrapped: UntypedServiceImplementation = { ...impl };
    for (const [name, method] of Object.entries(service)) {
      // grpc-js finds a handler by the method's name or its lower-camel originalName.
      const key = name in impl ? name : method.originalName;
      const handler = key === undefined ? undefined : (impl[key] as (...args: unknown[]) => void);
      if (method.requestStream || !handler || key === undefined) continue;
      wrapped[key] = (
        method.responseStream
          ? (call: ServerWritableStream<unknown, unknown>) =>
              isMalformed(call.request) ? call.emit('error', refusal(call.request)) : handler(call)
          : (call: { request: unknown }, callback: (error: object) => void) =>
              isMalformed(call.request) ? callback(refusal(call.request)) : handler(call, callback)
      ) as UntypedServiceImplementation[string];
    }
    server.addService(tolerantDecoding(service), wrapped);
  };
  return new Proxy(server, {
    get: (target, key, receiver) =>
      key === 'addService' ? addService : Reflect.get(target, key, receiver),
  });
}
