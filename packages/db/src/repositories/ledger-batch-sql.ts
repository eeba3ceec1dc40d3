import type { PreparedSql } from '../prepared-sql.ts';
import { FENCED_BEGIN, LIVE_VERSION_SQL } from './definitions-fence.ts';
import { storedAssignmentColumns, unnestLedgers, upsertStored } from './ledger-rows.ts';

// The statements of the worker's event batch (applyLedgerBatch in ledger-batch.ts).

// One round trip: checks the definitions fence (the live version is the batch's, else nothing
// happens and the live version comes back), claims the batch ids (the job's and the joined
// ones), records the fresh event ids of the batches that were new (as event_dedup's window says:
// an id seen within it returns nothing, an older one is taken over), and — only when some batch
// was new — inserts the missing ledger rows of the keys and locks them all. $2/$6 are parallel
// (event id, its batch id); DISTINCT because two batches may carry one event. DO UPDATE (a no-op
// assignment) rather than DO NOTHING because it returns and locks the existing rows too,
// including ones another transaction inserted a moment ago (an api mutation waiting on them
// holds FOR SHARE, so this waits for it to commit).
export const MARK_AND_LOCK: PreparedSql = {
  name: 'stat_ledger_mark_and_lock_v4',
  text: `WITH live AS (
      SELECT ${LIVE_VERSION_SQL} AS version
    ), batch AS (
      INSERT INTO applied_event_batches (batch_id)
      SELECT b FROM unnest($1::text[]) AS b, live WHERE live.version = $7
      ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id
    ), seen AS (
      INSERT INTO event_dedup AS d (event_id, seen_at)
      SELECT DISTINCT e.id, now() FROM unnest($2::text[], $6::text[]) AS e(id, batch_id)
       WHERE e.batch_id IN (SELECT batch_id FROM batch)
      ON CONFLICT (event_id) DO UPDATE SET seen_at = EXCLUDED.seen_at
        WHERE d.seen_at < EXCLUDED.seen_at - make_interval(secs => $3)
      RETURNING d.event_id
    ), locked AS (
      INSERT INTO stat_ledger AS l (user_id, stat_key)
      SELECT k.user_id, k.stat_key FROM unnest($4::text[], $5::text[]) AS k(user_id, stat_key)
       WHERE EXISTS (SELECT 1 FROM batch)
      ON CONFLICT (user_id, stat_key) DO UPDATE SET updated_at = l.updated_at
      RETURNING l.user_id, l.stat_key, l.seq::float8 AS seq, l.value, l.value_seq::float8 AS value_seq,
                l.steps::float8 AS steps, l.days, l.last_day
    )
    SELECT (SELECT version FROM live) AS live_version, array(SELECT batch_id FROM batch) AS new_batches, array(SELECT event_id FROM seen) AS fresh,
           (SELECT json_agg(json_build_array(user_id, stat_key, seq, value, value_seq, steps, days,
                                             last_day)) FROM locked) AS ledgers`,
};

// isCandidate (core) in SQL, for every (player, key) of the batch with its readings: one row per
// candidate, or one row of NULLs for a key without any, and whether the key has an active row.
// A NULL value reading matches no value threshold; -Infinity matches any non-NULL reading.
// period_key compares as "C" text: fixed-width ISO-8601, so text order is time order.
// Both lateral subqueries are fenced (OFFSET 0, LIMIT 1) so that each key stays one probe with
// run-time partition pruning, also under a generic plan: unfenced, the planner hash-joins the
// key list to every partition or hashes the whole table for the EXISTS (measured 8–15 ms at
// 25k rows, against ~0.1 ms).
export const CANDIDATES: PreparedSql = {
  name: 'goal_progress_ledger_candidates_v4',
  text: `SELECT t.i::int, e.one IS NOT NULL AS active, ${storedAssignmentColumns('c.')}
      FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[])
           WITH ORDINALITY AS t(u, k, v, s, d, i)
      LEFT JOIN LATERAL (
        SELECT 1 AS one FROM goal_progress AS x
         WHERE x.user_id = t.u AND x.stat_key = t.k AND x.is_active LIMIT 1
      ) AS e ON true
      LEFT JOIN LATERAL (
        SELECT * FROM goal_progress AS g
         WHERE g.user_id = t.u AND g.stat_key = t.k AND g.is_active
           AND (g.expires_at <= $6
             OR g.period_key > $7 COLLATE "C"
             OR (g.unit = 'value' AND g.threshold <= t.v)
             OR (g.unit = 'steps' AND g.threshold <= t.s)
             OR (g.unit = 'days' AND g.threshold <= t.d))
        OFFSET 0
      ) AS c ON true`,
};

// The batch's effects in one statement: every ledger it advanced, and the changed rows. Both are
// written as upserts, routed to their partition row by row: an UPDATE … FROM unnest of a
// partitioned table sets up a scan and a result relation in every partition on each execution
// under a generic plan, also with no row to write (measured ~0.15 ms of PostgreSQL CPU per
// batch). The ledgers exist and are locked (MARK_AND_LOCK). The changed rows were read as
// candidates under those locks and still exist: the one delete of goal rows, player erasure,
// deletes the player's ledger rows first, so it waits for this batch (or ran before it and
// left no candidate). Their challenge_id and assigned_at are written back as read.
export const WRITE_BATCH: PreparedSql = {
  name: 'stat_ledger_write_batch_v4',
  text: `WITH led AS (
      INSERT INTO stat_ledger AS l (user_id, stat_key, seq, value, value_seq, steps, days,
                                    last_day, updated_at)
      SELECT n.user_id, n.stat_key, n.seq::int8, n.value, n.value_seq::int8, n.steps::int8,
             n.days, n.last_day, now()
        FROM ${unnestLedgers(1)}
      ON CONFLICT (user_id, stat_key) DO UPDATE SET
        seq = EXCLUDED.seq, value = EXCLUDED.value, value_seq = EXCLUDED.value_seq,
        steps = EXCLUDED.steps, days = EXCLUDED.days, last_day = EXCLUDED.last_day,
        updated_at = EXCLUDED.updated_at
      RETURNING 1
    ), rows AS (
      ${upsertStored(9)}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM led)::int AS ledgers, (SELECT count(*) FROM rows)::int AS rows`,
};

// Generic plans for the batch's statements: a custom plan costs up to ~1 ms of planning (8
// partitions of two tables) for ~0.1 ms of execution, and PostgreSQL's own choice kept custom
// plans (measured 1.27 against 0.57 PostgreSQL CPU-ms/event); the generic plans still prune to
// one partition per key at run time. SET LOCAL: this transaction only, sent with its BEGIN and
// the shared definitions fence, in the same simple query as MARK_AND_LOCK (each statement of a
// simple query takes its own snapshot, so MARK_AND_LOCK reads live_version after the fence).
export const BATCH_BEGIN = `${FENCED_BEGIN}; SET LOCAL plan_cache_mode = force_generic_plan`;

// The batch's statements are prepared once per connection with SQL PREPARE, so that BEGIN rides
// with MARK_AND_LOCK and COMMIT with WRITE_BATCH: three round trips per batch (two without
// candidates) instead of five (BEGIN, mark, candidates, write, COMMIT each on their own).
export const BATCH_STATEMENTS = [MARK_AND_LOCK, CANDIDATES, WRITE_BATCH];
