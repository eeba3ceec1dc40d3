import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import type { AssignmentView } from '../progress/view-assignment.ts';
import { reopensOnRotation } from '../progress/view-assignment.ts';
import { goalPeriod } from '../rotation/rotation-period.ts';
import { goalOfRow } from '../variants/variant-goal.ts';
import { derivedProgress, derivedStatus, followsLedger } from './derive-progress.ts';
import { emptyLedger, type StatLedger, type StoredView } from './ledger.types.ts';

/** The readings of a key without a ledger row yet (derivation reads no ids). */
const NO_LEDGER: StatLedger = Object.freeze(emptyLedger('', ''));

/**
 * `viewAssignment(materializeAssignment(stored))` without building the Assignment: the read
 * path of list and initialize. Same helpers as materializeAssignment for progress and status,
 * and viewAssignment's period, staleness and reopening rules; the oracle property test checks
 * the two agree on every row after every step.
 */
export function deriveAssignmentView({
  stored,
  ledger,
  goal,
  now,
}: {
  stored: StoredView;
  ledger: StatLedger | undefined;
  goal: GoalDef;
  now: Date;
}): AssignmentView {
  const period = goalPeriod({ goal, now });
  const stale = period !== null && stored.periodKey !== period.key;
  const reopened = stale && reopensOnRotation({ goal, row: stored });
  let progress = 0;
  let status = stored.status;
  if (reopened) {
    status = 'not_started';
  } else if (followsLedger(stored)) {
    progress = derivedProgress(goal, stored, ledger ?? NO_LEDGER);
    status = derivedStatus(stored, progress);
  } else {
    progress = stored.p0;
  }
  return {
    progress,
    status,
    completedAt: reopened ? null : stored.completedAt,
    claimedAt: reopened ? null : stored.claimedAt,
    isActive: stored.isActive,
    assignedAt: stored.assignedAt,
    expiresAt: period?.end ?? null,
    stale,
  };
}

/**
 * `assignmentViews` for stored rows: one player's rows and ledgers (by stat key) → views by
 * goal id, rows of unknown goals left out. Feeds goalViewsFactory and the selection rules.
 */
export function ledgerAssignmentViews({
  definitions,
  rows,
  ledgers,
  now,
}: {
  definitions: Definitions;
  rows: readonly StoredView[];
  ledgers: ReadonlyMap<string, StatLedger>;
  now: Date;
}): Map<string, AssignmentView> {
  const views = new Map<string, AssignmentView>();
  for (const stored of rows) {
    const goal = definitions.goalsById.get(stored.goalId);
    if (goal === undefined) continue;
    const ledger = ledgers.get(stored.statKey);
    if (goal.variants === undefined) {
      views.set(stored.goalId, deriveAssignmentView({ stored, ledger, goal, now }));
    } else {
      views.set(stored.goalId, deriveVariantView(definitions, stored, ledger, now));
    }
  }
  return views;
}

/** A row of a goal with A/B variants: derived with its variant's goal, which the view carries. */
function deriveVariantView(
  definitions: Definitions,
  stored: StoredView,
  ledger: StatLedger | undefined,
  now: Date,
): AssignmentView {
  const goal = goalOfRow(definitions, stored)!;
  const view = deriveAssignmentView({ stored, ledger, goal, now });
  if (stored.variantId !== undefined) view.variantId = stored.variantId;
  return view;
}
