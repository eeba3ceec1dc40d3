import { z } from 'zod';
import {
  listRewardGrants,
  retryRewardGrants,
  rewardGrantEvents,
} from '../../../application/reward-grants.ts';
import { editorProcedure, router, viewerProcedure } from '../../init.ts';
import {
  rewardGrantEventJson,
  rewardGrantJson,
  ZGrantId,
  ZGrantStatus,
  ZRewardGrant,
  ZRewardGrantEvent,
} from './reward.schema.ts';

/** Reward grants for live-ops (docs/rewards.md): what was delivered, what waits, the dead letters. */
export const rewardRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        status: ZGrantStatus.optional(),
        userId: z.string().min(1).max(200).optional(),
        goalId: z.string().min(1).max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: ZGrantId.optional(),
      }),
    )
    .output(z.object({ items: z.array(ZRewardGrant), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await listRewardGrants(ctx.deps.app, input);
      return { items: page.items.map(rewardGrantJson), nextCursor: page.nextCursor };
    }),

  events: viewerProcedure
    .input(z.object({ grantId: ZGrantId }))
    .output(z.array(ZRewardGrantEvent))
    .query(async ({ ctx, input }) => {
      return (await rewardGrantEvents(ctx.deps.app, input)).map(rewardGrantEventJson);
    }),

  /** failed or pending → pending, due now; the worker's next scan (≤ 1–2 s) delivers them. */
  retry: editorProcedure
    .input(z.object({ ids: z.array(ZGrantId).min(1).max(500) }))
    .output(z.object({ retried: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const retried = await retryRewardGrants(ctx.deps.app, {
        ids: input.ids,
        actor: ctx.user.email,
      });
      return { retried };
    }),
});
