import { buildChallengeViews, type ChallengeView, type Definitions } from '@challenges/core';
import type { AppContext } from './context.ts';
import { playerDefinitions } from './player-definitions.ts';

export interface ListChallengesResult {
  definitions: Definitions;
  challenges: ChallengeView[];
}

export async function listChallenges(
  ctx: AppContext,
  input: { userId: string; activeOnly: boolean },
): Promise<ListChallengesResult> {
  const now = ctx.clock.now();
  const definitions = playerDefinitions(ctx, now);
  const views = await ctx.progress.viewsByUser(input.userId, { definitions, now });
  const challenges = buildChallengeViews({ definitions, views, now, activeOnly: input.activeOnly });
  return { definitions, challenges };
}
