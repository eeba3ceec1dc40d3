import type { GameEvent } from '@challenges/core';
import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerErrorResponse,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
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
import type { EventIngest } from '../ingest/event-ingest.ts';
import { fromStatItemUpdated, fromUserLoggedIn } from '../ingest/normalize-event.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';

const EMPTY: Empty = {};

function toStatus(error: unknown, log: Logger): ServerErrorResponse {
  const { code, details } = grpcStatusOf(error);
  if (details === 'internal error') log.error({ err: error }, 'event OnMessage failed');
  return Object.assign(new Error(details), { code, details });
}

/** OnMessage of both AccelByte services: decode, normalise, then the shared ingest use case. */
function onMessage<T extends { namespace: string }>(
  normalize: (message: T, receivedAt: number) => GameEvent,
  deps: { ingest: EventIngest; metrics: ApiMetrics; log: Logger },
): handleUnaryCall<T, Empty> {
  return (call, callback) => {
    let event: GameEvent;
    try {
      event = normalize(call.request, Date.now());
    } catch (error) {
      deps.metrics.ingestError('invalid');
      callback(toStatus(error, deps.log));
      return;
    }
    deps.ingest.ingest(event, call.request.namespace, 'grpc').then(
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
  log.info({ port }, 'event gRPC listening');
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
