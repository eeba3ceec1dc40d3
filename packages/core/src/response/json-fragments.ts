import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';

/**
 * Pre-serialised JSON pieces of the static definition fields, built once per definitions
 * version: the hot responses (list, initialize) splice the per-player fields between them
 * instead of serialising hundreds of static objects per request.
 */
export interface GoalFragments {
  /** `{"goalId":…,"name":…,"description":…,"requirement":{…},"reward":{…},"prerequisites":[…],` */
  listHead: string;
  /** `{"challengeId":…,"goalId":…,"name":…,"description":…,"isActive":` */
  assignedHead: string;
  /** `,"target":N,"status":"` */
  assignedTarget: string;
  /** `","requirement":{…},"reward":{…}}` */
  assignedTail: string;
}

export interface ChallengeFragments {
  /** `{"challengeId":…,"name":…,"description":…,"goals":[` */
  head: string;
}

export interface DefinitionsFragments {
  goals: ReadonlyMap<string, GoalFragments>;
  challenges: ReadonlyMap<string, ChallengeFragments>;
}

const cache = new WeakMap<Definitions, DefinitionsFragments>();

export function requirementJson(goal: GoalDef): string {
  const { statCode, operator, targetValue } = goal.requirement;
  return JSON.stringify({ statCode, operator, targetValue });
}

export function rewardJson(goal: GoalDef): string {
  const { type, rewardId, quantity } = goal.reward;
  return JSON.stringify({ type, rewardId, quantity });
}

function goalFragments(goal: GoalDef): GoalFragments {
  const requirement = requirementJson(goal);
  const reward = rewardJson(goal);
  const id = JSON.stringify(goal.goalId);
  const text = `"name":${JSON.stringify(goal.name)},"description":${JSON.stringify(goal.description)}`;
  return {
    listHead: `{"goalId":${id},${text},"requirement":${requirement},"reward":${reward},"prerequisites":${JSON.stringify(goal.prerequisites)},`,
    assignedHead: `{"challengeId":${JSON.stringify(goal.challengeId)},"goalId":${id},${text},"isActive":`,
    assignedTarget: `,"target":${goal.requirement.targetValue},"status":"`,
    assignedTail: `","requirement":${requirement},"reward":${reward}}`,
  };
}

export function fragmentsOf(definitions: Definitions): DefinitionsFragments {
  let fragments = cache.get(definitions);
  if (fragments) return fragments;
  const goals = new Map<string, GoalFragments>();
  const challenges = new Map<string, ChallengeFragments>();
  for (const challenge of definitions.challenges) {
    const { challengeId, name, description } = challenge;
    challenges.set(challengeId, {
      head: `${JSON.stringify({ challengeId, name, description }).slice(0, -1)},"goals":[`,
    });
    for (const goal of challenge.goals) goals.set(goal.goalId, goalFragments(goal));
  }
  fragments = { goals, challenges };
  cache.set(definitions, fragments);
  return fragments;
}
