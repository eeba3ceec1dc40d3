import { INT32_MAX } from '../definitions/definitions.schema.ts';
import type { GoalDef } from '../definitions/definitions.types.ts';
import { toProgressInt } from '../progress/apply-event.ts';
import type { Assignment, GoalStatus } from '../progress/progress.types.ts';
import { periodAt } from '../rotation/rotation-period.ts';
import type { StatLedger, StoredAssignment, ThresholdUnit } from './ledger.types.ts';

/**
 * How a goal's progress follows its ledger, in the oracle's order of precedence: legacy
 * complete-on-first-event, then legacy daily increment, then logins (+1 whatever the mode) and
 * increment goals, then the value modes.
 */
export type Derivation = 'first_event' | 'daily' | 'steps' | 'absolute' | 'relative';

export function derivationOf(goal: GoalDef): Derivation {
  if (goal.completesOnFirstEvent) return 'first_event';
  if (goal.dailyIncrement) return 'daily';
  if (goal.eventSource === 'login' || goal.requirement.progressMode === 'increment') {
    return 'steps';
  }
  return goal.requirement.progressMode;
}

const UNITS: Record<Derivation, ThresholdUnit> = {
  // Any event completes it, and every event moves steps.
  first_event: 'steps',
  daily: 'days',
  steps: 'steps',
  absolute: 'value',
  relative: 'value',
};

export function unitOf(goal: GoalDef): ThresholdUnit {
  return UNITS[derivationOf(goal)];
}

type Anchored = Pick<
  StoredAssignment,
  'p0' | 'anchorSeq' | 'anchorSteps' | 'anchorDays' | 'baseline' | 'status' | 'isActive'
>;

/** Whether the row follows the ledger at all: inactive and claimed rows are frozen. */
export function followsLedger(stored: Pick<StoredAssignment, 'isActive' | 'status'>): boolean {
  return stored.isActive && stored.status !== 'claimed';
}

/**
 * Progress of an active, unclaimed row with ledger `ledger`. Rows whose state only an event can
 * settle (daily not anchored on the ledger's last day, relative without baseline, open
 * first-event goals) are candidates of the next such event, so until then the ledger has not
 * moved past their anchor and the same formulas give p0.
 */
export function derivedProgress(goal: GoalDef, stored: Anchored, ledger: StatLedger): number {
  switch (derivationOf(goal)) {
    case 'first_event':
      return stored.p0;
    case 'daily':
      return Math.min(INT32_MAX, stored.p0 + ledger.days - stored.anchorDays);
    case 'steps':
      return Math.min(INT32_MAX, stored.p0 + ledger.steps - stored.anchorSteps);
    case 'absolute':
      return ledger.valueSeq > stored.anchorSeq && ledger.value !== null
        ? Math.max(0, toProgressInt(ledger.value))
        : stored.p0;
    case 'relative':
      return ledger.valueSeq > stored.anchorSeq && ledger.value !== null && stored.baseline !== null
        ? Math.max(0, toProgressInt(toProgressInt(ledger.value) - stored.baseline))
        : stored.p0;
  }
}

/** Completed and claimed are stored; an open row's status follows its progress, as the oracle's. */
export function derivedStatus(
  stored: Pick<StoredAssignment, 'status'>,
  progress: number,
): GoalStatus {
  if (stored.status === 'completed' || stored.status === 'claimed') return stored.status;
  return progress > 0 ? 'in_progress' : 'not_started';
}

/** Daily rows count a day when the ledger does, so their last counted day is the ledger's. */
export function derivedLastIncrementDay(
  goal: GoalDef,
  stored: Pick<StoredAssignment, 'anchorDays' | 'lastIncrementDay'>,
  ledger: StatLedger,
): string | null {
  return goal.dailyIncrement && ledger.days > stored.anchorDays
    ? ledger.lastDay
    : stored.lastIncrementDay;
}

/**
 * Whether the row's period (periodKey … expiresAt) is a period of the goal's rotation. A goal
 * without rotation never makes a row stale, whatever period it kept.
 */
function inOwnPeriod(goal: GoalDef, row: Pick<Assignment, 'periodKey' | 'expiresAt'>): boolean {
  if (goal.rotation === null) return true;
  if (row.periodKey === null || row.expiresAt === null) return false;
  const period = periodAt({ rotation: goal.rotation, now: new Date(row.periodKey) });
  return period.key === row.periodKey && period.end.getTime() === row.expiresAt.getTime();
}

/**
 * The reading at or above which the row needs the worker, for a row anchored now on `ledger`
 * (see StoredAssignment.threshold). Exact for completion but for one case: a relative row
 * whose baseline + target lies beyond INT32_MAX is a (harmless) candidate of values it cannot
 * reach, since the oracle clamps the value to int32 first.
 */
export function thresholdOf(goal: GoalDef, row: Assignment, ledger: StatLedger): number | null {
  // isCandidate finds stale rows by their period's bounds, which only works while those bounds
  // are a period of the goal's rotation; a row the rotation settings changed under (or that
  // has none yet) waits for its next event like an always-candidate.
  if (!inOwnPeriod(goal, row)) return Number.NEGATIVE_INFINITY;
  if (row.status === 'claimed') return null;
  const done = row.status === 'completed';
  const target = goal.requirement.targetValue;
  switch (derivationOf(goal)) {
    case 'first_event':
      return done ? null : Number.NEGATIVE_INFINITY;
    case 'daily':
      // Anchored only when the row's last counted day is the ledger's: otherwise the next
      // event's day may count for the row and not for the ledger (or the reverse).
      if (row.lastIncrementDay !== ledger.lastDay) return Number.NEGATIVE_INFINITY;
      return done ? null : ledger.days - row.progress + target;
    case 'steps':
      return done ? null : ledger.steps - row.progress + target;
    case 'absolute':
      return done ? null : target;
    case 'relative':
      // The first valued event fixes the baseline, completed or not.
      if (row.baseline === null) return Number.NEGATIVE_INFINITY;
      return done ? null : row.baseline + target;
  }
}
