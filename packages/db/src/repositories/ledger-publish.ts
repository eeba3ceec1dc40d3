import {
  anchorAssignment,
  type Definitions,
  type GoalDef,
  type GoalVariant,
  materializeAssignment,
  reanchorAssignment,
  requirementFingerprint,
  type StoredAssignment,
  statKeyOfGoal,
  variantGoal,
} from '@challenges/core';
import type pg from 'pg';
import { writeStored } from './ledger-player.ts';
import {
  decodeLedger,
  decodeStoredAssignment,
  LEDGER_COLUMNS,
  storedAssignmentColumns,
} from './ledger-rows.ts';

// Publish re-anchoring of the stat-ledger model (docs/event-model.md, Publishing): what the live
// switch (definition-writes.ts) runs when the live definitions switch from `before` to `after`,
// while no ledger transaction runs (it holds the definitions fence).

/** The requirement fingerprint, with each A/B variant's target (rows play their variant's). */
function fingerprint(goal: GoalDef): string {
  const base = requirementFingerprint(goal);
  if (goal.variants === undefined) return base;
  const targets = goal.variants.map((v: GoalVariant) => `${v.variantId}:${v.targetValue}`);
  return `${base}|${targets.join(',')}`;
}

/** How a goal's rows must be stored again for `after`; undefined when they need nothing. */
function reanchorer(
  before: GoalDef | undefined,
  after: GoalDef | undefined,
): ((stored: StoredAssignment, ledgers: Map<string, LedgerPair>) => StoredAssignment) | undefined {
  if (before !== undefined && after !== undefined) {
    if (fingerprint(before) === fingerprint(after)) return undefined;
    // Each row with the goal as its A/B variant plays it, before and after.
    return (stored, ledgers) =>
      reanchorAssignment({
        stored,
        before: variantGoal(before, stored.variantId),
        after: variantGoal(after, stored.variantId),
        ledgerBefore: ledgers.get(stored.statKey)?.ledger,
        ledgerAfter: ledgers.get(statKeyOfGoal(after))?.ledger,
      });
  }
  if (before !== undefined) {
    // Removed: the oracle stops applying events to the row, so it freezes here, anchored on the
    // ledger as it is now (a re-added goal starts from this p0).
    return (stored, ledgers) => {
      const ledger = ledgers.get(stored.statKey)?.ledger;
      const goal = variantGoal(before, stored.variantId);
      const assignment = materializeAssignment({ stored, ledger, goal });
      return anchorAssignment({ assignment, ledger, goal });
    };
  }
  if (after !== undefined) {
    // Added (back): a row left from before holds its p0 as it froze; the new rules from now.
    return (stored, ledgers) => {
      const { p0, anchorSeq, anchorSteps, anchorDays, statKey, unit, threshold, ...rest } = stored;
      return anchorAssignment({
        assignment: { ...rest, progress: p0 },
        ledger: ledgers.get(statKeyOfGoal(after))?.ledger,
        goal: variantGoal(after, stored.variantId),
      });
    };
  }
  return undefined;
}

interface LedgerPair {
  ledger: ReturnType<typeof decodeLedger>;
}

/**
 * Re-anchors, inside the caller's (publish) transaction, every row of a goal whose requirement
 * fingerprint changed, was removed or was added, reading `chunk` rows at a time through a
 * cursor. Returns how many rows it rewrote. `before` null: nothing was live (rows of `after`'s
 * goals resume from their p0, as re-added goals).
 */
export async function reanchorForPublish(
  client: pg.PoolClient,
  input: { before: Definitions | null; after: Definitions; chunk?: number },
): Promise<number> {
  const { after, chunk = 2_000 } = input;
  const beforeGoals = input.before?.goalsById ?? new Map<string, GoalDef>();
  const plans = new Map<string, NonNullable<ReturnType<typeof reanchorer>>>();
  for (const goalId of new Set([...beforeGoals.keys(), ...after.goalsById.keys()])) {
    const plan = reanchorer(beforeGoals.get(goalId), after.goalsById.get(goalId));
    if (plan) plans.set(goalId, plan);
  }
  if (plans.size === 0) return 0;
  await client.query({
    text: `DECLARE ledger_reanchor NO SCROLL CURSOR FOR
             SELECT ${storedAssignmentColumns()} FROM goal_progress
              WHERE goal_id = ANY($1::text[]) ORDER BY user_id`,
    values: [[...plans.keys()]],
  });
  let rewritten = 0;
  // An error aborts the caller's transaction, and the cursor with it.
  for (;;) {
    const { rows } = await client.query<unknown[]>({
      text: `FETCH ${Math.max(1, Math.floor(chunk))} FROM ledger_reanchor`,
      rowMode: 'array',
    });
    if (rows.length === 0) break;
    const stored = rows.map(decodeStoredAssignment);
    const users = [...new Set(stored.map((row) => row.userId))];
    const ledgerRows = await client.query<unknown[]>({
      text: `SELECT ${LEDGER_COLUMNS} FROM stat_ledger WHERE user_id = ANY($1::text[])`,
      values: [users],
      rowMode: 'array',
    });
    const byUser = new Map<string, Map<string, LedgerPair>>();
    for (const ledger of ledgerRows.rows.map(decodeLedger)) {
      let mine = byUser.get(ledger.userId);
      if (!mine) {
        mine = new Map();
        byUser.set(ledger.userId, mine);
      }
      mine.set(ledger.statKey, { ledger });
    }
    const write = stored.map((row) =>
      plans.get(row.goalId)!(row, byUser.get(row.userId) ?? new Map()),
    );
    await writeStored(client, write);
    rewritten += write.length;
  }
  await client.query('CLOSE ledger_reanchor');
  return rewritten;
}
