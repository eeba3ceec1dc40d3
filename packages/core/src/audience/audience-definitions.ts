import type { ChallengeDef, Definitions } from '../definitions/definitions.types.ts';
import { indexDefinitions } from '../definitions/parse-definitions.ts';
import type { PlayerAttributes } from './audience.types.ts';
import { inAudience } from './evaluate-audience.ts';
import { rolloutBucket } from './rollout-bucket.ts';

const withAudiences = new WeakMap<Definitions, boolean>();

/** Whether any challenge or goal has an audience; computed once per definitions version. */
export function hasAudiences(definitions: Definitions): boolean {
  let found = withAudiences.get(definitions);
  if (found === undefined) {
    found = definitions.challenges.some(
      (c) => c.audience !== undefined || c.goals.some((g) => g.audience !== undefined),
    );
    withAudiences.set(definitions, found);
  }
  return found;
}

/** What one player is outside of: whole challenges, and goals of challenges they are in. */
export interface AudienceExclusions {
  challengeIds: ReadonlySet<string>;
  /** Every goal the player may not see, including those of excluded challenges. */
  goalIds: ReadonlySet<string>;
}

export function audienceExclusions(options: {
  definitions: Definitions;
  attributes: PlayerAttributes;
  playerId: string;
}): AudienceExclusions {
  const { definitions, attributes, playerId } = options;
  const challengeIds = new Set<string>();
  const goalIds = new Set<string>();
  for (const challenge of definitions.challenges) {
    const withGoalAudience = challenge.goals.some((g) => g.audience !== undefined);
    if (challenge.audience === undefined && !withGoalAudience) continue;
    const bucket = rolloutBucket(playerId, challenge.challengeId);
    const challengeIn = inAudience({ audience: challenge.audience, attributes, bucket });
    for (const goal of challenge.goals) {
      if (!challengeIn || !inAudience({ audience: goal.audience, attributes, bucket })) {
        goalIds.add(goal.goalId);
      }
    }
    if (!challengeIn || challenge.goals.every((g) => goalIds.has(g.goalId))) {
      challengeIds.add(challenge.challengeId);
    }
  }
  return { challengeIds, goalIds };
}

const MAX_VIEWS_PER_VERSION = 1000;
const views = new WeakMap<Definitions, Map<string, Definitions>>();

/**
 * The definitions as one player sees them: excluded challenges and goals left out (a challenge
 * all of whose goals are excluded too). The same object as `definitions` when nothing is
 * excluded; otherwise one object per distinct exclusion set, cached with the version.
 */
export function definitionsForExclusions(
  definitions: Definitions,
  exclusions: AudienceExclusions,
): Definitions {
  if (exclusions.goalIds.size === 0) return definitions;
  const key = [...exclusions.goalIds].join('\n');
  let byKey = views.get(definitions);
  if (byKey === undefined) {
    byKey = new Map();
    views.set(definitions, byKey);
  }
  let view = byKey.get(key);
  if (view === undefined) {
    const challenges: ChallengeDef[] = [];
    for (const challenge of definitions.challenges) {
      if (exclusions.challengeIds.has(challenge.challengeId)) continue;
      const goals = challenge.goals.filter((g) => !exclusions.goalIds.has(g.goalId));
      challenges.push(
        goals.length === challenge.goals.length
          ? challenge
          : Object.freeze({ ...challenge, goals: Object.freeze(goals) }),
      );
    }
    view = indexDefinitions(challenges);
    if (byKey.size >= MAX_VIEWS_PER_VERSION) byKey.clear();
    byKey.set(key, view);
  }
  return view;
}
