import { LIVE_WINDOW_POINTS, liveProcesses, liveSeries } from '@challenges/runtime';
import { z } from 'zod';
import { router, viewerProcedure } from '../../init.ts';

const ZWindow = z
  .object({ windowSeconds: z.number().int().min(1).max(LIVE_WINDOW_POINTS).default(60) })
  .default({ windowSeconds: 60 });

/**
 * The Live page (docs/dashboard.md): every api and worker process publishes one point per second to
 * Redis; these read them back. Points are flat objects, oldest first, for recharts.
 */
export const liveRouter = router({
  processes: viewerProcedure.query(async ({ ctx }) => {
    const { redis, prefix } = ctx.deps.observability;
    return liveProcesses(redis, prefix);
  }),

  series: viewerProcedure.input(ZWindow).query(async ({ ctx, input }) => {
    const { redis, prefix } = ctx.deps.observability;
    return liveSeries(redis, prefix, input.windowSeconds);
  }),
});
