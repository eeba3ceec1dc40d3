import {
  buildChallengeViews,
  type ChallengeView,
  type Definitions,
  hasAudiences,
} from '@challenges/core';
import type { AppContext } from './context.ts';
import { audienceDefinitions, type PlayerCaller } from './player-audience.ts';
import { scheduledDefinitions } from './player-definitions.ts';

export interface ListChallengesResult {
  definitions: Definitions;
  challenges: ChallengeView[];
}

export async function listChallenges(
  ctx: AppContext,
  input: PlayerCaller & { activeOnly: boolean },
): Promise<ListChallengesResult> {
  const now = ctx.clock.now();
  const definitions = scheduledDefinitions(ctx, now);
  // Audiences (docs/definitions.md#audiences): only what the player may see is listed.
  const visible = hasAudiences(definitions)
    ? (await audienceDefinitions(ctx, input, definitions)).visible
    : definitions;
  const views = await ctx.progress.viewsByUser(input.userId, { definitions, now });
  const challenges = buildChallengeViews({
    definitions: visible,
    views,
    now,
    activeOnly: input.activeOnly,
  });
  return { definitions, challenges };
}
