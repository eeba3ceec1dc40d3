-- The hot read of list, initialize and GetUserChallenges (ledger-views.ts) as columns: one
-- json_agg per column instead of one json_build_array per row. json_build_array looks up every
-- argument's type category and output function in the catalog for every row (~14 lookups a row,
-- a fifth of the function's CPU under perf); json_agg does it once per aggregate. Timestamps
-- leave as epoch milliseconds through date_part (float8) instead of extract (numeric since
-- PostgreSQL 14: a numeric multiply and cast per timestamp): the rounded float8 is the exact
-- millisecond for every timestamp(3) of years 1–9999 (checked against extract over 500,000
-- random instants). Backend CPU per read, one connection alternated with read_player_views:
-- 500 rows 1.13 → 0.73 ms, 100 rows 0.30 → 0.23 ms (bench/results/pg-cpu-hot-read-2026-12-06.md).
-- All aggregates of one SELECT see the same rows in the same order, so the columns line up.
-- A player without rows gets an array of 14 NULLs. read_player_views stays for api processes of
-- the previous release until they are gone.
CREATE FUNCTION "read_player_columns"(p_user_id text, OUT "columns" json, OUT "ledgers" json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  SELECT (SELECT json_build_array(
                   json_agg(goal_id), json_agg(progress), json_agg(status),
                   json_agg((date_part('epoch', completed_at) * 1000)::int8),
                   json_agg((date_part('epoch', claimed_at) * 1000)::int8),
                   json_agg(is_active),
                   json_agg((date_part('epoch', assigned_at) * 1000)::int8),
                   json_agg(baseline), json_agg(period_key), json_agg(anchor_seq),
                   json_agg(anchor_steps), json_agg(anchor_days), json_agg(stat_key),
                   json_agg(variant_id))
            FROM goal_progress WHERE user_id = p_user_id),
         (SELECT json_agg(json_build_array(stat_key, seq, value, value_seq, steps, days, last_day))
            FROM stat_ledger WHERE user_id = p_user_id)
    INTO "columns", "ledgers";
END
$fn$;
