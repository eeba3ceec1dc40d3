import {
  anchorAssignment,
  type Definitions,
  deactivateAssignment,
  type GoalAudience,
  goalOfRow,
  goalsWithChangedAudience,
  inGoalAudience,
  materializeAssignment,
  type PlayerAttributes,
  type StoredAssignment,
  statKeyOfGoal,
} from '@challenges/core';
import type pg from 'pg';
import { writeStored } from './ledger-player.ts';
import {
  decodeLedger,
  decodeStoredAssignment,
  LEDGER_COLUMNS,
  STORED_COLUMN_COUNT,
  storedAssignmentColumns,
} from './ledger-rows.ts';

// Audiences at publish time (docs/definitions.md#audiences): what the live switch
// (definition-writes.ts) runs after re-anchoring, in the same transaction and under the same
// fence, so it happens once per publish on whichever process publishes. The active rows of
// goals whose effective audience changed are read in chunks with their players' stored
// attributes; those now outside are deactivated (materialized on their ledger, then stored
// inactive: p0 keeps the progress, no event moves them).

type Ledgers = ReadonlyMap<string, ReturnType<typeof decodeLedger>>;

/** The row deactivated as the api's deactivate writes it: materialize → inactive → anchor. */
function deactivated(
  stored: StoredAssignment,
  after: Definitions,
  ledgers: Ledgers,
  at: Date,
): StoredAssignment | undefined {
  const goal = goalOfRow(after, stored);
  if (goal === undefined) return undefined;
  // The row reads the key it was anchored on (the publish re-anchored it for `after` already).
  const row = materializeAssignment({ stored, ledger: ledgers.get(stored.statKey), goal });
  const assignment = deactivateAssignment({ row, now: at });
  return anchorAssignment({ assignment, ledger: ledgers.get(statKeyOfGoal(goal)), goal });
}

async function deactivateChunk(
  client: pg.PoolClient,
  outside: StoredAssignment[],
  after: Definitions,
  at: Date,
): Promise<number> {
  const users = [...new Set(outside.map((row) => row.userId))];
  const ledgerRows = await client.query<unknown[]>({
    text: `SELECT ${LEDGER_COLUMNS} FROM stat_ledger WHERE user_id = ANY($1::text[])`,
    values: [users],
    rowMode: 'array',
  });
  const byUser = new Map<string, Map<string, ReturnType<typeof decodeLedger>>>();
  for (const ledger of ledgerRows.rows.map(decodeLedger)) {
    let mine = byUser.get(ledger.userId);
    if (!mine) {
      mine = new Map();
      byUser.set(ledger.userId, mine);
    }
    mine.set(ledger.statKey, ledger);
  }
  const write: StoredAssignment[] = [];
  for (const stored of outside) {
    const next = deactivated(stored, after, byUser.get(stored.userId) ?? new Map(), at);
    if (next !== undefined) write.push(next);
  }
  await writeStored(client, write);
  return write.length;
}

/**
 * Deactivates, inside the caller's (publish) transaction, the active rows of goals whose
 * effective audience changed from `before` to `after` and whose player's stored attributes
 * (none: `{}`) or rollout bucket now fall outside it; reads `chunk` rows at a time through a
 * cursor. Returns how many rows it deactivated.
 */
export async function deactivateOutsideAudiences(
  client: pg.PoolClient,
  input: { before: Definitions | null; after: Definitions; at: Date; chunk?: number },
): Promise<number> {
  const { after, at, chunk = 5_000 } = input;
  const changed: Map<string, GoalAudience> = goalsWithChangedAudience(input.before, after);
  if (changed.size === 0) return 0;
  await client.query({
    text: `DECLARE audience_publish NO SCROLL CURSOR FOR
             SELECT ${storedAssignmentColumns('g.')}, a.attributes
               FROM goal_progress g LEFT JOIN player_attributes a ON a.user_id = g.user_id
              WHERE g.goal_id = ANY($1::text[]) AND g.is_active ORDER BY g.user_id`,
    values: [[...changed.keys()]],
  });
  let count = 0;
  // An error aborts the caller's transaction, and the cursor with it.
  for (;;) {
    const { rows } = await client.query<unknown[]>({
      text: `FETCH ${Math.max(1, Math.floor(chunk))} FROM audience_publish`,
      rowMode: 'array',
    });
    if (rows.length === 0) break;
    const outside: StoredAssignment[] = [];
    for (const row of rows) {
      const attributes = (row[STORED_COLUMN_COUNT] ?? {}) as PlayerAttributes;
      const audience = changed.get(row[1] as string)!;
      if (!inGoalAudience(audience, attributes, row[0] as string)) {
        outside.push(decodeStoredAssignment(row));
      }
    }
    if (outside.length > 0) count += await deactivateChunk(client, outside, after, at);
  }
  await client.query('CLOSE audience_publish');
  return count;
}
