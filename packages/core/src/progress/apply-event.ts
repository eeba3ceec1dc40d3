import { INT32_MAX } from '../definitions/definitions.schema.ts';
import type { GoalDef } from '../definitions/definitions.types.ts';
import type { Assignment, GoalStatus } from './progress.types.ts';
import { rotateAssignment } from './view-assignment.ts';

const INT32_MIN = -INT32_MAX - 1;

/** Stat values are doubles on the wire; progress and baselines are int32 in every response. */
export function toProgressInt(value: number): number {
  return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.floor(value)));
}

type Change = Pick<Assignment, 'progress' | 'baseline' | 'lastIncrementDay'>;

function nextStatus(current: Assignment, progress: number, target: number): GoalStatus {
  // Completion is sticky: a stat that later drops does not take the reward away.
  if (current.status === 'completed' || progress >= target) return 'completed';
  return progress > 0 ? 'in_progress' : 'not_started';
}

/** The UTC calendar day of an instant, as the legacy daily increment counts days. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Legacy `daily: true`: the first event of a UTC day counts 1, the others nothing. */
function dailyIncrementChange(current: Assignment, now: Date): Change | null {
  const day = utcDay(now);
  if (current.lastIncrementDay === day) return null;
  return {
    progress: Math.min(INT32_MAX, current.progress + 1),
    baseline: current.baseline,
    lastIncrementDay: day,
  };
}

function applyEvent(
  goal: GoalDef,
  row: Assignment,
  now: Date,
  compute: (current: Assignment) => Change | null,
): Assignment {
  if (!row.isActive) return row;
  // The event belongs to the period current on the service clock, so a stale row first moves
  // into it; the moved row is returned (and must be written) even if the event then counts
  // nothing.
  const current = rotateAssignment({ goal, row, now }) ?? row;
  if (current.status === 'claimed') return current;

  if (goal.completesOnFirstEvent) {
    if (current.status === 'completed') return current;
    return {
      ...current,
      progress: 1,
      status: 'completed',
      completedAt: now,
      reopenedAt: null,
      updatedAt: now,
    };
  }

  const change = compute(current);
  if (change === null) return current;
  const status = nextStatus(current, change.progress, goal.requirement.targetValue);
  const completedAt = status === 'completed' ? (current.completedAt ?? now) : null;
  if (
    change.progress === current.progress &&
    change.baseline === current.baseline &&
    change.lastIncrementDay === current.lastIncrementDay &&
    status === current.status &&
    completedAt === current.completedAt
  ) {
    return current;
  }
  // Completing again ends what a rotation reopened: the goal is claimable once more.
  const reopenedAt = status === 'completed' ? null : current.reopenedAt;
  return { ...current, ...change, status, completedAt, reopenedAt, updatedAt: now };
}

/**
 * A statistic update (`latestValue` = value, optional `inc`) applied to one assignment. Returns
 * the row to store, or `row` itself when nothing changes (inactive, claimed, nothing counted).
 */
export function applyStatEvent({
  goal,
  row,
  value,
  inc,
  now,
}: {
  goal: GoalDef;
  row: Assignment;
  value: number;
  inc?: number | null;
  now: Date;
}): Assignment {
  if (Number.isNaN(value)) return row;
  const delta = inc !== undefined && inc !== null && Number.isFinite(inc) ? inc : 0;
  return applyEvent(goal, row, now, (current) => {
    if (goal.dailyIncrement) return dailyIncrementChange(current, now);
    switch (goal.requirement.progressMode) {
      case 'absolute':
        return {
          progress: Math.max(0, toProgressInt(value)),
          baseline: current.baseline,
          lastIncrementDay: current.lastIncrementDay,
        };
      case 'relative': {
        // The first event of a period fixes where the period started: the value before this
        // event's own increment, so that event counts too.
        const baseline = current.baseline ?? toProgressInt(value - delta);
        const progress = Math.max(0, toProgressInt(toProgressInt(value) - baseline));
        return { progress, baseline, lastIncrementDay: current.lastIncrementDay };
      }
      case 'increment': {
        const step = delta >= 1 ? Math.floor(delta) : 1;
        return {
          progress: Math.min(INT32_MAX, current.progress + step),
          baseline: current.baseline,
          lastIncrementDay: current.lastIncrementDay,
        };
      }
    }
  });
}

/** A login applied to one assignment: +1 in every mode (at most once a day for daily increment). */
export function applyLoginEvent({
  goal,
  row,
  now,
}: {
  goal: GoalDef;
  row: Assignment;
  now: Date;
}): Assignment {
  return applyEvent(goal, row, now, (current) => {
    if (goal.dailyIncrement) return dailyIncrementChange(current, now);
    return {
      progress: Math.min(INT32_MAX, current.progress + 1),
      baseline: current.baseline,
      lastIncrementDay: current.lastIncrementDay,
    };
  });
}
