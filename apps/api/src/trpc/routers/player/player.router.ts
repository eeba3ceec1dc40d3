import { formatTimestamp, playerAttributesSchema } from '@challenges/core';
import { z } from 'zod';
import { deletePlayerData } from '../../../application/delete-player-data.ts';
import { listChallenges } from '../../../application/list-challenges.ts';
import { playerTimeline, searchPlayers } from '../../../application/player-history.ts';
import { resetGoal } from '../../../application/reset-goal.ts';
import { setGoalActive } from '../../../application/set-goal-active.ts';
import { ZId } from '../../../edge/inputs.ts';
import { editorProcedure, router, viewerProcedure } from '../../init.ts';
import { listGoalJson, ZListGoal, ZSetActiveResult } from '../me/me.schema.ts';
import {
  timelineEntryJson,
  ZPlayerSearch,
  ZPlayerSearchInput,
  ZPlayerTimeline,
  ZPlayerTimelineInput,
} from './player-history.schema.ts';

const ZPlayerGoals = z.object({
  userId: z.string(),
  challenges: z.array(
    z.object({
      challengeId: z.string(),
      name: z.string(),
      description: z.string(),
      // Live-ops also want to see when a goal was assigned, which the player list leaves out.
      goals: z.array(ZListGoal.extend({ assignedAt: z.string() })),
    }),
  ),
});

const ZUser = z.object({ userId: ZId });

/** Live-ops look-up of one player (viewer) and fixes to their goals (editor). */
export const playerRouter = router({
  goals: viewerProcedure
    .input(ZUser)
    .output(ZPlayerGoals)
    .query(async ({ ctx, input }) => {
      const result = await listChallenges(ctx.deps.app, {
        userId: input.userId,
        activeOnly: false,
      });
      return {
        userId: input.userId,
        challenges: result.challenges.map(({ challenge, goals }) => ({
          challengeId: challenge.challengeId,
          name: challenge.name,
          description: challenge.description,
          goals: goals.map((view) => ({
            ...listGoalJson(view),
            assignedAt: formatTimestamp(view.assignedAt),
          })),
        })),
      };
    }),

  /** Players whose id starts with the prefix: any player with a goal row or a stat ledger. */
  search: viewerProcedure
    .input(ZPlayerSearchInput)
    .output(ZPlayerSearch)
    .query(({ ctx, input: { prefix, cursor, limit } }) =>
      searchPlayers(ctx.deps.app, { prefix, after: cursor, limit }),
    ),

  /** Events applied, assignments, completions, claims and reward grant steps, newest first. */
  timeline: viewerProcedure
    .input(ZPlayerTimelineInput)
    .output(ZPlayerTimeline)
    .query(async ({ ctx, input }) => {
      const page = await playerTimeline(ctx.deps.app, input);
      return { entries: page.entries.map(timelineEntryJson), nextCursor: page.nextCursor };
    }),

  setActive: editorProcedure
    .input(ZUser.extend({ challengeId: ZId, goalId: ZId, isActive: z.boolean() }))
    .output(ZSetActiveResult)
    .mutation(async ({ ctx, input }) => {
      const result = await setGoalActive(ctx.deps.app, input);
      return { ...result, assignedAt: formatTimestamp(result.assignedAt) };
    }),

  /** Back to progress 0 / not_started; the activation stays as it was. */
  resetGoal: editorProcedure
    .input(ZUser.extend({ goalId: ZId }))
    .output(z.object({ userId: z.string(), goalId: z.string(), reset: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const reset = await resetGoal(ctx.deps.app, input);
      return { ...input, reset };
    }),

  /** The player's stored attributes for audiences (docs/definitions.md#audiences). */
  attributes: viewerProcedure
    .input(ZUser)
    .output(z.object({ userId: z.string(), attributes: playerAttributesSchema }))
    .query(async ({ ctx, input }) => ({
      userId: input.userId,
      attributes: await ctx.deps.app.playerAttributes.get(input.userId),
    })),

  deleteData: editorProcedure
    .input(ZUser)
    .output(z.object({ deletedRows: z.number() }))
    .mutation(async ({ ctx, input }) => deletePlayerData(ctx.deps.app, input)),
});
