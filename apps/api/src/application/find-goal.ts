import { CoreError, type Definitions, type GoalDef } from '@challenges/core';

/** The goal `goalId` of challenge `challengeId`, or NOT_FOUND naming what is missing. */
export function findGoal(definitions: Definitions, challengeId: string, goalId: string): GoalDef {
  if (!definitions.challengesById.has(challengeId)) {
    throw new CoreError('NOT_FOUND', `challenge '${challengeId}' not found`);
  }
  const goal = definitions.goalsById.get(goalId);
  if (!goal || goal.challengeId !== challengeId) {
    throw new CoreError('NOT_FOUND', `goal '${goalId}' not found in challenge '${challengeId}'`);
  }
  return goal;
}
