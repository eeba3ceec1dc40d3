import type { Definitions } from '../definitions/definitions.types.ts';
import { formatTimestamp } from '../time/format-time.ts';
import type { ChallengeView, GoalView } from './goal-view.ts';
import { fragmentsOf } from './json-fragments.ts';

/** JSON body of GET /v1/challenges, spliced from pre-serialised fragments. */
export function encodeChallengesJson(definitions: Definitions, views: ChallengeView[]): string {
  const fragments = fragmentsOf(definitions);
  let out = '{"challenges":[';
  for (let c = 0; c < views.length; c++) {
    const view = views[c]!;
    if (c > 0) out += ',';
    out += fragments.challenges.get(view.challenge.challengeId)!.head;
    for (let g = 0; g < view.goals.length; g++) {
      const goal = view.goals[g]!;
      if (g > 0) out += ',';
      out += fragments.goals.get(goal.goal.goalId)!.listHead;
      out += `"progress":${goal.progress},"status":"${goal.status}","locked":${goal.locked},"completedAt":"${formatTimestamp(goal.completedAt)}","claimedAt":"${formatTimestamp(goal.claimedAt)}","isActive":${goal.isActive},"expiresAt":"${formatTimestamp(goal.expiresAt)}","expiresInSeconds":${goal.expiresInSeconds}}`;
    }
    out += ']}';
  }
  return `${out}]}`;
}

/** The `assignedGoals` entries of POST /v1/challenges/initialize. */
export function encodeAssignedGoalsJson(definitions: Definitions, goals: GoalView[]): string {
  const fragments = fragmentsOf(definitions).goals;
  let out = '[';
  for (let i = 0; i < goals.length; i++) {
    const view = goals[i]!;
    const f = fragments.get(view.goal.goalId)!;
    if (i > 0) out += ',';
    out += `${f.assignedHead}${view.isActive},"assignedAt":"${formatTimestamp(view.assignedAt)}","expiresAt":"${formatTimestamp(view.expiresAt)}","progress":${view.progress}${f.assignedTarget}${view.status}${f.assignedTail}`;
  }
  return `${out}]`;
}

/** The shape of one goal in select responses (batch and random). */
export function toSelectedGoal(view: GoalView) {
  return {
    goalId: view.goal.goalId,
    name: view.goal.name,
    description: view.goal.description,
    requirement: {
      statCode: view.goal.requirement.statCode,
      operator: view.goal.requirement.operator,
      targetValue: view.goal.requirement.targetValue,
    },
    reward: { ...view.goal.reward },
    status: view.status,
    progress: view.progress,
    target: view.goal.requirement.targetValue,
    isActive: view.isActive,
    assignedAt: formatTimestamp(view.assignedAt),
    expiresAt: formatTimestamp(view.expiresAt),
  };
}

export type { GoalView };
