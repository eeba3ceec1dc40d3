import { goalProblem } from '../definitions/check-definitions.ts';
import type { ChallengeDef } from '../definitions/definitions.types.ts';
import { effectiveWindow, emptyWindowProblem } from './schedule-window.ts';

/** Goals whose window, intersected with their challenge's, can never be open. */
export function scheduleProblems(challenge: ChallengeDef): string[] {
  const problems: string[] = [];
  if (challenge.schedule === undefined) return problems;
  for (const goal of challenge.goals) {
    if (goal.schedule === undefined) continue;
    const problem = emptyWindowProblem(effectiveWindow(challenge.schedule, goal.schedule)!);
    if (problem !== null) problems.push(goalProblem(challenge.challengeId, goal.goalId, problem));
  }
  return problems;
}
