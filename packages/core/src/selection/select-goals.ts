import type { ChallengeDef, Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { CoreError } from '../errors.ts';
import type { GoalStatus } from '../progress/progress.types.ts';
import { isDoneStatus, isLocked } from '../progress/view-assignment.ts';

function challengeOrThrow(definitions: Definitions, challengeId: string): ChallengeDef {
  const challenge = definitions.challengesById.get(challengeId);
  if (challenge === undefined) {
    throw new CoreError('NOT_FOUND', `challenge '${challengeId}' not found`);
  }
  return challenge;
}

/**
 * The goals a batch-select names, all or nothing: the whole request fails on the first bad id.
 * Duplicates collapse, keeping the order of first appearance.
 */
export function resolveBatchSelection({
  definitions,
  challengeId,
  goalIds,
}: {
  definitions: Definitions;
  challengeId: string;
  goalIds: readonly string[];
}): GoalDef[] {
  if (goalIds.length === 0) throw new CoreError('INVALID_ARGUMENT', 'goal_ids cannot be empty');
  challengeOrThrow(definitions, challengeId);
  const selected = new Map<string, GoalDef>();
  for (const goalId of goalIds) {
    if (selected.has(goalId)) continue;
    const goal = definitions.goalsById.get(goalId);
    if (goal === undefined || goal.challengeId !== challengeId) {
      throw new CoreError('NOT_FOUND', `goal '${goalId}' not found`);
    }
    selected.set(goalId, goal);
  }
  return [...selected.values()];
}

/**
 * Goals a random select may pick: not done yet, unlocked, and, when the caller keeps or replaces
 * its active goals, not already active. Empty for an unknown challenge (checkRandomSelect says
 * why).
 */
export function randomSelectionPool({
  definitions,
  challengeId,
  viewsByGoalId,
  excludeActive,
  replaceExisting,
}: {
  definitions: Definitions;
  challengeId: string;
  viewsByGoalId: ReadonlyMap<string, { status: GoalStatus; isActive: boolean }>;
  excludeActive: boolean;
  replaceExisting: boolean;
}): GoalDef[] {
  const challenge = definitions.challengesById.get(challengeId);
  if (challenge === undefined) return [];
  const skipActive = excludeActive || replaceExisting;
  return challenge.goals.filter((goal) => {
    const view = viewsByGoalId.get(goal.goalId);
    if (isDoneStatus(view?.status)) return false;
    if (skipActive && view?.isActive === true) return false;
    return !isLocked({ goal, viewsByGoalId });
  });
}

/**
 * Up to `count` goals drawn uniformly without replacement (partial Fisher–Yates). `randomInt`
 * returns an integer in [0, maxExclusive); the api passes crypto.randomInt.
 */
export function pickRandom({
  pool,
  count,
  randomInt,
}: {
  pool: readonly GoalDef[];
  count: number;
  randomInt: (maxExclusive: number) => number;
}): GoalDef[] {
  const items = [...pool];
  const take = Math.max(0, Math.min(Math.floor(count), items.length));
  for (let i = 0; i < take; i++) {
    const j = i + randomInt(items.length - i);
    const picked = items[j]!;
    items[j] = items[i]!;
    items[i] = picked;
  }
  return items.slice(0, take);
}

/** The refusals of a random select, in the original's order: count, challenge, pool. */
export function checkRandomSelect({
  definitions,
  challengeId,
  count,
  poolSize,
}: {
  definitions: Definitions;
  challengeId: string;
  count: number;
  poolSize: number;
}): void {
  if (!(count > 0)) throw new CoreError('INVALID_ARGUMENT', 'count must be greater than 0');
  challengeOrThrow(definitions, challengeId);
  if (poolSize === 0) {
    throw new CoreError(
      'INSUFFICIENT_GOALS',
      `INSUFFICIENT_GOALS: no goals available for selection (available: 0, requested: ${count})`,
    );
  }
}
