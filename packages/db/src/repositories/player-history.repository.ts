import type pg from 'pg';

/**
 * What the database keeps about one player, read back as a timeline. There is no per-event
 * history: an applied event batch leaves only its stat ledger's counters and last write time,
 * so "events" entries say how many events of a stat were applied and when the last one was.
 */
export type PlayerTimelineKind = 'events' | 'assigned' | 'completed' | 'claimed' | 'grant';

export interface PlayerTimelineEntry {
  at: Date;
  kind: PlayerTimelineKind;
  /** Unique within the kind; with `at` and `kind` it orders entries and keys the cursor. */
  ref: string;
  challengeId: string | null;
  goalId: string | null;
  /** `events`: the ledger's stat key (`stat:<code>` or `login`). */
  statKey: string | null;
  /** `events`: events applied to that stat key so far. */
  count: number | null;
  /** `assigned`: active or inactive now; `grant`: the status the grant moved to. */
  status: string | null;
  grantId: string | null;
  /** `grant`: the delivery attempt and, when it failed, why. */
  attempt: number | null;
  error: string | null;
}

/** Where the next page starts: the last entry of the page before (entries come newest first). */
export interface PlayerTimelineCursor {
  at: Date;
  kind: string;
  ref: string;
}

export interface PlayerHistoryRepository {
  /** Player ids starting with `prefix`, in id order, after `after` when given. */
  searchIds(input: {
    prefix: string;
    after?: string;
    limit: number;
  }): Promise<{ ids: string[]; next: string | null }>;
  /** One player's entries, newest first, a page at a time. */
  timeline(input: {
    userId: string;
    before?: PlayerTimelineCursor;
    limit: number;
  }): Promise<{ entries: PlayerTimelineEntry[]; next: PlayerTimelineCursor | null }>;
}

// Both tables are hash-partitioned by user_id with user_id leading their keys: each partition's
// index answers the range, and the bounds keep the scan inside the prefix. starts_with is the
// exact test; the upper bound (the prefix followed by the last code point) only limits the scan
// under the database's C.UTF-8 collation.
const SEARCH_IDS = {
  name: 'player_history.search_ids.v1',
  text: `SELECT user_id FROM (
      SELECT user_id FROM stat_ledger
        WHERE user_id >= $1 AND user_id < $1 || chr(1114111) AND starts_with(user_id, $1)
          AND user_id > $2
      UNION
      SELECT user_id FROM goal_progress
        WHERE user_id >= $1 AND user_id < $1 || chr(1114111) AND starts_with(user_id, $1)
          AND user_id > $2
    ) ids
    ORDER BY user_id
    LIMIT $3`,
};

// One UNION ALL over the tables that record a player: the stat ledgers (events applied), the
// goal rows (assigned, completed, claimed), the reward grants (created pending at the claim) and
// their audit trail (each delivery attempt's outcome).
const TIMELINE = {
  name: 'player_history.timeline.v1',
  text: `SELECT at, kind, ref, challenge_id, goal_id, stat_key, count, status, grant_id, attempt, error
    FROM (
      SELECT updated_at AS at, 'events' AS kind, stat_key AS ref, NULL AS challenge_id,
             NULL AS goal_id, stat_key, seq AS count, NULL AS status, NULL::bigint AS grant_id,
             NULL::int AS attempt, NULL AS error
        FROM stat_ledger WHERE user_id = $1 AND seq > 0
      UNION ALL
      SELECT assigned_at, 'assigned', goal_id, challenge_id, goal_id, NULL, NULL,
             CASE WHEN is_active THEN 'active' ELSE 'inactive' END, NULL, NULL, NULL
        FROM goal_progress WHERE user_id = $1
      UNION ALL
      SELECT completed_at, 'completed', goal_id, challenge_id, goal_id, NULL, NULL, NULL, NULL,
             NULL, NULL
        FROM goal_progress WHERE user_id = $1 AND completed_at IS NOT NULL
      UNION ALL
      SELECT claimed_at, 'claimed', goal_id, challenge_id, goal_id, NULL, NULL, NULL, NULL, NULL,
             NULL
        FROM goal_progress WHERE user_id = $1 AND claimed_at IS NOT NULL
      UNION ALL
      SELECT e.at, 'grant', 'e' || lpad(e.id::text, 20, '0'), g.challenge_id, g.goal_id, NULL,
             NULL, e.to_status, g.id, e.attempt, e.error
        FROM reward_grants g JOIN reward_grant_events e ON e.grant_id = g.id
        WHERE g.user_id = $1
      UNION ALL
      SELECT g.created_at, 'grant', 'g' || lpad(g.id::text, 20, '0'), g.challenge_id, g.goal_id,
             NULL, NULL, 'pending', g.id, 0, NULL
        FROM reward_grants g
        WHERE g.user_id = $1
    ) entries
    WHERE $2::timestamptz IS NULL OR (at, kind, ref) < ($2::timestamptz, $3::text, $4::text)
    ORDER BY at DESC, kind DESC, ref DESC
    LIMIT $5`,
};

interface TimelineRow {
  at: Date;
  kind: PlayerTimelineKind;
  ref: string;
  challenge_id: string | null;
  goal_id: string | null;
  stat_key: string | null;
  count: string | null;
  status: string | null;
  grant_id: string | null;
  attempt: number | null;
  error: string | null;
}

function entryOf(r: TimelineRow): PlayerTimelineEntry {
  return {
    at: r.at,
    kind: r.kind,
    ref: r.ref,
    challengeId: r.challenge_id,
    goalId: r.goal_id,
    statKey: r.stat_key,
    count: r.count === null ? null : Number(r.count),
    status: r.status,
    grantId: r.grant_id,
    attempt: r.attempt,
    error: r.error,
  };
}

export function createPlayerHistoryRepository(pool: pg.Pool): PlayerHistoryRepository {
  return {
    // One row more than the page tells whether another page follows.
    async searchIds({ prefix, after, limit }) {
      const { rows } = await pool.query<{ user_id: string }>({
        ...SEARCH_IDS,
        values: [prefix, after ?? '', limit + 1],
      });
      const ids = rows.slice(0, limit).map((r) => r.user_id);
      return { ids, next: rows.length > limit ? (ids.at(-1) ?? null) : null };
    },

    async timeline({ userId, before, limit }) {
      const { rows } = await pool.query<TimelineRow>({
        ...TIMELINE,
        values: [userId, before?.at ?? null, before?.kind ?? null, before?.ref ?? null, limit + 1],
      });
      const entries = rows.slice(0, limit).map(entryOf);
      const last = entries.at(-1);
      const next =
        rows.length > limit && last ? { at: last.at, kind: last.kind, ref: last.ref } : null;
      return { entries, next };
    },
  };
}
