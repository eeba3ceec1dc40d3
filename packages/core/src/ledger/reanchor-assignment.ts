import type { GoalDef } from '../definitions/definitions.types.ts';
import { anchorAssignment, materializeAssignment } from './anchor-assignment.ts';
import { derivationOf } from './derive-progress.ts';
import type { StatLedger, StoredAssignment } from './ledger.types.ts';
import { statKeyOfGoal } from './stat-key.ts';

/**
 * Everything a stored row's meaning depends on: which ledger it reads, how, up to which target
 * and in which periods. Rows of a goal whose fingerprint changed in a publish must be
 * re-anchored (reanchorAssignment) before events are applied under the new definitions.
 */
export function requirementFingerprint(goal: GoalDef): string {
  const r = goal.rotation;
  const rotation = r ? `${r.schedule}|${r.timezone}|${r.weekStartsOn}` : '-';
  return `${statKeyOfGoal(goal)}|${derivationOf(goal)}|${goal.requirement.targetValue}|${rotation}`;
}

/**
 * A row of a goal whose definition changed: read with the goal it was anchored for and its
 * ledger, stored again for the new goal (maybe another stat key, so another ledger). The row
 * keeps the state the oracle holds — the new rules only apply from the next event on, as in the
 * oracle — and the new threshold makes it a candidate wherever the new rules need the worker.
 */
export function reanchorAssignment({
  stored,
  before,
  after,
  ledgerBefore,
  ledgerAfter,
}: {
  stored: StoredAssignment;
  before: GoalDef;
  after: GoalDef;
  /** The player's ledger of `stored.statKey`. */
  ledgerBefore: StatLedger | undefined;
  /** The player's ledger of the new goal's stat key. */
  ledgerAfter: StatLedger | undefined;
}): StoredAssignment {
  const assignment = materializeAssignment({ stored, ledger: ledgerBefore, goal: before });
  return anchorAssignment({ assignment, ledger: ledgerAfter, goal: after });
}
