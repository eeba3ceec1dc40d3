-- A/B variants (issue 17, docs/definitions.md "A/B variants"): the variant a player plays of a
-- goal with variants, chosen by a stable weighted hash when the row is created and recorded
-- here, so a later re-weighting does not move existing players. NULL: the goal has no variants,
-- or the row was created before it had them (the player plays the goal itself). Never indexed
-- and never changed after the insert, so event batches' writes stay HOT updates.

-- AlterTable
ALTER TABLE "goal_progress" ADD COLUMN "variant_id" TEXT;

-- The hot read (ledger-views.ts) gains the row's variant as the last element of each row.
CREATE OR REPLACE FUNCTION "read_player_views"(p_user_id text, OUT "rows" json, OUT "ledgers" json)
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
                   baseline, period_key, anchor_seq, anchor_steps, anchor_days, stat_key,
                   variant_id))
            FROM goal_progress WHERE user_id = p_user_id),
         (SELECT json_agg(json_build_array(stat_key, seq, value, value_seq, steps, days, last_day))
            FROM stat_ledger WHERE user_id = p_user_id)
    INTO "rows", "ledgers";
END
$fn$;
