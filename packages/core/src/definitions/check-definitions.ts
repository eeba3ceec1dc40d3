/** Rules that span goals and challenges: unique ids, existing prerequisites, no cycles. */

export function goalProblem(challengeId: string, goalId: string, message: string): string {
  return `invalid goal '${goalId}' in challenge '${challengeId}': ${message}`;
}

export function challengeProblem(challengeId: string, message: string): string {
  return `invalid challenge '${challengeId}': ${message}`;
}

export interface GoalRef {
  challengeId: string;
  goalId: string;
  prerequisites: readonly string[];
}

export function checkUniqueChallengeIds(challengeIds: readonly string[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const id of challengeIds) {
    if (seen.has(id)) problems.push(challengeProblem(id, 'challengeId is used more than once'));
    seen.add(id);
  }
  return problems;
}

/**
 * @param knownGoalIds every goal id in the file, including goals that failed validation, so a
 *   bad goal does not also make each goal that depends on it report a missing prerequisite.
 */
export function checkGoalReferences(
  goals: readonly GoalRef[],
  knownGoalIds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const goal of goals) {
    const first = owner.get(goal.goalId);
    if (first !== undefined) {
      problems.push(
        goalProblem(
          goal.challengeId,
          goal.goalId,
          `goalId is already used in challenge '${first}' (goal ids must be unique across all challenges)`,
        ),
      );
    } else {
      owner.set(goal.goalId, goal.challengeId);
    }
    const listed = new Set<string>();
    for (const prerequisite of goal.prerequisites) {
      if (listed.has(prerequisite)) {
        problems.push(
          goalProblem(
            goal.challengeId,
            goal.goalId,
            `prerequisite '${prerequisite}' is listed twice`,
          ),
        );
      } else if (!knownGoalIds.has(prerequisite)) {
        problems.push(
          goalProblem(
            goal.challengeId,
            goal.goalId,
            `prerequisite '${prerequisite}' does not exist`,
          ),
        );
      }
      listed.add(prerequisite);
    }
  }
  return [...problems, ...checkPrerequisiteCycles(goals)];
}

/**
 * Reports each prerequisite cycle once, at the goal where the walk entered it, with its path
 * (`a -> b -> a`). Iterative depth-first search: a 10,000-goal chain must not overflow the stack.
 */
export function checkPrerequisiteCycles(goals: readonly GoalRef[]): string[] {
  const byId = new Map<string, GoalRef>();
  for (const goal of goals) if (!byId.has(goal.goalId)) byId.set(goal.goalId, goal);
  const state = new Map<string, 'open' | 'done'>();
  const problems: string[] = [];

  for (const root of byId.values()) {
    if (state.has(root.goalId)) continue;
    const path: GoalRef[] = [root];
    const next: number[] = [0];
    state.set(root.goalId, 'open');
    while (path.length > 0) {
      const top = path.length - 1;
      const goal = path[top]!;
      const index = next[top]!;
      if (index >= goal.prerequisites.length) {
        state.set(goal.goalId, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[top] = index + 1;
      const child = byId.get(goal.prerequisites[index]!);
      if (child === undefined || state.get(child.goalId) === 'done') continue;
      if (state.get(child.goalId) === 'open') {
        const start = path.findIndex((entry) => entry.goalId === child.goalId);
        const cycle = [...path.slice(start).map((entry) => entry.goalId), child.goalId];
        problems.push(
          goalProblem(
            child.challengeId,
            child.goalId,
            `prerequisites form a cycle: ${cycle.join(' -> ')}`,
          ),
        );
        continue;
      }
      state.set(child.goalId, 'open');
      path.push(child);
      next.push(0);
    }
  }
  return problems;
}
