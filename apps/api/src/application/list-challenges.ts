import {
  buildChallengeViews,
  type ChallengeView,
  type Definitions,
  hasAudiences,
} from '@challenges/core';
import type { AppContext } from './context.ts';
import { audienceDefinitions, type PlayerCaller } from './player-audience.ts';

export interface ListChallengesResult {
  definitions: Definitions;
  challenges: ChallengeView[];
}

export async function listChallenges(
  ctx: AppContext,
  input: PlayerCaller & { activeOnly: boolean },
): Promise<ListChallengesResult> {
  const definitions = ctx.definitions.current();
  // Audiences (docs/definitions.md#audiences): only what the player may see is listed.
  const visible = hasAudiences(definitions)
    ? (await audienceDefinitions(ctx, input, definitions)).visible
    : definitions;
  const now = ctx.clock.now();
  const views = await ctx.progress.viewsByUser(input.userId, { definitions, now });
  const challenges = buildChallengeViews({
    definitions: visible,
    views,
    now,
    activeOnly: input.activeOnly,
  });
  return { definitions, challenges };
}
