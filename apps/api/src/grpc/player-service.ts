import { CoreError } from '@challenges/core';
import type { handleUnaryCall, Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { claimGoal } from '../application/claim-goal.ts';
import type { AppContext } from '../application/context.ts';
import { initializePlayer } from '../application/initialize-player.ts';
import { listChallenges } from '../application/list-challenges.ts';
import { type PlayerCaller, refuseHiddenChallenge } from '../application/player-audience.ts';
import { rotationStatus } from '../application/rotation-status.ts';
import { batchSelectGoals, randomSelectGoals } from '../application/select-goals.ts';
import { setGoalActive } from '../application/set-goal-active.ts';
import type { PlayerAuthenticator } from '../auth/player-auth.ts';
import { metadataText, toServiceError } from '../edge/grpc-status.ts';
import type { HealthCheck } from '../edge/health.ts';
import {
  parseInput,
  ZBatchSelectBody,
  ZChallengeParams,
  ZGoalParams,
  ZRandomSelectBody,
} from '../edge/inputs.ts';
import { assertWellFormed } from '../edge/malformed-request.ts';
import type { PlayerRateLimiter } from '../edge/rate-limit.ts';
import type { GetChallengesRequest, ServiceServer } from '../gen/service/service.js';
import { challengesWireBytes } from './challenges-wire.ts';
import {
  claimMessage,
  initializeMessage,
  rotationMessage,
  selectionMessage,
  setActiveMessage,
} from './player-messages.ts';

export interface PlayerServiceDeps {
  ctx: AppContext;
  auth: PlayerAuthenticator;
  /** The limiter REST and tRPC use too, so a player has one budget across the edges. */
  limiter: PlayerRateLimiter;
  health: HealthCheck;
  log: Logger;
}

/**
 * ServiceServer, except that GetUserChallenges answers with its protobuf bytes, spliced from
 * pieces encoded once per definitions version; the service definition passes them through
 * (`playerServiceDefinition` in server.ts). Every other method returns a ts-proto message.
 */
export type PlayerServiceServer = {
  [K in keyof ServiceServer as Exclude<K, 'getUserChallenges'>]: ServiceServer[K];
} & {
  getUserChallenges: handleUnaryCall<GetChallengesRequest, Buffer>;
};

// gRPC requests have no path/body split; the REST messages name "path"/"body", ours "request".
const WHAT = 'request';

/**
 * The player facade (docs/api.md): each method decodes its request, calls the same application
 * function as its REST route and encodes the result; errors go through the one error table.
 */
export function playerService(deps: PlayerServiceDeps): PlayerServiceServer {
  const { ctx, auth, limiter, log } = deps;

  const authenticate = async (metadata: Metadata): Promise<PlayerCaller> => {
    const authorization = metadataText(metadata, 'authorization');
    const userId = await auth.authenticate({
      authorization,
      mockUserId: metadataText(metadata, 'x-mock-user-id'),
    });
    await limiter.check(userId);
    return { userId, claims: auth.claimsOf?.({ authorization }) };
  };

  /** An authenticated unary method: `run` gets the decoded request and the caller's id. */
  function player<Req, Res>(
    run: (request: Req, userId: string, caller: PlayerCaller) => Promise<Res> | Res,
  ): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      authenticate(call.metadata)
        .then((caller) => {
          assertWellFormed(call.request);
          return run(call.request, caller.userId, caller);
        })
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(toServiceError(error, log)),
        );
    };
  }

  return {
    getUserChallenges: player(async (request, _userId, caller) => {
      const result = await listChallenges(ctx, { ...caller, activeOnly: request.activeOnly });
      return challengesWireBytes(result.definitions, result.challenges);
    }),

    initializePlayer: player(async (_request, _userId, caller) =>
      initializeMessage(await initializePlayer(ctx, caller)),
    ),

    setGoalActive: player(async (request, _userId, caller) => {
      const params = parseInput(ZGoalParams, request, WHAT);
      const { isActive } = request;
      return setActiveMessage(await setGoalActive(ctx, { ...caller, ...params, isActive }));
    }),

    claimGoalReward: player(async (request, userId) => {
      const params = parseInput(ZGoalParams, request, WHAT);
      return claimMessage(await claimGoal(ctx, { userId, ...params }));
    }),

    batchSelectGoals: player(async (request, _userId, caller) => {
      const { challengeId } = parseInput(ZChallengeParams, request, WHAT);
      const body = parseInput(ZBatchSelectBody, request, WHAT);
      return selectionMessage(await batchSelectGoals(ctx, { ...caller, challengeId, ...body }));
    }),

    randomSelectGoals: player(async (request, _userId, caller) => {
      const { challengeId } = parseInput(ZChallengeParams, request, WHAT);
      const body = parseInput(ZRandomSelectBody, request, WHAT);
      return selectionMessage(await randomSelectGoals(ctx, { ...caller, challengeId, ...body }));
    }),

    getRotationStatus: player(async (request, _userId, caller) => {
      const { challengeId } = parseInput(ZChallengeParams, request, WHAT);
      await refuseHiddenChallenge(ctx, caller, challengeId);
      return rotationMessage(rotationStatus(ctx, { challengeId }));
    }),

    // No auth, like GET /healthz: load balancers and probes call it.
    healthCheck: (_call, callback) => {
      deps.health().then(
        (result) => {
          if (result.healthy) return callback(null, { status: 'healthy' });
          const failed = Object.entries(result.checks).filter(([, v]) => v !== 'ok');
          const message = `unhealthy: ${failed.map(([k, v]) => `${k} ${v}`).join(', ')}`;
          callback(toServiceError(new CoreError('UNAVAILABLE', message), log));
        },
        (error: unknown) => callback(toServiceError(error, log)),
      );
    },
  };
}
