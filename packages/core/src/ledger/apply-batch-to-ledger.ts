import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { applyEventToRow, type EventOutcome, goalsOf } from '../events/apply-batch.ts';
import type { GameEvent } from '../events/event.schema.ts';
import type { Assignment } from '../progress/progress.types.ts';
import { freezeAssignment } from '../schedule/freeze-assignment.ts';
import { goalOfRow } from '../variants/variant-goal.ts';
import { advanceLedgers, type LedgerAdvance } from './advance-ledger.ts';
import { anchorAssignment, materializeAssignment } from './anchor-assignment.ts';
import { ledgerKey, type StatLedger, type StoredAssignment } from './ledger.types.ts';
import { statKeyOfEvent, statKeyOfGoal } from './stat-key.ts';

export interface LedgerBatchEffects {
  /** Every ledger the batch advanced, as it must be stored (one per player × stat key). */
  ledgers: StatLedger[];
  /** The candidate rows whose stored form changed, re-anchored on the new ledger. */
  changed: StoredAssignment[];
  /** Outcome per event, in the order of `events` (see applyBatchToLedger). */
  outcomes: EventOutcome[];
}

/**
 * One event batch in the ledger model: advances the ledgers, runs the oracle (the per-goal
 * rules of applyEvents) on the candidate rows only, and re-anchors them on the new ledgers.
 *
 * - `events`: the fresh events (first of each id), in batch order, all at the batch's `now`.
 * - `ledgers`: the locked ledger rows by `ledgerKey` (missing = empty ledger).
 * - `candidates`: the rows `isCandidate` selects for the batch's readings; extra rows are
 *   harmless (re-checked by the oracle), a missing one is a bug.
 * - `activeKeys`: `ledgerKey`s of the batch that have at least one active row (an EXISTS per
 *   key on the candidate index), for the outcomes only.
 *
 * Outcomes: `no_goal` (no goal tracks the stat; counted nowhere) and `no_assignment` (the
 * player has no active row of the key) are the oracle's exactly. Every other event is
 * `applied`: it advanced the ledger the player's active rows derive from. The oracle's
 * `no_change` (reached rows but moved none, e.g. a value-less event on absolute goals, a second
 * daily login) would need every row of the key read, which is what this model avoids; it is
 * not produced here.
 */
export function applyBatchToLedger({
  events,
  ledgers,
  candidates,
  activeKeys,
  definitions,
  now,
}: {
  events: readonly GameEvent[];
  ledgers: ReadonlyMap<string, StatLedger>;
  candidates: readonly StoredAssignment[];
  activeKeys: ReadonlySet<string>;
  definitions: Definitions;
  now: Date;
}): LedgerBatchEffects {
  const advances = advanceLedgers({ events, ledgers, definitions, now });
  const changed: StoredAssignment[] = [];
  const keysWithRows = new Set(activeKeys);
  for (const stored of candidates) {
    const k = ledgerKey(stored.userId, stored.statKey);
    const advance = advances.get(k);
    // The row's variant decides its target (per-row thresholds, A/B variants).
    const goal = goalOfRow(definitions, stored);
    if (!stored.isActive || advance === undefined) continue;
    keysWithRows.add(k);
    // Rows of a goal that left the definitions, or now tracks another key, are left alone
    // (the oracle never loads them for these events).
    if (goal === undefined || statKeyOfGoal(goal) !== stored.statKey) continue;
    // Schedules (definitionsAt): a goal past its window's end is frozen as it stood at the end.
    if (goal.ended === true) {
      changed.push(freezeAssignment({ stored, ledger: advance.before, goal }));
      continue;
    }
    const next = settleCandidate({ stored, advance, goal, now });
    if (next !== null) changed.push(next);
  }
  const outcomes = events.map((event): EventOutcome => {
    if (goalsOf(event, definitions).length === 0) return 'no_goal';
    return keysWithRows.has(ledgerKey(event.userId, statKeyOfEvent(event)))
      ? 'applied'
      : 'no_assignment';
  });
  const advanced: StatLedger[] = [];
  for (const advance of advances.values()) advanced.push(advance.after);
  return { ledgers: advanced, changed, outcomes };
}

/**
 * The candidate after the key's events, anchored on the new ledger; null when the stored row
 * already derives exactly that from the new ledger and keeps its threshold (no write needed).
 */
function settleCandidate({
  stored,
  advance,
  goal,
  now,
}: {
  stored: StoredAssignment;
  advance: LedgerAdvance;
  goal: GoalDef;
  now: Date;
}): StoredAssignment | null {
  let row = materializeAssignment({ stored, ledger: advance.before, goal });
  for (const event of advance.events) row = applyEventToRow({ goal, row, event, now });
  const next = anchorAssignment({ assignment: row, ledger: advance.after, goal });
  const derived = materializeAssignment({ stored, ledger: advance.after, goal });
  const unchanged =
    sameAssignment(derived, row) &&
    next.threshold === stored.threshold &&
    next.unit === stored.unit;
  return unchanged ? null : next;
}

const timeOf = (date: Date | null) => (date === null ? null : date.getTime());

/** Equal in everything but `updatedAt` (which only says when the row was last written). */
export function sameAssignment(a: Assignment, b: Assignment): boolean {
  for (const field of Object.keys(a) as (keyof Assignment)[]) {
    if (field === 'updatedAt') continue;
    const x = a[field];
    const y = b[field];
    if (x instanceof Date || y instanceof Date) {
      if (timeOf(x as Date | null) !== timeOf(y as Date | null)) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}
