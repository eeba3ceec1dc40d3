import type { GoalDef } from '../definitions/definitions.types.ts';
import { anchorAssignment, materializeAssignment } from '../ledger/anchor-assignment.ts';
import type { StatLedger, StoredAssignment } from '../ledger/ledger.types.ts';

/**
 * The stat key of a goal's rows once its schedule has ended: no event ever counts in it, so a
 * row anchored there at 0 derives its p0 forever (every derivation of docs/event-model.md gives
 * p0 on an empty ledger with zero anchors).
 */
export function endedStatKey(goalId: string): string {
  return `ended:${goalId}`;
}

/**
 * A row of an ended goal frozen as it stood at the window's end: materialized on `ledger`, the
 * ledger before the first batch applied at or after `endsAt` (no event counted in it since), and
 * anchored on the key no event reaches. Its threshold is null: no batch ever needs it again.
 * Claims and deactivation still work on it (they re-anchor it, claimed/inactive rows keep p0).
 */
export function freezeAssignment({
  stored,
  ledger,
  goal,
}: {
  stored: StoredAssignment;
  ledger: StatLedger | undefined;
  goal: GoalDef;
}): StoredAssignment {
  const assignment = materializeAssignment({ stored, ledger, goal });
  const statKey = endedStatKey(goal.goalId);
  const frozen = anchorAssignment({ assignment, ledger: undefined, goal });
  return { ...frozen, statKey, threshold: null };
}
