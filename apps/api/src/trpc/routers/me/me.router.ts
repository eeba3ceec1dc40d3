import { formatTimestamp } from '@challenges/core';
import { z } from 'zod';
import { claimGoal } from '../../../application/claim-goal.ts';
import { initializePlayer } from '../../../application/initialize-player.ts';
import { listChallenges } from '../../../application/list-challenges.ts';
import { rotationStatus, rotationStatusJson } from '../../../application/rotation-status.ts';
import { batchSelectGoals, randomSelectGoals } from '../../../application/select-goals.ts';
import { setGoalActive } from '../../../application/set-goal-active.ts';
import { ZGoalParams, ZId } from '../../../edge/inputs.ts';
import { selectionJson } from '../../../edge/outputs.ts';
import { playerProcedure, router } from '../../init.ts';
import {
  challengeListJson,
  initializeJson,
  ZChallengeList,
  ZClaimResult,
  ZInitialize,
  ZRotation,
  ZSelection,
  ZSetActiveResult,
} from './me.schema.ts';

const ZSelectOptions = { replaceExisting: z.boolean().default(false) };

/** The player API over tRPC: the REST use cases with the REST answers, as objects. */
export const meRouter = router({
  list: playerProcedure
    .input(z.object({ activeOnly: z.boolean().default(false) }).default({ activeOnly: false }))
    .output(ZChallengeList)
    .query(async ({ ctx, input }) => {
      const result = await listChallenges(ctx.deps.app, { userId: ctx.userId, ...input });
      return challengeListJson(result.challenges);
    }),

  initialize: playerProcedure.output(ZInitialize).mutation(async ({ ctx }) => {
    return initializeJson(await initializePlayer(ctx.deps.app, { userId: ctx.userId }));
  }),

  setActive: playerProcedure
    .input(ZGoalParams.extend({ isActive: z.boolean() }))
    .output(ZSetActiveResult)
    .mutation(async ({ ctx, input }) => {
      const result = await setGoalActive(ctx.deps.app, { userId: ctx.userId, ...input });
      return { ...result, assignedAt: formatTimestamp(result.assignedAt) };
    }),

  batchSelect: playerProcedure
    .input(z.object({ challengeId: ZId, goalIds: z.array(ZId).max(1000), ...ZSelectOptions }))
    .output(ZSelection)
    .mutation(async ({ ctx, input }) => {
      return selectionJson(await batchSelectGoals(ctx.deps.app, { userId: ctx.userId, ...input }));
    }),

  randomSelect: playerProcedure
    .input(
      z.object({
        challengeId: ZId,
        count: z.number().int().max(1000),
        excludeActive: z.boolean().default(false),
        ...ZSelectOptions,
      }),
    )
    .output(ZSelection)
    .mutation(async ({ ctx, input }) => {
      const result = await randomSelectGoals(ctx.deps.app, { userId: ctx.userId, ...input });
      return selectionJson(result);
    }),

  claim: playerProcedure
    .input(ZGoalParams)
    .output(ZClaimResult)
    .mutation(async ({ ctx, input }) => {
      const result = await claimGoal(ctx.deps.app, { userId: ctx.userId, ...input });
      return { ...result, claimedAt: formatTimestamp(result.claimedAt) };
    }),

  rotation: playerProcedure
    .input(z.object({ challengeId: ZId }))
    .output(ZRotation)
    .query(({ ctx, input }) => {
      return rotationStatusJson(rotationStatus(ctx.deps.app, input));
    }),
});
