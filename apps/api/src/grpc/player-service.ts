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
import { definitionsForLocale, localizeSelection } from '../edge/locale.ts';
import { assertWellFormed } from '../edge/malformed-request.ts';
import type { PlayerRateLimiter } from '../edge/rate-limit.ts';
import type { GetChallengesRequest, ServiceServer } from '../gen/service/service.js';
import type { PushDeps } from '../push/push-deps.ts';
import type { ChallengesWireAnswer } from './challenges-wire-answer.ts';
import {
  claimMessage,
  initializeMessage,
  rotationMessage,
  selectionMessage,
  setActiveMessage,
} from './player-messages.ts';
import { watchChallengesHandler } from './watch-challenges.ts';

export interface PlayerServiceDeps {
  ctx: AppContext;
  auth: PlayerAuthenticator;
  /** The limiter REST and tRPC use too, so a player has one budget across the edges. */
  limiter: PlayerRateLimiter;
  health: HealthCheck;
  log: Logger;
  /** The push streams (docs/push.md): WatchChallenges. */
  push?: PushDeps;
}

/**
 * ServiceServer, except that GetUserChallenges answers with the player's views, which the
 * service definition's serializer splices into protobuf bytes from pieces encoded once per
 * definitions version (`playerServiceDefinition` in server.ts). Every other method returns a ts-proto message.
 */
export type PlayerServiceServer = {
  [K in keyof ServiceServer as Exclude<K, 'getUserChallenges'>]: ServiceServer[K];
} & {
  getUserChallenges: handleUnaryCall<GetChallengesRequest, ChallengesWireAnswer>;
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

  // i18n (SPEC §2.4): metadata `accept-language`, read only for localized definitions.
  const localeOf = (metadata: Metadata) => () => ({
    acceptLanguage: metadataText(metadata, 'accept-language'),
  });
  const localized = (metadata: Metadata, definitions = ctx.definitions.current()) =>
    definitionsForLocale(definitions, localeOf(metadata));

  /** An authenticated unary method: `run` gets the decoded request, the caller (id, claims), metadata. */
  function player<Req, Res>(
    run: (request: Req, caller: PlayerCaller, metadata: Metadata) => Promise<Res> | Res,
  ): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      authenticate(call.metadata)
        .then((caller) => {
          assertWellFormed(call.request);
          return run(call.request, caller, call.metadata);
        })
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(toServiceError(error, log)),
        );
    };
  }

  return {
    getUserChallenges: player(async (request, caller, metadata) => {
      const result = await listChallenges(ctx, { ...caller, activeOnly: request.activeOnly });
      return { definitions: localized(metadata, result.definitions), views: result.challenges };
    }),

    initializePlayer: player(async (_request, caller, metadata) => {
      const result = await initializePlayer(ctx, caller);
      return initializeMessage({ ...result, definitions: localized(metadata, result.definitions) });
    }),

    setGoalActive: player(async (request, caller) => {
      const params = parseInput(ZGoalParams, request, WHAT);
      const { isActive } = request;
      return setActiveMessage(await setGoalActive(ctx, { ...caller, ...params, isActive }));
    }),

    claimGoalReward: player(async (request, { userId }) => {
      const params = parseInput(ZGoalParams, request, WHAT);
      return claimMessage(await claimGoal(ctx, { userId, ...params }));
    }),

    batchSelectGoals: player(async (request, caller, metadata) => {
      const { challengeId } = parseInput(ZChallengeParams, request, WHAT);
      const body = parseInput(ZBatchSelectBody, request, WHAT);
      const result = await batchSelectGoals(ctx, { ...caller, challengeId, ...body });
      return selectionMessage(localizeSelection(result, localized(metadata)));
    }),

    randomSelectGoals: player(async (request, caller, metadata) => {
      const { challengeId } = parseInput(ZChallengeParams, request, WHAT);
      const body = parseInput(ZRandomSelectBody, request, WHAT);
      const result = await randomSelectGoals(ctx, { ...caller, challengeId, ...body });
      return selectionMessage(localizeSelection(result, localized(metadata)));
    }),

    getRotationStatus: player(async (request, caller) => {
      const { challengeId } = parseInput(ZChallengeParams, request, WHAT);
      await refuseHiddenChallenge(ctx, caller, challengeId);
      return rotationMessage(rotationStatus(ctx, { challengeId }));
    }),

    watchChallenges: watchChallengesHandler({
      hub: deps.push?.hub,
      metrics: deps.push?.metrics,
      authenticate: async (metadata) => (await authenticate(metadata)).userId,
      log,
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
