/**
 * The event model of docs/event-model.md: one cumulative ledger per player and stat key, and
 * goal rows stored relative to it ("anchored"), so an event writes its ledger and only the few
 * rows that cross a threshold, rotate or need their first-event anchor.
 */
import type { Assignment } from '../progress/progress.types.ts';

/**
 * What one player's events of one stat key added up to. Every counter only grows (a value can
 * go down, its `valueSeq` cannot); rows derive their progress from differences since their
 * anchor, so nothing here is ever reset — not by rotation, not by a dashboard reset.
 */
export interface StatLedger {
  userId: string;
  /** `statKeyOfGoal` / `statKeyOfEvent`: the stat code's key, or the login key. */
  statKey: string;
  /** Events counted for this key (only events some goal tracks). */
  seq: number;
  /** Latest value among the events that carried one; null before the first. */
  value: number | null;
  /** `seq` of the event that set `value`; 0 before the first. */
  valueSeq: number;
  /** Σ step over the events (stat: `inc >= 1 ? floor(inc) : 1`, capped at INT32_MAX; login: 1). */
  steps: number;
  /** UTC days on which the key's events arrived: +1 whenever an event's day differs from the last. */
  days: number;
  /** UTC day (YYYY-MM-DD) of the batch of the last event; null before the first. */
  lastDay: string | null;
}

/** The ledger a player has before any event of the key (what a missing ledger row means). */
export function emptyLedger(userId: string, statKey: string): StatLedger {
  return { userId, statKey, seq: 0, value: null, valueSeq: 0, steps: 0, days: 0, lastDay: null };
}

/** Map key of a (player, stat key) pair, for batches that span players. */
export function ledgerKey(userId: string, statKey: string): string {
  return `${userId}\u0000${statKey}`;
}

/** Which ledger reading a row's threshold is compared with. */
export type ThresholdUnit = 'value' | 'steps' | 'days';

/**
 * The highest reading of each unit a batch reached for one key: the largest value carried by
 * any of its events (null when none carried one), and the final steps and days (they only grow).
 */
export interface LedgerReadings {
  value: number | null;
  steps: number;
  days: number;
}

/**
 * A goal row as stored in the ledger model: the Assignment's own fields, with `progress` and
 * `status` as they were at the anchor, plus where the anchor sits on the ledger. Read it only
 * through `materializeAssignment` or `deriveAssignmentView`: `p0` and an open row's status go
 * stale as soon as the ledger moves. It deliberately has no `progress`, so it cannot be passed
 * where an Assignment is expected.
 */
export interface StoredAssignment extends Omit<Assignment, 'progress'> {
  /** Progress at the anchor. */
  p0: number;
  /** Ledger `seq` at the anchor: a value with a later `valueSeq` is news to the row. */
  anchorSeq: number;
  /** Ledger `steps` at the anchor. */
  anchorSteps: number;
  /** Ledger `days` at the anchor. */
  anchorDays: number;
  /** The goal's stat key, denormalised for the candidate index. */
  statKey: string;
  /** The goal's reading unit (fixed per goal). */
  unit: ThresholdUnit;
  /**
   * The reading of `unit` at or above which an event batch needs this row (completion, or an
   * anchor only an event can set); -Infinity when any event that carries the unit does; null
   * when only its period's end does (claimed, completed, or complete-on-first-event done).
   */
  threshold: number | null;
}

/**
 * What a read of a stored row needs to derive its view (`deriveAssignmentView`): list and
 * initialize fetch only these columns (a StoredAssignment has them all).
 */
export type StoredView = Pick<
  StoredAssignment,
  | 'goalId'
  | 'p0'
  | 'status'
  | 'completedAt'
  | 'claimedAt'
  | 'isActive'
  | 'assignedAt'
  | 'baseline'
  | 'periodKey'
  | 'anchorSeq'
  | 'anchorSteps'
  | 'anchorDays'
  | 'statKey'
  | 'variantId'
>;
