import type { StoredAssignment } from '@challenges/core';
import type pg from 'pg';
import { decodeStoredAssignment, storedAssignmentColumns } from './ledger-rows.ts';

// Schedules (SPEC §2.4, docs/definitions.md): the active, unclaimed rows of goals whose window
// has ended, on the (player, key) pairs of a batch and still on the key their goal counts in
// (a frozen row sits on its own `ended:` key). They are the batch's candidates too, so the first
// batch after the end freezes them on the ledger as it stood (core's freezeAssignment). Only
// run when the live definitions have an ended goal: without schedules a batch never sends it.
const ENDED_ROWS = `SELECT ${storedAssignmentColumns('g.')}
    FROM unnest($1::text[], $2::text[]) AS t(u, k)
    JOIN LATERAL (
      SELECT * FROM goal_progress AS x
       WHERE x.user_id = t.u AND x.stat_key = t.k AND x.is_active AND x.status <> 'claimed'
         AND x.goal_id = ANY($3::text[])
      OFFSET 0
    ) AS g ON true`;

export async function readEndedRows(
  client: pg.PoolClient,
  keys: { userIds: readonly string[]; statKeys: readonly string[] },
  endedGoalIds: readonly string[],
): Promise<StoredAssignment[]> {
  const found = await client.query<unknown[]>({
    text: ENDED_ROWS,
    values: [keys.userIds, keys.statKeys, endedGoalIds],
    rowMode: 'array',
  });
  return found.rows.map((row) => decodeStoredAssignment(row));
}
