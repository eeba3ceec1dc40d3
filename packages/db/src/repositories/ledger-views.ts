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
// The SELECT is the plpgsql function read_player_columns (migration
// 20261207060000_read_player_columns, which lists the columns in decodeViews' order): as a
// prepared statement of its own PostgreSQL planned it on every execution (custom plans over the
// partitioned tables), ~0.25 of its ~0.85 CPU-ms per 100-row read; the function keeps one generic
// plan per connection. It sends the rows as columns (one array per column, a json_agg each):
// PostgreSQL's json_build_array per row looked up each value's output function in the catalog.

export const READ_PLAYER_VIEWS = {
  name: 'goal_progress.read_player_columns.v1',
  text: 'SELECT "columns", "ledgers" FROM read_player_columns($1)',
};

const dateOrNull = (value: number | null) => (value === null ? null : new Date(value));

type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N
  ? R
  : Tuple<T, N, [...R, T]>;
/** The 14 columns of read_player_columns (one array each), in the migration's order. */
type ViewColumns = Tuple<unknown[], 14>;

/** The rows of READ_PLAYER_VIEWS's `columns`: one array per column, in the migration's order. */
export function decodeViews(columns: unknown[][] | null): StoredView[] {
  if (!columns?.[0]) return [];
  const [
    goalIds,
    progress,
    status,
    completedAt,
    claimedAt,
    isActive,
    assignedAt,
    baseline,
    periodKey,
    anchorSeq,
    anchorSteps,
    anchorDays,
    statKey,
    variant,
  ] = columns as ViewColumns;
  const views = new Array<StoredView>(goalIds.length);
  for (let i = 0; i < goalIds.length; i++) {
    const view: StoredView = {
      goalId: goalIds[i] as string,
      p0: progress[i] as number,
      status: status[i] as GoalStatus,
      completedAt: dateOrNull(completedAt[i] as number | null),
      claimedAt: dateOrNull(claimedAt[i] as number | null),
      isActive: isActive[i] as boolean,
      assignedAt: new Date(assignedAt[i] as number),
      baseline: baseline[i] as number | null,
      periodKey: periodKey[i] as string | null,
      anchorSeq: anchorSeq[i] as number,
      anchorSteps: anchorSteps[i] as number,
      anchorDays: anchorDays[i] as number,
      // A row anchored while its goal was unknown has no key: no ledger has ''.
      statKey: (statKey[i] as string | null) ?? '',
    };
    // The A/B variant recorded on the row (migration 20261206230000_goal_variants).
    const variantId = variant[i] as string | null;
    if (variantId !== null) view.variantId = variantId;
    views[i] = view;
  }
  return views;
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
  name: 'goal_progress.read_players_columns.v1',
  text: `SELECT u AS "userId", v."columns", v."ledgers"
           FROM unnest($1::text[]) AS u CROSS JOIN LATERAL read_player_columns(u) AS v`,
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
  columns: unknown[][] | null;
  ledgers: unknown[][] | null;
}

function decodePlayer(userId: string, found: StoredPlayer): PlayerViewRows {
  const rows = decodeViews(found.columns);
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
