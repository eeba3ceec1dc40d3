import { CoreError } from '@challenges/core';
import {
  diffProfiles,
  flameTree,
  type ProfileKind,
  type RedisClient,
  readRawProfile,
} from '@challenges/runtime';
import { z } from 'zod';
import { profileProcess } from '../../../observability/observability.ts';
import { adminProcedure, router } from '../../init.ts';

export const ZProfileInput = z.object({
  processId: z.string().min(1).max(300),
  seconds: z.number().int().min(1).max(30),
});

const ZProfileId = z.string().regex(/^(cpu|heap)-[0-9a-f-]{36}$/, 'not a profile id');

async function stored(redis: RedisClient, prefix: string, profileId: string) {
  const found = await readRawProfile(redis, prefix, profileId);
  if (!found)
    throw new CoreError('NOT_FOUND', `no profile ${profileId} (they expire after an hour)`);
  const kind: ProfileKind = profileId.startsWith('heap-') ? 'heap' : 'cpu';
  return { ...found, kind };
}

/**
 * Admin-only profiling of any live process (docs/operations.md). The answer carries the summary;
 * the raw profile (kept an hour) is a download, a flame graph's tree or one side of a diff.
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

  /** The .cpuprofile / .heapprofile text, for Chrome DevTools or any other viewer. */
  raw: adminProcedure.input(z.object({ profileId: ZProfileId })).query(async ({ ctx, input }) => {
    const { redis, prefix } = ctx.deps.observability;
    const { raw, filename } = await stored(redis, prefix, input.profileId);
    return { raw, filename };
  }),

  flame: adminProcedure.input(z.object({ profileId: ZProfileId })).query(async ({ ctx, input }) => {
    const { redis, prefix } = ctx.deps.observability;
    const { raw, kind } = await stored(redis, prefix, input.profileId);
    return flameTree(kind, raw);
  }),

  /** Per-function self time (or bytes) of `after` minus `before`; both of one kind. */
  diff: adminProcedure
    .input(z.object({ before: ZProfileId, after: ZProfileId }))
    .query(async ({ ctx, input }) => {
      const { redis, prefix } = ctx.deps.observability;
      const before = await stored(redis, prefix, input.before);
      const after = await stored(redis, prefix, input.after);
      if (before.kind !== after.kind) {
        throw new CoreError(
          'INVALID_ARGUMENT',
          'a CPU profile can only be compared with a CPU profile, a heap profile with a heap profile',
        );
      }
      return diffProfiles(after.kind, before.raw, after.raw);
    }),
});
