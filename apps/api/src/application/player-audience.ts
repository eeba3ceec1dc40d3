import {
  type AudienceExclusions,
  audienceExclusions,
  CoreError,
  type Definitions,
  definitionsForExclusions,
  hasAudiences,
  type PlayerAttributes,
} from '@challenges/core';
import type { AppContext } from './context.ts';
import { scheduledDefinitions } from './player-definitions.ts';

/** Who calls: the player and, with AUDIENCE_JWT_CLAIMS, the claims their token carried. */
export interface PlayerCaller {
  userId: string;
  /** The configured JWT claims of the call (docs/definitions.md#audiences); absent: none. */
  claims?: PlayerAttributes;
}

export interface PlayerDefinitions {
  /** The live definitions as of now (schedules applied; what responses are encoded against). */
  live: Definitions;
  /** The live definitions without what the player is outside of; `live` itself when no audience. */
  visible: Definitions;
  /** null when the live definitions hold no audience (nothing was read). */
  exclusions: AudienceExclusions | null;
}

function differs(claims: PlayerAttributes, stored: PlayerAttributes): boolean {
  for (const [key, value] of Object.entries(claims)) if (stored[key] !== value) return true;
  return false;
}

/**
 * The definitions as the player sees them, for live definitions that hold an audience (callers
 * check `hasAudiences(live)` first, so a file without one costs no query and no await): the
 * stored attributes (one small query); claims that differ from them are stored (merged over)
 * and the player's rows of goals now outside their audience are deactivated, so events stop
 * moving them.
 */
export async function audienceDefinitions(
  ctx: AppContext,
  caller: PlayerCaller,
  live: Definitions,
): Promise<PlayerDefinitions> {
  const { userId, claims } = caller;
  let attributes = await ctx.playerAttributes.get(userId);
  const claimsChanged = claims !== undefined && differs(claims, attributes);
  if (claimsChanged) attributes = await ctx.playerAttributes.merge(userId, claims, ctx.clock.now());
  const exclusions = audienceExclusions({ definitions: live, attributes, playerId: userId });
  if (claimsChanged && exclusions.goalIds.size > 0) {
    await ctx.progress.deactivate(userId, [...exclusions.goalIds], ctx.clock.now());
  }
  return { live, visible: definitionsForExclusions(live, exclusions), exclusions };
}

/** playerDefinitions for the use cases off the hot read path. */
export async function playerDefinitions(
  ctx: AppContext,
  caller: PlayerCaller,
): Promise<PlayerDefinitions> {
  const live = scheduledDefinitions(ctx, ctx.clock.now());
  if (!hasAudiences(live)) return { live, visible: live, exclusions: null };
  return audienceDefinitions(ctx, caller, live);
}

/** Deactivates the active rows (by `views`) of goals the player is outside of; how many. */
export async function deactivateOutside(
  ctx: AppContext,
  userId: string,
  goalIds: ReadonlySet<string>,
  views: ReadonlyMap<string, { isActive: boolean }>,
): Promise<number> {
  const active = [...goalIds].filter((goalId) => views.get(goalId)?.isActive);
  if (active.length > 0) await ctx.progress.deactivate(userId, active, ctx.clock.now());
  return active.length;
}

/** Attributes replaced by the game backend: stored, and rows now outside an audience deactivated. */
export async function replacePlayerAttributes(
  ctx: AppContext,
  input: { userId: string; attributes: PlayerAttributes },
): Promise<{ userId: string; attributes: PlayerAttributes; deactivatedGoals: number }> {
  const { userId, attributes } = input;
  const now = ctx.clock.now();
  await ctx.playerAttributes.replace(userId, attributes, now);
  const live = ctx.definitions.current();
  if (!hasAudiences(live)) return { userId, attributes, deactivatedGoals: 0 };
  const { goalIds } = audienceExclusions({ definitions: live, attributes, playerId: userId });
  if (goalIds.size === 0) return { userId, attributes, deactivatedGoals: 0 };
  const views = await ctx.progress.viewsByUser(userId, { definitions: live, now });
  const deactivatedGoals = await deactivateOutside(ctx, userId, goalIds, views);
  return { userId, attributes, deactivatedGoals };
}

/** The error of assigning what the player is outside of; nothing when they may. */
export function refuseOutsideAudience(
  defs: PlayerDefinitions,
  challengeId: string,
  goalIds: readonly string[],
): void {
  const { exclusions, live } = defs;
  if (exclusions === null) return;
  if (exclusions.challengeIds.has(challengeId) && live.challengesById.has(challengeId)) {
    throw new CoreError(
      'NOT_FOUND',
      `challenge '${challengeId}' is not available to this player (audience)`,
    );
  }
  for (const goalId of goalIds) {
    if (exclusions.goalIds.has(goalId) && live.goalsById.get(goalId)?.challengeId === challengeId) {
      throw new CoreError(
        'NOT_FOUND',
        `goal '${goalId}' of challenge '${challengeId}' is not available to this player (audience)`,
      );
    }
  }
}

/** For reads of one challenge (its rotation): NOT_FOUND when the player is outside it. */
export async function refuseHiddenChallenge(
  ctx: AppContext,
  caller: PlayerCaller,
  challengeId: string,
): Promise<void> {
  if (!hasAudiences(ctx.definitions.current())) return;
  refuseOutsideAudience(await playerDefinitions(ctx, caller), challengeId, []);
}
