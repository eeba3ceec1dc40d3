import { z } from 'zod';
import { profileProcess } from '../../../observability/observability.ts';
import { adminProcedure, router } from '../../init.ts';

export const ZProfileInput = z.object({
  processId: z.string().min(1).max(300),
  seconds: z.number().int().min(1).max(30),
});

/**
 * Admin-only profiling of any live process (docs/operations.md). The answer carries the summary; the raw
 * profile is a download: GET {BASE_PATH}/admin/v1/profiles/:profileId.
 */
export const profileRouter = router({
  cpu: adminProcedure
    .input(ZProfileInput)
    .mutation(async ({ ctx, input }) =>
      profileProcess(ctx.deps.observability, { ...input, kind: 'cpu' }),
    ),

  heap: adminProcedure
    .input(ZProfileInput)
    .mutation(async ({ ctx, input }) =>
      profileProcess(ctx.deps.observability, { ...input, kind: 'heap' }),
    ),
});
