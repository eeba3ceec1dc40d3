import {
  encodeChallengesJson,
  encodeInitializeJson,
  formatTimestamp,
  type PlayerAttributes,
} from '@challenges/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { claimGoal } from '../application/claim-goal.ts';
import type { AppContext } from '../application/context.ts';
import { deletePlayerData } from '../application/delete-player-data.ts';
import { initializePlayer } from '../application/initialize-player.ts';
import { listChallenges } from '../application/list-challenges.ts';
import { refuseHiddenChallenge } from '../application/player-audience.ts';
import { rotationStatus, rotationStatusJson } from '../application/rotation-status.ts';
import { batchSelectGoals, randomSelectGoals } from '../application/select-goals.ts';
import { setGoalActive } from '../application/set-goal-active.ts';
import type { PlayerAuthenticator } from '../auth/player-auth.ts';
import {
  parseInput,
  ZBatchSelectBody,
  ZChallengeParams,
  ZGoalParams,
  ZListQuery,
  ZRandomSelectBody,
  ZSetActiveBody,
} from '../edge/inputs.ts';
import { definitionsForLocale, localizeSelection } from '../edge/locale.ts';
import { selectionJson } from '../edge/outputs.ts';
import type { PlayerRateLimiter } from '../edge/rate-limit.ts';
import type { PushDeps } from '../push/push-deps.ts';
import { responseBufferPool } from './response-buffers.ts';
import { registerStreamRoute } from './stream.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    userId: string;
    /** The caller's AUDIENCE_JWT_CLAIMS (player attributes); undefined: none. */
    claims: PlayerAttributes | undefined;
  }
}

/** Sends pre-encoded JSON without a copy. */
function sendJsonBytes(reply: FastifyReply, body: Uint8Array) {
  return reply
    .type('application/json; charset=utf-8')
    .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

/** The player API of the contract (docs/api.md), under the base path. */
export function registerPlayerRoutes(
  app: FastifyInstance,
  deps: {
    ctx: AppContext;
    auth: PlayerAuthenticator;
    limiter: PlayerRateLimiter;
    /** Push streams (docs/push.md): the SSE route. */
    push?: PushDeps;
  },
): void {
  const { ctx, auth, limiter, push } = deps;
  const buffers = responseBufferPool();
  const header = (req: FastifyRequest, name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };

  app.decorateRequest('userId', '');
  app.decorateRequest('claims', undefined);
  app.addHook('preHandler', async (req) => {
    const authorization = header(req, 'authorization');
    req.userId = await auth.authenticate({
      authorization,
      mockUserId: header(req, 'x-mock-user-id'),
    });
    req.claims = auth.claimsOf?.({ authorization });
    await limiter.check(req.userId);
  });
  // i18n (SPEC §2.4): `?locale=` then Accept-Language; read only for localized definitions.
  const localeOf = (req: FastifyRequest) => () => ({
    query: req.query,
    acceptLanguage: header(req, 'accept-language'),
  });
  const localized = (req: FastifyRequest) =>
    definitionsForLocale(ctx.definitions.current(), localeOf(req));
  // The player's own writes reach their streams from the use cases (application/announce.ts).
  if (push?.hub) registerStreamRoute(app, { hub: push.hub, metrics: push.metrics });

  app.get('/v1/challenges', async (req, reply) => {
    const { activeOnly } = parseInput(ZListQuery, req.query, 'query');
    const result = await listChallenges(ctx, {
      userId: req.userId,
      claims: req.claims,
      activeOnly,
    });
    const definitions = definitionsForLocale(result.definitions, localeOf(req));
    return sendJsonBytes(
      reply,
      encodeChallengesJson(definitions, result.challenges, buffers.allocatorFor(reply)),
    );
  });

  app.post('/v1/challenges/initialize', async (req, reply) => {
    const result = await initializePlayer(ctx, { userId: req.userId, claims: req.claims });
    const definitions = definitionsForLocale(result.definitions, localeOf(req));
    return sendJsonBytes(
      reply,
      encodeInitializeJson(definitions, result, buffers.allocatorFor(reply)),
    );
  });

  app.put('/v1/challenges/:challengeId/goals/:goalId/active', async (req) => {
    const params = parseInput(ZGoalParams, req.params, 'path');
    const { isActive } = parseInput(ZSetActiveBody, req.body, 'body');
    const result = await setGoalActive(ctx, {
      userId: req.userId,
      claims: req.claims,
      ...params,
      isActive,
    });
    return { ...result, assignedAt: formatTimestamp(result.assignedAt) };
  });

  app.post('/v1/challenges/:challengeId/goals/:goalId/claim', async (req) => {
    const params = parseInput(ZGoalParams, req.params, 'path');
    const result = await claimGoal(ctx, { userId: req.userId, ...params });
    return { ...result, claimedAt: formatTimestamp(result.claimedAt) };
  });

  app.post('/v1/challenges/:challengeId/goals/batch-select', async (req) => {
    const { challengeId } = parseInput(ZChallengeParams, req.params, 'path');
    const body = parseInput(ZBatchSelectBody, req.body, 'body');
    const result = await batchSelectGoals(ctx, {
      userId: req.userId,
      claims: req.claims,
      challengeId,
      ...body,
    });
    return selectionJson(localizeSelection(result, localized(req)));
  });

  app.post('/v1/challenges/:challengeId/goals/random-select', async (req) => {
    const { challengeId } = parseInput(ZChallengeParams, req.params, 'path');
    const body = parseInput(ZRandomSelectBody, req.body, 'body');
    const result = await randomSelectGoals(ctx, {
      userId: req.userId,
      claims: req.claims,
      challengeId,
      ...body,
    });
    return selectionJson(localizeSelection(result, localized(req)));
  });

  app.get('/v1/challenges/:challengeId/rotation', async (req) => {
    const { challengeId } = parseInput(ZChallengeParams, req.params, 'path');
    await refuseHiddenChallenge(ctx, { userId: req.userId, claims: req.claims }, challengeId);
    return rotationStatusJson(rotationStatus(ctx, { challengeId }));
  });

  app.delete('/v1/users/me/data', async (req) => deletePlayerData(ctx, { userId: req.userId }));
}
