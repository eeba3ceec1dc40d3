-- The hot read of list, initialize and GetUserChallenges (packages/db/src/repositories/
-- ledger-views.ts, docs/performance.md): one player's rows (the columns deriveAssignmentView
-- reads, in decodeView's order) and ledgers as two JSON arrays. A function so that its plan is
-- cached: PostgreSQL re-plans a prepared statement over the hash-partitioned tables on every
-- execution (its generic plan, with the partitions pruned only at run time, looks dearer than a
-- custom one), which cost ~0.25 of its ~0.85 CPU-ms per 100-row read. `SET plan_cache_mode`
-- applies to the function's own statement only; STABLE: it reads the calling query's snapshot.
CREATE FUNCTION "read_player_views"(p_user_id text, OUT "rows" json, OUT "ledgers" json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  SELECT (SELECT json_agg(json_build_array(
                   goal_id, progress, status,
                   (extract(epoch from completed_at) * 1000)::int8,
                   (extract(epoch from claimed_at) * 1000)::int8,
                   is_active,
                   (extract(epoch from assigned_at) * 1000)::int8,
                   baseline, period_key, anchor_seq, anchor_steps, anchor_days, stat_key))
            FROM goal_progress WHERE user_id = p_user_id),
         (SELECT json_agg(json_build_array(stat_key, seq, value, value_seq, steps, days, last_day))
            FROM stat_ledger WHERE user_id = p_user_id)
    INTO "rows", "ledgers";
END
$fn$;
