import { buildChallengeViews, type ChallengeView, type Definitions } from '@challenges/core';
import type { AppContext } from './context.ts';

export interface ListChallengesResult {
  definitions: Definitions;
  challenges: ChallengeView[];
}

export async function listChallenges(
  ctx: AppContext,
  input: { userId: string; activeOnly: boolean },
): Promise<ListChallengesResult> {
  const definitions = ctx.definitions.current();
  const rows = await ctx.progress.listByUser(input.userId);
  const now = ctx.clock.now();
  const challenges = buildChallengeViews({
    definitions,
    rows,
    now,
    activeOnly: input.activeOnly,
  });
  return { definitions, challenges };
}
