import { CoreError } from '@challenges/core';
import type { handleServerStreamingCall, Metadata, ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { metadataText, toServiceError } from '../edge/grpc-status.ts';
import { assertWellFormed } from '../edge/malformed-request.ts';
import {
  type ChallengesEvent,
  GetChallengesResponse,
  type WatchChallengesRequest,
} from '../gen/service/service.js';
import { goalChangeJson } from '../push/goal-changes.ts';
import type { StreamEvent, StreamHub } from '../push/stream-hub.ts';
import type { StreamMetrics } from '../push/stream-metrics.ts';
import { tokenExpiryMs } from '../push/token-expiry.ts';
import { serializeChallengesWire } from './challenges-wire-answer.ts';

function eventMessage(event: StreamEvent): ChallengesEvent {
  if (event.kind === 'snapshot') {
    // The snapshot's challenges as GetUserChallenges encodes them, decoded at once into messages
    // (the bytes live in the shared scratch buffer until the next encode).
    const bytes = serializeChallengesWire({
      definitions: event.definitions,
      views: event.challenges,
    });
    const { challenges } = GetChallengesResponse.decode(bytes);
    return { id: event.id, type: 'snapshot', challenges, goals: [] };
  }
  return { id: event.id, type: 'change', challenges: [], goals: event.goals.map(goalChangeJson) };
}

/** WatchChallenges: the SSE stream's events as messages (docs/push.md). */
export function watchChallengesHandler(deps: {
  hub: StreamHub | undefined;
  metrics?: StreamMetrics;
  authenticate: (metadata: Metadata) => Promise<string>;
  log: Logger;
}): handleServerStreamingCall<WatchChallengesRequest, ChallengesEvent> {
  const { hub, log } = deps;
  return (call: ServerWritableStream<WatchChallengesRequest, ChallengesEvent>) => {
    let closer: (() => void) | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      closer?.();
      call.end();
    };
    call.on('cancelled', () => {
      ended = true;
      closer?.();
    });
    const open = async () => {
      // Refusals of the edge (auth, rate limit); the hub counts its own (the stream cap).
      const userId = await deps.authenticate(call.metadata).catch((error: unknown) => {
        if (error instanceof CoreError && error.code === 'UNAUTHENTICATED') {
          deps.metrics?.refused('auth');
        } else if (error instanceof CoreError && error.code === 'RATE_LIMITED') {
          deps.metrics?.refused('rate_limited');
        }
        throw error;
      });
      assertWellFormed(call.request);
      if (!hub) throw new Error('streams are not enabled on this replica');
      const lastEventId = call.request.lastEventId || metadataText(call.metadata, 'last-event-id');
      closer = await hub.open({
        transport: 'grpc',
        userId,
        lastEventId,
        expiresAtMs: tokenExpiryMs(metadataText(call.metadata, 'authorization')),
        sink: {
          send: (event) => {
            if (!ended) call.write(eventMessage(event));
          },
          // HTTP/2 keeps the connection alive with its own pings (grpc-js keepalive).
          heartbeat: () => undefined,
          close: end,
        },
      });
      if (ended) closer();
    };
    open().catch((error: unknown) => {
      if (ended) return;
      ended = true;
      call.emit('error', toServiceError(error, log));
    });
  };
}
