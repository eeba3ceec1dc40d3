import type { GoalStatus, StatLedger, StoredView } from '@challenges/core';
import type pg from 'pg';

// The hot read of list, initialize and GetUserChallenges (docs/performance.md, hot reads): one
// player's rows with only the columns deriveAssignmentView reads, and the player's ledgers, as
// two JSON arrays in one row. pg turns every field of a data row into a string through its own
// parser before any type parser runs (~21 strings a row, 100–500 rows a request); one JSON text
// per player is parsed by V8 in one pass: in-process, 100 rows cost the api 0.11–0.16 CPU-ms
// against 0.25–0.32 for readPlayer's 21-column rows. Integers stay integers in JSON (int8 too,
// exact below 2^53), so no float8 casts; timestamps are timestamp(3) and leave as exact epoch
// milliseconds. The float8 columns read here (value, baseline) are finite (event values are
// validated finite): JSON would carry an infinite one as a string.
//
// The SELECT is the SQL function read_player_views (migration 20261206040000_read_player_views,
// which lists the columns in decodeView's order): as a prepared statement of its own PostgreSQL
// planned it on every execution (custom plans over the partitioned tables), ~0.25 of its ~0.85
// CPU-ms per 100-row read; the function keeps one generic plan per connection.

export const READ_PLAYER_VIEWS = {
  name: 'goal_progress.read_player_views.v2',
  text: 'SELECT "rows", "ledgers" FROM read_player_views($1)',
};

const dateOrNull = (value: number | null) => (value === null ? null : new Date(value));

/** One element of READ_PLAYER_VIEWS's `rows`. */
export function decodeView(row: unknown[]): StoredView {
  const view: StoredView = {
    goalId: row[0] as string,
    p0: row[1] as number,
    status: row[2] as GoalStatus,
    completedAt: dateOrNull(row[3] as number | null),
    claimedAt: dateOrNull(row[4] as number | null),
    isActive: row[5] as boolean,
    assignedAt: new Date(row[6] as number),
    baseline: row[7] as number | null,
    periodKey: row[8] as string | null,
    anchorSeq: row[9] as number,
    anchorSteps: row[10] as number,
    anchorDays: row[11] as number,
    // A row anchored while its goal was unknown has no key: no ledger has ''.
    statKey: (row[12] as string | null) ?? '',
  };
  // The A/B variant recorded on the row (migration 20261206230000_goal_variants).
  if (row[13] !== null && row[13] !== undefined) view.variantId = row[13] as string;
  return view;
}

export interface PlayerViewRows {
  rows: StoredView[];
  /** The player's ledgers by stat key. */
  ledgers: Map<string, StatLedger>;
}

/** One player's rows (view columns only) and ledgers, from one snapshot. */
export async function readPlayerViews(
  client: pg.Pool | pg.PoolClient,
  userId: string,
): Promise<PlayerViewRows> {
  const result = await client.query<StoredPlayer>({ ...READ_PLAYER_VIEWS, values: [userId] });
  return decodePlayer(userId, result.rows[0]!);
}

// The same function for many players in one statement (the push streams' re-derive,
// docs/push.md): one round trip and one result for a read round's changed players.
export const READ_PLAYERS_VIEWS = {
  name: 'goal_progress.read_players_views.v1',
  text: `SELECT u AS "userId", v."rows", v."ledgers"
           FROM unnest($1::text[]) AS u CROSS JOIN LATERAL read_player_views(u) AS v`,
};

/** readPlayerViews of each distinct player, from one snapshot; every player has an entry. */
export async function readPlayersViews(
  client: pg.Pool | pg.PoolClient,
  userIds: readonly string[],
): Promise<Map<string, PlayerViewRows>> {
  const result = await client.query<StoredPlayer & { userId: string }>({
    ...READ_PLAYERS_VIEWS,
    values: [[...new Set(userIds)]],
  });
  const out = new Map<string, PlayerViewRows>();
  for (const found of result.rows) out.set(found.userId, decodePlayer(found.userId, found));
  return out;
}

interface StoredPlayer {
  rows: unknown[][] | null;
  ledgers: unknown[][] | null;
}

function decodePlayer(userId: string, found: StoredPlayer): PlayerViewRows {
  const stored = found.rows ?? [];
  const rows = new Array<StoredView>(stored.length);
  for (let i = 0; i < stored.length; i++) rows[i] = decodeView(stored[i]!);
  const ledgers = new Map<string, StatLedger>();
  for (const l of found.ledgers ?? []) {
    const statKey = l[0] as string;
    ledgers.set(statKey, {
      userId,
      statKey,
      seq: l[1] as number,
      value: l[2] as number | null,
      valueSeq: l[3] as number,
      steps: l[4] as number,
      days: l[5] as number,
      lastDay: l[6] as string | null,
    });
  }
  return { rows, ledgers };
}
