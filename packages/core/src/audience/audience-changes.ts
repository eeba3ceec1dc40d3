import type { ChallengeDef, Definitions, GoalDef } from '../definitions/definitions.types.ts';
import type { Audience, PlayerAttributes } from './audience.types.ts';
import { inAudience } from './evaluate-audience.ts';
import { rolloutBucket } from './rollout-bucket.ts';
import { serializeAudience } from './serialize-audience.ts';

/** Who may progress a goal: its challenge's audience narrowed by its own (the bucket's challenge). */
export interface GoalAudience {
  goalId: string;
  challengeId: string;
  challengeAudience?: Audience;
  goalAudience?: Audience;
}

function effectiveAudience(challenge: ChallengeDef, goal: GoalDef): GoalAudience {
  const out: GoalAudience = { goalId: goal.goalId, challengeId: challenge.challengeId };
  if (challenge.audience !== undefined) out.challengeAudience = challenge.audience;
  if (goal.audience !== undefined) out.goalAudience = goal.audience;
  return out;
}

/** A comparable form: the bucket depends on the challenge, so a goal moved elsewhere changed. */
function audienceKey(audience: GoalAudience): string {
  const { challengeAudience: c, goalAudience: g } = audience;
  return JSON.stringify([
    audience.challengeId,
    c === undefined ? null : serializeAudience(c),
    g === undefined ? null : serializeAudience(g),
  ]);
}

function goalAudiences(definitions: Definitions): Map<string, GoalAudience> {
  const out = new Map<string, GoalAudience>();
  for (const challenge of definitions.challenges) {
    for (const goal of challenge.goals) out.set(goal.goalId, effectiveAudience(challenge, goal));
  }
  return out;
}

/**
 * The goals of `after` whose effective audience (challenge's and goal's, rollout included)
 * differs from `before`'s and restricts someone: the goals whose active rows a publish must
 * check against their players' attributes (docs/definitions.md#audiences). `before` null
 * (nothing live, or unreadable): every goal of `after` with an audience. A goal new in `after`
 * counts too (rows kept from an earlier version may exist); a goal whose audience went away
 * does not (everyone is in).
 */
export function goalsWithChangedAudience(
  before: Definitions | null,
  after: Definitions,
): Map<string, GoalAudience> {
  const previous = before === null ? new Map<string, GoalAudience>() : goalAudiences(before);
  const changed = new Map<string, GoalAudience>();
  for (const [goalId, audience] of goalAudiences(after)) {
    if (audience.challengeAudience === undefined && audience.goalAudience === undefined) continue;
    const old = previous.get(goalId);
    if (old !== undefined && audienceKey(old) === audienceKey(audience)) continue;
    changed.set(goalId, audience);
  }
  return changed;
}

/** Whether the player may progress the goal: inside its challenge's audience and its own. */
export function inGoalAudience(
  audience: GoalAudience,
  attributes: PlayerAttributes,
  playerId: string,
): boolean {
  const bucket = rolloutBucket(playerId, audience.challengeId);
  return (
    inAudience({ audience: audience.challengeAudience, attributes, bucket }) &&
    inAudience({ audience: audience.goalAudience, attributes, bucket })
  );
}
