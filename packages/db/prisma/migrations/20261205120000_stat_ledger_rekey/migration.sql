-- Deploying the wired stat-ledger model (docs/event-model.md, Status): between
-- 20261204120000_stat_ledger and this release the per-goal processes kept writing goal_progress
-- without the ledger columns — new rows with stat_key/unit NULL, and rows of goals a publish
-- changed since, keyed on their old stat. Until a ledger process has run, stat_ledger is empty
-- and every row is a per-goal row: p0 = progress on an empty ledger (anchors 0) is exact, so the
-- first migration's data step is run again over every row, keys and units from the live
-- definitions, thresholds back to the conservative -Infinity. Once any ledger row exists,
-- rows are anchored on ledgers and this changes nothing.
WITH "live" AS (
    SELECT v."content"
      FROM "definition_state" AS s
      JOIN "definition_versions" AS v ON v."version" = s."live_version"
     WHERE s."id" = 1
), "goals" AS (
    SELECT g->>'goalId' AS "goal_id",
           g->>'eventSource' AS "event_source",
           g->>'type' AS "legacy_type",
           g->>'daily' AS "daily",
           g->'requirement'->>'statCode' AS "stat_code",
           -- parseDefinitions: an explicit progressMode wins over the legacy type.
           coalesce(g->'requirement'->>'progressMode',
                    CASE WHEN g->>'type' = 'increment' THEN 'increment' ELSE 'absolute' END)
               AS "progress_mode"
      FROM "live", jsonb_array_elements("live"."content"->'challenges') AS c,
           jsonb_array_elements(c->'goals') AS g
)
UPDATE "goal_progress" AS p
   SET "stat_key" = CASE WHEN g."event_source" = 'login' THEN 'login'
                         ELSE 'stat:' || g."stat_code" END,
       -- derivationOf's order: first-event, daily increment, logins and increment, values.
       "unit" = CASE WHEN g."legacy_type" = 'daily' THEN 'steps'
                     WHEN g."daily" = 'true' AND g."progress_mode" = 'increment' THEN 'days'
                     WHEN g."event_source" = 'login' OR g."progress_mode" = 'increment' THEN 'steps'
                     ELSE 'value' END,
       "anchor_seq" = 0, "anchor_steps" = 0, "anchor_days" = 0, "threshold" = '-Infinity'
  FROM "goals" AS g
 WHERE p."goal_id" = g."goal_id"
   AND NOT EXISTS (SELECT 1 FROM "stat_ledger");
