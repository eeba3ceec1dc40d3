import type { LoadTestRunSummary } from '@challenges/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getLoadTestRun, listLoadTestRuns } from '../../../application/dashboard/load-test-runs.ts';
import {
  LOADTEST_SCENARIOS,
  LoadTestConflictError,
  LoadTestPreconditionError,
} from '../../../loadtest/start-run.ts';
import { adminProcedure, router, viewerProcedure } from '../../init.ts';

const ZRunId = z.string().min(1).max(100);

/** Dates as ISO strings: the dashboard's client has no transformer (JSON only). */
function summaryJson(run: LoadTestRunSummary) {
  return {
    ...run,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** The load-test history and runs started from the dashboard (docs/dashboard.md, docs/performance.md). */
export const loadtestRouter = router({
  list: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      return (await listLoadTestRuns(ctx.deps.loadtest, input)).map(summaryJson);
    }),

  get: viewerProcedure.input(z.object({ id: ZRunId })).query(async ({ ctx, input }) => {
    const run = await getLoadTestRun(ctx.deps.loadtest, input);
    if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `no load-test run ${input.id}` });
    return { ...summaryJson(run), report: run.report, reportMd: run.reportMd };
  }),

  /** Spawns the runner against this api; it writes progress and the report into the row. */
  start: adminProcedure
    .input(
      z.object({
        scenario: z.enum(LOADTEST_SCENARIOS),
        rps: z.number().int().min(0).max(20_000),
        eps: z.number().int().min(0).max(50_000),
        // Longer runs belong to the CLI: a dashboard click should not tie the stack up for long.
        durationSeconds: z.number().int().min(1).max(600),
        users: z.number().int().min(1).max(1_000_000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        return await ctx.deps.loadtest.launcher.start(input);
      } catch (error) {
        if (error instanceof LoadTestConflictError) {
          throw new TRPCError({ code: 'CONFLICT', message: error.message });
        }
        if (error instanceof LoadTestPreconditionError) {
          throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
        }
        throw error;
      }
    }),

  cancel: adminProcedure.input(z.object({ id: ZRunId })).mutation(async ({ ctx, input }) => {
    if (!(await ctx.deps.loadtest.launcher.cancel(input.id))) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `no running load test ${input.id}` });
    }
    return { cancelled: true };
  }),
});
