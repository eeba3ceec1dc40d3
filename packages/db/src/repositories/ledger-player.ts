import type { StatLedger, StoredAssignment } from '@challenges/core';
import type pg from 'pg';
import { LIVE_VERSION_SQL, StaleDefinitionsError } from './definitions-fence.ts';
import {
  decodeLedger,
  decodeStoredAssignment,
  encodeStoredAssignments,
  insertStored,
  LEDGER_COLUMNS,
  lastPerRow,
  STORED_COLUMN_COUNT,
  storedAssignmentColumns,
  upsertStored,
} from './ledger-rows.ts';

// One player's rows and ledgers for the api's reads and mutations of goal_progress: lock, read
// in one snapshot, write whole rows.

/** A player's stored rows, each with the ledger of its stat key (undefined: none yet). */
export interface PlayerLedgerRows {
  rows: StoredAssignment[];
  ledgers: Map<string, StatLedger>;
}

// Checks the definitions fence, inserts the missing ledger rows of the keys (held by this
// transaction as its own inserts) and holds the existing ones FOR SHARE, in one round trip; on
// another live version nothing is inserted or held. n = rows inserted + rows held. The CTEs share
// one snapshot, so no row is counted twice.
const HOLD_LEDGERS = {
  name: 'stat_ledger.hold_for_mutation.v2',
  text: `WITH live AS (
      SELECT ${LIVE_VERSION_SQL} AS version
    ), inserted AS (
      INSERT INTO stat_ledger (user_id, stat_key)
      SELECT $1, k FROM unnest($2::text[]) AS k, live WHERE live.version = $3 ORDER BY k
      ON CONFLICT (user_id, stat_key) DO NOTHING
      RETURNING 1
    ), held AS (
      SELECT 1 FROM stat_ledger
       WHERE user_id = $1 AND stat_key = ANY($2::text[])
         AND EXISTS (SELECT 1 FROM live WHERE live.version = $3)
       ORDER BY stat_key FOR SHARE
    )
    SELECT (SELECT version FROM live) AS live_version,
           ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM held))::int AS n`,
};

/**
 * Inside a transaction begun with FENCED_BEGIN: checks the live definitions version (throws
 * StaleDefinitionsError, having changed nothing, when it is not `definitionsVersion`), inserts
 * the missing ledger rows of `statKeys` and holds them FOR SHARE, then locks the player's rows of
 * `goalIds` FOR UPDATE (lock order ledger → goal rows, each in sorted order, as the worker's
 * batch).
 */
export async function lockPlayer(
  client: pg.PoolClient,
  input: {
    definitionsVersion: number;
    userId: string;
    statKeys: readonly string[];
    goalIds: readonly string[];
  },
): Promise<void> {
  const { definitionsVersion, userId, goalIds } = input;
  const keys = [...new Set(input.statKeys)].sort();
  // The version check rides on the hold, so the fence costs no round trip of its own. Run until
  // every key's row is held: a row another transaction committed after this statement's snapshot
  // is neither inserted (DO NOTHING) nor seen by the FOR SHARE; the next run sees it.
  for (;;) {
    const held = await client.query<{ live_version: number | null; n: number }>({
      ...HOLD_LEDGERS,
      values: [userId, keys, definitionsVersion],
    });
    const { live_version: liveVersion, n } = held.rows[0]!;
    if (liveVersion !== definitionsVersion) {
      throw new StaleDefinitionsError(definitionsVersion, liveVersion);
    }
    if (n === keys.length) break;
  }
  if (goalIds.length > 0) {
    await client.query({
      name: 'goal_progress.lock_for_mutation.v1',
      text: `SELECT 1 FROM goal_progress WHERE user_id = $1 AND goal_id = ANY($2::text[])
             ORDER BY goal_id FOR UPDATE`,
      values: [userId, [...goalIds]],
    });
  }
}

/** Writes whole stored rows, inserting the missing ones (one statement). */
export async function writeStored(
  client: pg.PoolClient,
  rows: readonly StoredAssignment[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query({
    name: 'goal_progress.upsert_stored.v1',
    text: upsertStored(1),
    values: encodeStoredAssignments(lastPerRow(rows)),
  });
}

/** Inserts the stored rows that do not exist yet; returns the goal ids it inserted. */
export async function insertStoredMissing(
  client: pg.PoolClient,
  rows: readonly StoredAssignment[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const result = await client.query<unknown[]>({
    name: 'goal_progress.insert_stored_missing.v1',
    text: `${insertStored(1)} ON CONFLICT (user_id, goal_id) DO NOTHING RETURNING g.goal_id`,
    values: encodeStoredAssignments(lastPerRow(rows)),
    rowMode: 'array',
  });
  return result.rows.map((row) => row[0] as string);
}

// The player's rows and all the player's ledgers (a mutation may anchor a row on a key none of
// its rows reads yet) in ONE statement, so both come from one snapshot: read apart, a batch
// committing in between would give rows anchored on ledgers older than the ones read (progress
// counted twice). The ledgers ride on one extra row whose goal columns are NULL (user_id NULL
// marks it; a goal row always has one), as JSON: one more row, not a column on every row.
export const READ_PLAYER = {
  name: 'goal_progress.read_player.v1',
  text: `SELECT ${storedAssignmentColumns()}, NULL::json AS ledgers
      FROM goal_progress WHERE user_id = $1
    UNION ALL
    SELECT ${Array.from({ length: STORED_COLUMN_COUNT }, () => 'NULL').join(', ')},
           (SELECT json_agg(json_build_array(${LEDGER_COLUMNS}))
              FROM stat_ledger WHERE user_id = $1)`,
};

export async function readPlayer(
  client: pg.Pool | pg.PoolClient,
  userId: string,
): Promise<PlayerLedgerRows> {
  const result = await client.query<unknown[]>({
    ...READ_PLAYER,
    values: [userId],
    rowMode: 'array',
  });
  const rows: StoredAssignment[] = [];
  const ledgers = new Map<string, StatLedger>();
  for (const row of result.rows) {
    if (row[0] !== null) {
      rows.push(decodeStoredAssignment(row));
      continue;
    }
    for (const fields of (row[STORED_COLUMN_COUNT] as unknown[][] | null) ?? []) {
      const ledger = decodeLedger(fields);
      ledgers.set(ledger.statKey, ledger);
    }
  }
  return { rows, ledgers };
}
