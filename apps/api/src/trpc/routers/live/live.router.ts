import { LIVE_WINDOW_POINTS, liveProcesses } from '@challenges/runtime';
import { z } from 'zod';
import { liveHistoryWithMarkers } from '../../../application/dashboard/live-history.ts';
import { router, viewerProcedure } from '../../init.ts';

const ZHistory = z.object({
  windowSeconds: z.number().int().min(10).max(LIVE_WINDOW_POINTS).default(60),
  /** Epoch ms the window ends at (a zoomed view); now when left out. */
  endAt: z.number().int().positive().optional(),
  /** One endpoint (`REST GET /challenge/v1/challenges`) or, when null, every player route. */
  route: z.string().min(1).max(300).nullable().default(null),
});

/**
 * The Live page (docs/dashboard.md): every api and worker process publishes one point per second to
 * Redis (an hour of them); these read them back, aggregated to at most 300 steps per chart.
 */
export const liveRouter = router({
  processes: viewerProcedure.query(async ({ ctx }) => {
    const { redis, prefix } = ctx.deps.observability;
    return liveProcesses(redis, prefix);
  }),

  history: viewerProcedure.input(ZHistory).query(async ({ ctx, input }) => {
    const { redis, prefix } = ctx.deps.observability;
    return liveHistoryWithMarkers(
      {
        redis,
        prefix,
        versions: ctx.deps.app.definitionStore.repository,
        runs: ctx.deps.loadtest.runs,
      },
      input,
    );
  }),
});
