import type { ChallengeDef, Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { indexDefinitions } from '../definitions/parse-definitions.ts';
import { CoreError } from '../errors.ts';
import type { ScheduleWindow } from './schedule.types.ts';
import {
  claimWindowClosed,
  effectiveWindow,
  schedulePhaseAt,
  windowBoundaries,
} from './schedule-window.ts';

/**
 * The definitions as players see them at an instant (SPEC §2.4): goals before their window's
 * start are left out (so list, get, gRPC, initialize, select and claim treat them as unknown),
 * challenges left without goals too; goals past their end carry `ended: true` and are no longer
 * default-assigned. The result only changes at the windows' boundaries, so one Definitions object
 * is built per interval between boundaries and cached: the pre-encoded response fragments (cached
 * per Definitions object) are then rebuilt exactly once when a boundary passes, without a publish.
 * A file without any schedule costs one WeakMap lookup and is returned as it is.
 */
interface ScheduleIndex {
  /** Sorted distinct boundary instants (ms); empty when nothing is scheduled. */
  boundaries: number[];
  byInterval: Map<number, Definitions>;
}

const indexes = new WeakMap<Definitions, ScheduleIndex>();

function scheduleIndexOf(definitions: Definitions): ScheduleIndex {
  let index = indexes.get(definitions);
  if (index !== undefined) return index;
  const instants = new Set<number>();
  for (const challenge of definitions.challenges) {
    for (const t of windowBoundaries(challenge.schedule)) instants.add(t);
    for (const goal of challenge.goals)
      for (const t of windowBoundaries(goal.schedule)) instants.add(t);
  }
  index = { boundaries: [...instants].sort((a, b) => a - b), byInterval: new Map() };
  indexes.set(definitions, index);
  return index;
}

/** Whether any challenge or goal of the definitions has a schedule. */
export function hasSchedules(definitions: Definitions): boolean {
  return scheduleIndexOf(definitions).boundaries.length > 0;
}

/** The first boundary strictly after `now` (when the visible set next changes), or null. */
export function nextScheduleBoundary(definitions: Definitions, now: Date): Date | null {
  const t = now.getTime();
  const next = scheduleIndexOf(definitions).boundaries.find((b) => b > t);
  return next === undefined ? null : new Date(next);
}

/** A goal's effective window (its own intersected with its challenge's). */
export function goalWindow(definitions: Definitions, goal: GoalDef): ScheduleWindow | undefined {
  return effectiveWindow(definitions.challengesById.get(goal.challengeId)?.schedule, goal.schedule);
}

function resolveChallenge(challenge: ChallengeDef, now: Date): ChallengeDef | null {
  const goals: GoalDef[] = [];
  let changed = false;
  for (const goal of challenge.goals) {
    const phase = schedulePhaseAt(effectiveWindow(challenge.schedule, goal.schedule), now);
    if (phase === 'pending') {
      changed = true;
    } else if (phase === 'ended') {
      changed = true;
      goals.push(Object.freeze({ ...goal, ended: true, defaultAssigned: false }));
    } else {
      goals.push(goal);
    }
  }
  if (goals.length === 0) return null;
  return changed ? Object.freeze({ ...challenge, goals: Object.freeze(goals) }) : challenge;
}

/** The definitions players see at `now` (see above); the same object for one interval. */
export function definitionsAt(definitions: Definitions, now: Date): Definitions {
  const index = scheduleIndexOf(definitions);
  if (index.boundaries.length === 0) return definitions;
  const t = now.getTime();
  let interval = 0;
  while (interval < index.boundaries.length && index.boundaries[interval]! <= t) interval++;
  let resolved = index.byInterval.get(interval);
  if (resolved === undefined) {
    const challenges: ChallengeDef[] = [];
    for (const challenge of definitions.challenges) {
      const visible = resolveChallenge(challenge, now);
      if (visible !== null) challenges.push(visible);
    }
    resolved = indexDefinitions(challenges);
    // A process's clock only moves forward in production; a QA clock set back may revisit an
    // interval, and a handful of cached intervals is cheap.
    index.byInterval.set(interval, resolved);
  }
  return resolved;
}

/**
 * Refuses a claim after the goal's claim deadline (CLAIM_WINDOW_CLOSED, FailedPrecondition).
 * `definitions` must be the full definitions (they carry the challenge windows).
 */
export function checkClaimWindow(definitions: Definitions, goal: GoalDef, now: Date): void {
  const window = goalWindow(definitions, goal);
  if (!claimWindowClosed(window, now)) return;
  throw new CoreError(
    'CLAIM_WINDOW_CLOSED',
    `The claim window of this goal has closed (goal_id: ${goal.goalId}, claim_until: ${window!.claimUntil!.toISOString()})`,
  );
}

/** Refuses activating or selecting an ended goal (GOAL_ENDED, FailedPrecondition). */
export function checkGoalsOpen(goals: readonly GoalDef[]): void {
  const ended = goals.find((goal) => goal.ended === true);
  if (ended === undefined) return;
  throw new CoreError(
    'GOAL_ENDED',
    `Goal has ended and can no longer be activated (goal_id: ${ended.goalId})`,
  );
}

const endedIds = new WeakMap<Definitions, readonly string[]>();

/**
 * The ids of the ended goals of definitions resolved by `definitionsAt` (empty for any other):
 * the worker reads their active rows as candidates so that the first batch after the end
 * freezes them (freezeAssignment). Cached per resolved object.
 */
export function endedGoalIds(definitions: Definitions): readonly string[] {
  let ids = endedIds.get(definitions);
  if (ids === undefined) {
    ids = Object.freeze(
      [...definitions.goalsById.values()].filter((g) => g.ended === true).map((g) => g.goalId),
    );
    endedIds.set(definitions, ids);
  }
  return ids;
}
