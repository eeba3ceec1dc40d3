import { CoreError, type GameEvent } from '@challenges/core';
import {
  type handleUnaryCall,
  type Metadata,
  Server,
  ServerCredentials,
  type ServerErrorResponse,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { IngestKeyVerifier } from '../auth/ingest-keys.ts';
import { metadataText } from '../edge/grpc-status.ts';
import { grpcStatusOf } from '../errors/error-table.ts';
import {
  UserAuthenticationUserLoggedInServiceService,
  type UserLoggedIn,
} from '../gen/accelbyte/iam/account/v1/account.js';
import {
  type StatItemUpdated,
  StatisticStatItemUpdatedServiceService,
} from '../gen/accelbyte/social/statistic/v1/statistic.js';
import type { Empty } from '../gen/google/protobuf/empty.js';
import type { ApiMetrics } from '../metrics/metrics.ts';
import type { EventIngest } from './event-ingest.ts';
import { fromStatItemUpdated, fromUserLoggedIn } from './normalize-event.ts';

const EMPTY: Empty = {};

function toStatus(error: unknown, log: Logger): ServerErrorResponse {
  const { code, details } = grpcStatusOf(error);
  if (details === 'internal error') log.error({ err: error }, 'event OnMessage failed');
  return Object.assign(new Error(details), { code, details });
}

interface OnMessageDeps {
  ingest: EventIngest;
  metrics: ApiMetrics;
  log: Logger;
  /** Checks `x-api-key` (the keys of POST /v1/events); undefined = EVENTS_GRPC_AUTH=none. */
  keys: IngestKeyVerifier | undefined;
}

const unauthenticated = () =>
  new CoreError('UNAUTHENTICATED', 'a valid x-api-key metadata entry is required');

/** Resolves when the call may go on; the key is checked before the message is looked at. */
async function authorize(metadata: Metadata, deps: OnMessageDeps): Promise<void> {
  if (!deps.keys) return;
  const key = metadataText(metadata, 'x-api-key');
  if (key === undefined || key === '' || !(await deps.keys.verify(key))) {
    deps.metrics.ingestError('unauthenticated');
    throw unauthenticated();
  }
}

/** OnMessage of both AccelByte services: key, normalise, then the shared ingest use case. */
function onMessage<T extends { namespace: string }>(
  normalize: (message: T, receivedAt: number) => GameEvent,
  deps: OnMessageDeps,
): handleUnaryCall<T, Empty> {
  const accept = (message: T): Promise<void> => {
    let event: GameEvent;
    try {
      event = normalize(message, Date.now());
    } catch (error) {
      deps.metrics.ingestError('invalid');
      return Promise.reject(error);
    }
    return deps.ingest.ingest(event, message.namespace, 'grpc');
  };
  return (call, callback) => {
    authorize(call.metadata, deps)
      .then(() => accept(call.request))
      .then(
        () => callback(null, EMPTY),
        (error: unknown) => callback(toStatus(error, deps.log)),
      );
  };
}

export interface EventGrpcServer {
  port: number;
  /** Stops taking calls and waits for the ones in flight (their events get flushed meanwhile). */
  close(): Promise<void>;
}

export async function startEventGrpcServer(options: {
  ingest: EventIngest;
  metrics: ApiMetrics;
  log: Logger;
  host: string;
  port: number;
  keys: IngestKeyVerifier | undefined;
}): Promise<EventGrpcServer> {
  const { log } = options;
  const server = new Server();
  server.addService(UserAuthenticationUserLoggedInServiceService, {
    onMessage: onMessage<UserLoggedIn>(fromUserLoggedIn, options),
  });
  server.addService(StatisticStatItemUpdatedServiceService, {
    onMessage: onMessage<StatItemUpdated>(fromStatItemUpdated, options),
  });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  log.info(
    { port, host: options.host, auth: options.keys ? 'key' : 'none' },
    'event gRPC listening',
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // A client that never finishes its call must not hold the shutdown forever.
        const force = setTimeout(() => server.forceShutdown(), 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
